"""Read and check the curated fact files (``graph/*.yaml``) into plain dataclasses.

Every problem is a :class:`~citynet.errors.FactError` naming file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citynet.errors import FactError
from citynet.sources.evidence import EXTRACTED, check_quotes, read_evidence, read_extracted, read_source_text
from citynet.sources.fields import (
    Fields,
    check_iri,
    is_country,
    read_co_financing,
    read_date,
    read_declared,
    read_lang_texts,
    read_money,
    read_names,
    read_period,
    read_phases,
)
from citynet.sources.model import (
    COUNTRY,
    DURATION,
    LANG,
    MAX_COUNT,
    SLUG,
    Call,
    FactFile,
    Member,
    Money,
    Network,
    Programme,
    SourceEntry,
)
from citynet.sources.yamlfile import LineDict, read_yaml, show

Vocabulary = dict[str, set[str]]
"""Known concept ids per scheme: ``{"role": {"partner", ...}, "programme": {...}, ...}``."""


def read_concept(fields: Fields, key: str, scheme: str, vocab: Vocabulary, value: Any = None) -> str | None:
    """Read a concept id and check it is in the vocabulary scheme."""
    concept = fields.text(key) if value is None else value
    if concept is not None and (not isinstance(concept, str) or concept not in vocab.get(scheme, set())):
        known = ", ".join(sorted(vocab.get(scheme, set())))
        raise fields.fail(key, f"unknown {scheme} {show(concept)} - expected one of: {known}")
    return concept


MEMBER_FIELDS = {
    "city",
    "organisation",
    "name",
    "written",
    "type",
    "country",
    "role",
    "start",
    "end",
    "budget",
    "co_financing",
    "category",
    "status",
    "geonames",
    "town",
    "nuts3",
    "legal_status",
    "website",
    "record",
    "evidence",
}
NUTS = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,3}$")  # a NUTS code: country, then 1 to 3 levels (ITF33)
PERIOD = re.compile(r"^([0-9]{4})-([0-9]{4})$")


def read_location(sub: Fields, member: Member) -> None:
    """What an importer adds to a member: the place it resolved, the town as written, NUTS 3, ..."""
    member.geonames = sub.integer("geonames", 1, MAX_COUNT)
    member.town = sub.text("town")
    member.nuts3 = sub.text("nuts3", pattern=NUTS, expected="a NUTS code such as 'ITF33'")
    member.legal_status = sub.text("legal_status")
    member.website = check_iri(sub, "website", sub.text("website"))
    member.record = sub.text("record")


def read_member(item: Any, fields: Fields, index: int, vocab: Vocabulary) -> Member:
    where = f"{fields.name('members')}[{index}]"
    sub = Fields(item, fields.path, where, fields.line("members"), MEMBER_FIELDS)
    kind = "city" if "city" in sub.data else "organisation" if "organisation" in sub.data else ""
    if not kind or ("city" in sub.data and "organisation" in sub.data):
        raise sub.fail("city", "give exactly one of 'city' or 'organisation'")
    if kind == "city" and ("name" in sub.data or "type" in sub.data):
        raise sub.fail("name" if "name" in sub.data else "type", "only organisations take this")
    country = sub.text("country", True, COUNTRY, "an ISO 3166-1 alpha-2 country code")
    if country and not is_country(country):
        raise sub.fail("country", f"'{country}' is not an ISO 3166-1 alpha-2 country code")
    start, end = read_period(sub)
    member = Member(
        kind=kind,
        name="",
        country=country,
        line=sub.line(),
        role=read_concept(sub, "role", "role", vocab) or "",
        written=sub.text("written"),
        start=start,
        end=end,
        budget=read_money(sub, "budget"),
        co_financing=read_co_financing(sub, "co_financing"),
        category=read_lang_texts(sub, "category"),
        status=read_lang_texts(sub, "status"),
    )
    if not member.role:
        raise sub.fail("role", "missing required field")
    if kind == "city":
        member.name = sub.text("city", True) or ""
    else:
        member.slug = sub.text("organisation", True, SLUG, "a lower-case id like 'my-org'")
        member.name = sub.text("name", True) or ""
        member.org_type = read_concept(sub, "type", "organisation-type", vocab)
        if not member.org_type:
            raise sub.fail("type", "missing required field - expected an organisation type such as 'other'")
    if member.co_financing and member.co_financing.fund:
        read_concept(sub, "co_financing", "fund", vocab, member.co_financing.fund)
    read_location(sub, member)
    member.evidence = read_evidence(sub)
    return member


NETWORK_FIELDS = {
    "id",
    "names",
    "acronym",
    "programme",
    "type",
    "call",
    "start",
    "end",
    "duration",
    "budget",
    "co_financing",
    "website",
    "themes",
    "continues",
    "declared",
    "objective",
    "expected_result",
    "phases",
    "members",
    "eu_funding",
    "funds",
    "record",
    "evidence",
}


def read_funds(fields: Fields, vocab: Vocabulary) -> dict[str, Money]:
    """A network's budget by fund: ``{erdf: {value: 1, currency: EUR}, ipa: ...}``."""
    given = fields.get("funds")
    if given is not None and not isinstance(given, LineDict):
        raise fields.fail("funds", "expected budgets by fund, e.g. {erdf: {value: 1000, currency: EUR}}")
    funds = fields.sub("funds", set(given or {}))
    result: dict[str, Money] = {}
    for fund in funds.data if funds else {}:
        if not isinstance(fund, str) or fund not in vocab.get("fund", set()):
            known = ", ".join(sorted(vocab.get("fund", set())))
            raise funds.fail(fund, f"unknown fund {show(fund)} - expected one of: {known}")
        money = read_money(funds, fund)
        if money is None:
            raise funds.fail(fund, "missing budget - expected {value: ..., currency: EUR}")
        result[fund] = money
    return result


def read_network(item: Any, path: str, index: int, line: int, vocab: Vocabulary) -> Network:
    sub = Fields(item, path, f"networks[{index}]", line, NETWORK_FIELDS)
    start, end = read_period(sub)
    network = Network(
        id=sub.text("id", True, SLUG, "a lower-case id like 'op-act'") or "",
        names=read_names(sub),
        line=sub.line(),
        acronym=sub.text("acronym"),
        programme=read_concept(sub, "programme", "programme", vocab),
        type=read_concept(sub, "type", "network-type", vocab),
        call=sub.text("call", pattern=SLUG, expected="a call id"),
        start=start,
        end=end,
        duration=sub.text("duration", pattern=DURATION, expected="an ISO 8601 duration (P2Y6M)"),
        budget=read_money(sub, "budget"),
        co_financing=read_co_financing(sub, "co_financing"),
        website=check_iri(sub, "website", sub.text("website")),
        continues=sub.text("continues", pattern=SLUG, expected="a network id"),
        declared=read_declared(sub),
        objective=read_lang_texts(sub, "objective"),
        expected_result=read_lang_texts(sub, "expected_result"),
        phases=read_phases(sub),
    )
    for _, theme in sub.items("themes"):
        network.themes.append(read_concept(sub, "themes", "theme", vocab, theme) or "")
    if network.co_financing and network.co_financing.fund:
        read_concept(sub, "co_financing", "fund", vocab, network.co_financing.fund)
    network.eu_funding = read_money(sub, "eu_funding")
    network.funds = read_funds(sub, vocab)
    network.record = sub.text("record")
    network.evidence = read_evidence(sub)
    network.members = [read_member(m, sub, i, vocab) for i, m in sub.items("members")]
    check_unique(
        [(m.slug or f"{m.name}|{m.country}", m.line) for m in network.members],
        path,
        f"{sub.name('members')}",
        "member",
    )
    return network


CALL_FIELDS = {
    "id",
    "names",
    "programme",
    "type",
    "approved_on",
    "start",
    "end",
    "duration",
    "budget",
    "declared",
    "phases",
    "events",
    "record",
    "evidence",
}


def read_call(item: Any, path: str, index: int, line: int, vocab: Vocabulary) -> Call:
    sub = Fields(item, path, f"calls[{index}]", line, CALL_FIELDS)
    start, end = read_period(sub)
    return Call(
        id=sub.text("id", True, SLUG, "a lower-case id") or "",
        names=read_names(sub),
        line=sub.line(),
        programme=read_concept(sub, "programme", "programme", vocab),
        type=read_concept(sub, "type", "network-type", vocab),
        approved_on=read_date(sub, "approved_on"),
        duration=sub.text("duration", pattern=DURATION, expected="an ISO 8601 duration (P24M)"),
        declared=read_declared(sub),
        phases=read_phases(sub),
        events=read_lang_texts(sub, "events"),
        start=start,
        end=end,
        budget=read_money(sub, "budget"),
        record=sub.text("record"),
        evidence=read_evidence(sub),
    )


def read_programme(item: Any, path: str, index: int, line: int, vocab: Vocabulary) -> Programme:
    """A programme the file declares: ``{id, names, strand, period: "2014-2020", record}``."""
    sub = Fields(item, path, f"programmes[{index}]", line, {"id", "names", "strand", "period", "record"})
    period = sub.text("period", pattern=PERIOD, expected="a period of years such as '2014-2020'")
    if period and period[:4] > period[5:]:
        raise sub.fail("period", f"{show(period)} ends before it starts - expected e.g. '2014-2020'")
    return Programme(
        id=sub.text("id", True, SLUG, "a lower-case id like 'interreg-v-a-italy-austria'") or "",
        names=read_names(sub),
        line=sub.line(),
        strand=read_concept(sub, "strand", "strand", vocab),
        period=period,
        record=sub.text("record"),
    )


def check_unique(keys: list[tuple[str, int]], path: str, where: str, what: str) -> None:
    """Fail on the second occurrence of a key."""
    seen: set[str] = set()
    for key, line in keys:
        if key in seen:
            raise FactError(f"duplicate {what} '{key}'", path, line, where)
        seen.add(key)


def read_fact_file(
    path: Path, vocab: Vocabulary, root: Path | None = None, sources: dict[str, SourceEntry] | None = None
) -> FactFile:
    """Read one fact file (a regular file inside ``root`` if given), checking every field.

    When its source (its own ``source:`` entry, or the one of ``sources`` it names) keeps the
    extracted text (``text:``), every evidence quote is checked against that file.

    >>> vocab = {"role": {"partner"}, "programme": set(), "network-type": set()}
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.yaml"
    >>> yaml = "source: s\\nnetworks:\\n  - id: n\\n    names: [{text: N}]\\n"
    >>> _ = p.write_text(yaml + "    budget: {value: -1, currency: EUR}\\n")
    >>> read_fact_file(p, vocab)
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: ...s.yaml:5: networks[0].budget.value: money must not be negative, got -1
    """
    data = read_yaml(path, root)
    allowed = {"source", "programmes", "networks", "calls"}
    top = Fields(data if data is not None else LineDict(), str(path), "", 1, allowed)
    entry = None
    if isinstance(top.get("source"), LineDict):
        entry = read_source_entry(Fields(top.get("source"), str(path), "source", top.line("source"), ENTRY))
        source = entry.id
    else:
        source = top.text("source", True, SLUG, "a source id from graph/sources.yaml") or ""
    programmes = [
        read_programme(p, str(path), i, top.line("programmes"), vocab) for i, p in top.items("programmes")
    ]
    check_unique([(p.id, p.line) for p in programmes], str(path), "programmes", "programme id")
    if programmes:  # the file's networks and calls may name the programmes it declares
        vocab = {**vocab, "programme": vocab.get("programme", set()) | {p.id for p in programmes}}
    line = top.line("networks")
    networks = [read_network(n, str(path), i, line, vocab) for i, n in top.items("networks")]
    calls = [read_call(c, str(path), i, top.line("calls"), vocab) for i, c in top.items("calls")]
    check_unique([(n.id, n.line) for n in networks], str(path), "networks", "network id")
    check_unique([(c.id, c.line) for c in calls], str(path), "calls", "call id")
    known = entry or (sources or {}).get(source)
    text = read_source_text(path, known, top.line("source"), root) if known else None
    if known and known.text and text is not None:
        check_quotes(data, text, str(path), known.text)
    return FactFile(str(path), source, networks, calls, top.line("source"), programmes, entry)


ENTRY = {"id", "title", "language", "publisher", "url", "seed", "file", "date", "licence", *EXTRACTED}


def read_source_entry(sub: Fields) -> SourceEntry:
    """One source: an entry of graph/sources.yaml, or a fact file's ``source:`` mapping."""
    date = read_date(sub, "date")
    entry = SourceEntry(
        id=sub.text("id", True, SLUG, "a lower-case id") or "",
        title=sub.text("title", True) or "",
        language=sub.text("language", True, LANG, "an ISO 639-1 code") or "",
        line=sub.line(),
        publisher=sub.text("publisher"),
        url=check_iri(sub, "url", sub.text("url")),
        seed=sub.text("seed"),
        file=sub.text("file"),
        date=date.text if date else None,
        licence=sub.text("licence"),
    )
    return read_extracted(sub, entry)


def read_sources(path: Path, root: Path | None = None) -> dict[str, SourceEntry]:
    """Read the register of sources (``graph/sources.yaml``); none there is an empty register, as in a
    project made by ``citynet import`` alone, whose fact files register their own sources."""
    if not path.exists() and not path.is_symlink():
        return {}
    top = Fields(read_yaml(path, root), str(path), "", 1, {"sources"})
    entries: dict[str, SourceEntry] = {}
    for index, item in top.items("sources"):
        sub = Fields(item, str(path), f"sources[{index}]", top.line("sources"), ENTRY)
        entry = read_source_entry(sub)
        if entry.id in entries:
            raise sub.fail("id", f"duplicate source id '{entry.id}'")
        entries[entry.id] = entry
    return entries


@dataclass(frozen=True)
class Pin:
    city: str
    country: str
    geonames: int
    line: int


def read_pins(path: Path, root: Path | None = None) -> dict[tuple[str, str], Pin]:
    """Read pinned place resolutions (``graph/places.yaml``), keyed by (city, country)."""
    if not path.exists() and not path.is_symlink():
        return {}
    top = Fields(read_yaml(path, root), str(path), "", 1, {"places"})
    pins: dict[tuple[str, str], Pin] = {}
    for index, item in top.items("places"):
        sub = Fields(item, str(path), f"places[{index}]", top.line("places"), {"city", "country", "geonames"})
        pin = Pin(
            sub.text("city", True) or "",
            sub.text("country", True, COUNTRY, "an ISO 3166-1 alpha-2 code") or "",
            sub.integer("geonames", 1) or 0,
            sub.line(),
        )
        if not pin.geonames:
            raise sub.fail("geonames", "missing required field")
        key = (pin.city, pin.country)
        if key in pins:
            raise sub.fail("city", f"duplicate pin for {pin.city} ({pin.country})")
        pins[key] = pin
    return pins
