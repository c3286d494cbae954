"""Any partner table as fact files, as a mapping YAML says (the format: docs/importing.md).

The mapping names the source (an inline entry), the sheet, the columns of the network (id, name,
acronym, programme, type, dates, budget, website), and one or more member specs: a column holding
one member or a list of them (``split``), each item read by a ``pattern`` like ``"{name} ({country})"``,
its role fixed or from a column (with the values meaning lead), its country, town or GeoNames id.
Rows with the same network id are one network. A ``source.column`` gives each row its own source
(a page's URL): one fact file per source.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from citynet.errors import TableError
from citynet.sources.facts import SourceEntry
from citynet.sources.imported import (
    Imported,
    PlaceRequest,
    ReviewLine,
    read_date,
    read_money,
    slugify,
    to_country,
)
from citynet.sources.model import URL, FactFile, Member, Name, Network, PartialDate, Programme
from citynet.sources.partners import classify, may_be_place
from citynet.sources.tables import Row, Table, read_table

NETWORK_KEYS = {"id", "name", "acronym", "programme", "programmes", "type", "types", "start", "end", "budget",
                "website", "currency"}  # fmt: skip
MEMBER_KEYS = {"column", "split", "pattern", "role", "country", "town", "geonames", "kind", "type", "website"}
TOP_KEYS = {"source", "sheet", "dates", "decimal", "network", "members"}


def read_mapping(path: Path) -> dict[str, Any]:
    """The mapping YAML, its keys checked (columns are checked against the table later)."""
    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TableError(f"cannot read the mapping ({str(exc).splitlines()[0]})", str(path)) from exc
    if not isinstance(mapping, dict) or not isinstance(mapping.get("source"), dict):
        raise TableError("expected a mapping with 'source', 'network' and 'members'", str(path))
    for where, data, allowed in [
        ("", mapping, TOP_KEYS),
        ("network.", mapping.get("network") or {}, NETWORK_KEYS),
    ]:
        for name in data:
            if name not in allowed:
                raise TableError(
                    f"unknown key '{where}{name}' - expected one of {', '.join(sorted(allowed))}", str(path)
                )
    members = mapping.get("members")
    if not isinstance(members, list) or not all(isinstance(m, dict) and "column" in m for m in members):
        raise TableError("'members' must be a list of specs, each with a 'column'", str(path))
    for member in members:
        for name in member:
            if name not in MEMBER_KEYS:
                raise TableError(
                    f"unknown key 'members.{name}' - expected one of {', '.join(sorted(MEMBER_KEYS))}",
                    str(path),
                )
    return mapping


def columns_of(mapping: dict[str, Any]) -> list[str]:
    """Every column the mapping names."""
    network = mapping.get("network") or {}
    names = [
        network.get(k)
        for k in ("id", "name", "acronym", "programme", "type", "start", "end", "budget", "website")
    ]
    names.append(mapping["source"].get("column"))
    for member in mapping["members"]:
        names += [member.get(k) for k in ("column", "country", "town", "geonames", "website")]
        role = member.get("role")
        names.append(role.get("column") if isinstance(role, dict) else None)
    return [n for n in names if isinstance(n, str)]


def to_pattern(pattern: str) -> re.Pattern[str]:
    """A regular expression from an item pattern such as ``"{name} ({country})"``.

    Text after the pattern's closing literal is ignored ("Verona (IT) [host of the 1st meeting]").

    >>> to_pattern("{name} ({country})").match("Westminster / London (UK) (a note)").groupdict()
    {'name': 'Westminster / London', 'country': 'UK'}
    """
    parts = re.split(r"\{(name|country|town)\}", pattern)
    text = "".join(f"(?P<{p}>[^()]+?)" if i % 2 else re.escape(p) for i, p in enumerate(parts))
    return re.compile(rf"^\s*{text}" + (r"\s*$" if pattern.endswith("}") else ""))


def read_items(row: Row, spec: dict[str, Any], review: list[ReviewLine]) -> list[dict[str, str]]:
    """The member items a cell holds: one, or a list split by ``split``, each read by ``pattern``;
    an item the pattern does not read goes to the review list (a hand-kept list has such items)."""
    cell = row.text(spec["column"])
    items = [i.strip() for i in cell.split(spec["split"])] if spec.get("split") else [cell]
    pattern = to_pattern(spec["pattern"]) if spec.get("pattern") else None
    found = []
    for item in filter(None, items):
        match = pattern.match(item) if pattern else None
        if pattern and not match:
            review.append(ReviewLine(row.record, item, "", "", f'not read: not like "{spec["pattern"]}"'))
            continue
        found.append(match.groupdict() if match else {"name": item})
    return found


def read_role(row: Row, spec: dict[str, Any]) -> str:
    """``lead-partner`` or ``partner``: fixed by the spec, or a column whose ``lead`` values mean lead."""
    role = spec.get("role", "partner")
    if isinstance(role, dict):
        lead = {str(v).lower() for v in role.get("lead", [])}
        return "lead-partner" if row.text(role["column"]).lower() in lead else "partner"
    return str(role)


def to_members(
    row: Row, spec: dict[str, Any], network: Network, review: list[ReviewLine]
) -> list[PlaceRequest]:
    """The members one spec reads from a row (one with an unknown country goes to the review list)."""
    requests = []
    for item in read_items(row, spec, review):
        given = item.get("country") or (row.text(spec["country"]) if spec.get("country") else "")
        country = to_country(given) if given else None
        if not country:  # every member has a country: without one it is not kept
            review.append(ReviewLine(row.record, item["name"], "", given, "not read: no country"))
            continue
        name = item["name"]
        town = item.get("town") or (row.text(spec["town"]) if spec.get("town") else "") or name
        kind, org_type = (
            classify(name, town) if spec.get("kind", "auto") == "auto" else (spec["kind"], "other")
        )
        slug = "-".join(filter(None, [(country or "").lower(), slugify(name) or "partner"]))
        member = Member("organisation", name, country, read_role(row, spec), row.number, slug=slug,
                        org_type=spec.get("type") or org_type, town=town, record=row.record)  # fmt: skip
        geonames = row.text(spec["geonames"]) if spec.get("geonames") else ""
        if geonames and not geonames.isdigit():
            raise row.fail(spec["geonames"], f'"{geonames}" is not a GeoNames id (a whole number)')
        member.geonames = int(geonames) if geonames else None
        website = row.text(spec["website"]) if spec.get("website") else ""
        member.website = website if URL.match(website) else None
        bare = kind != "city" and spec.get("kind", "auto") == "auto" and may_be_place(name)
        requests.append(
            PlaceRequest(member, network, town, country, municipality=kind == "city", named_place=bare)
        )
    return requests


def read_first_date(row: Row, column: str | None, order: str) -> PartialDate | None:
    """The date a cell starts with ("2008 (mid)" is 2008); an impossible date is an error."""
    if not column:
        return None
    first = row.text(column).split(" ", 1)[0]
    return read_date(Row(row.table, row.number, {column: first}), column, order)


def to_network(row: Row, mapping: dict[str, Any]) -> Network:
    """A network from a row's network columns."""
    spec, order = mapping.get("network") or {}, mapping.get("dates", "iso")
    text = {
        k: row.text(spec[k]) if spec.get(k) else ""
        for k in ("id", "name", "acronym", "programme", "type", "website")
    }
    name = text["name"] or text["acronym"] or text["id"]
    if not name:
        raise row.fail(spec.get("name") or spec.get("id") or "", "empty - every row names its network")
    network_id = slugify(text["id"] or text["acronym"] or name) or "network"
    network = Network(
        network_id, [Name(name, None)], row.number, acronym=text["acronym"] or None, record=row.record
    )
    network.programme = (spec.get("programmes") or {}).get(
        text["programme"], slugify(text["programme"]) or None
    )
    network.type = (spec.get("types") or {}).get(text["type"], slugify(text["type"]) or None)
    network.start = read_first_date(row, spec.get("start"), order)
    network.end = read_first_date(row, spec.get("end"), order)
    network.budget = (
        read_money(row, spec["budget"], spec.get("currency", "EUR"), mapping.get("decimal", "."))
        if spec.get("budget")
        else None
    )
    network.website = text["website"] if URL.match(text["website"]) else None
    return network


def declare_programmes(rows: list[Row], mapping: dict[str, Any]) -> list[Programme]:
    """A Programme for each programme value the mapping does not map to a concept (its slug its id)."""
    spec = mapping.get("network") or {}
    if not spec.get("programme"):
        return []
    known = spec.get("programmes") or {}
    values = dict.fromkeys(r.text(spec["programme"]) for r in rows)
    return [Programme(slugify(v), [Name(v, None)], 0, record=None) for v in values if v and v not in known]


def to_entry(source: dict[str, Any], value: str, path: Path) -> SourceEntry:
    """The inline source entry: the mapping's, its url (and id) the row's source if a column gives one."""
    base = str(source.get("id") or slugify(path.stem))
    page = slugify(re.sub(r"^https?://(www\.)?", "", value))
    entry_id = f"{base}-{page}"[:80].strip("-") if value else base
    title, language = str(source.get("title") or path.name), str(source.get("language") or "en")
    return SourceEntry(entry_id, title, language, 1,
                       source.get("publisher"), value if URL.match(value) else source.get("url"),
                       file=path.name, date=source.get("date"), licence=source.get("licence"))  # fmt: skip


def build_mapped(path: Path, mapping_path: Path) -> list[Imported]:
    """A table read as its mapping says: one Imported per source (one, or one per ``source.column`` value)."""
    mapping = read_mapping(mapping_path)
    table: Table = read_table(path, mapping.get("sheet"))
    table.require(columns_of(mapping))
    if not table.rows:
        raise table.fail("empty - no rows under the header")
    groups: dict[str, list[Row]] = {}
    column = mapping["source"].get("column")
    for row in table.rows:
        groups.setdefault(row.text(column) if column else "", []).append(row)
    return [
        to_imported(rows, mapping, to_entry(mapping["source"], value, path)) for value, rows in groups.items()
    ]


def to_imported(rows: list[Row], mapping: dict[str, Any], entry: SourceEntry) -> Imported:
    """The networks and members of one source's rows; rows with one network id are one network."""
    networks: dict[str, Network] = {}
    requests: list[PlaceRequest] = []
    review: list[ReviewLine] = []
    for row in rows:
        found = to_network(row, mapping)
        network = networks.setdefault(found.id, found)
        if network is found and found.start and found.end and found.end.text < found.start.text:
            what = f"ends ({found.end.text}) before it starts ({found.start.text}): the end is not kept"
            review.append(ReviewLine(row.record, found.names[0].text, "", "", what))
            found.end = None
        for spec in mapping["members"]:
            for request in to_members(row, spec, network, review):
                if all(m.slug != request.member.slug for m in network.members):
                    network.members.append(request.member)
                    requests.append(request)
    facts = FactFile(f"graph/imported/{entry.id}.yaml", entry.id, list(networks.values()), [])
    facts.programmes = declare_programmes(rows, mapping)
    return Imported(entry.id, facts, entry, requests, review, [f"table {entry.file}, read by a mapping"])
