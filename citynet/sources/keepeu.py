"""A keep.eu export (the xlsx with its three sheets, or the per-sheet CSV files) as a fact file.

keep.eu (Interact's database of Interreg projects) has no project id: a project is its (programme,
acronym). Rows of "Projects (lead partners)" that agree on every project column but the lead partner
are one project with several leads (Interreg Sweden-Norway has one per side). A network's id is its
acronym's slug; an acronym two programmes use gets the programme's id after it, two different
projects of one programme and acronym their start date (then their name), never a row number.

Partners: the town's own municipality is its City (resolved later); any other partner an
organisation with a type, located in its town; its slug is country + name, the same in every project.
Addresses, departments and contact persons are not read.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from citynet.errors import TableError
from citynet.sources.facts import SourceEntry
from citynet.sources.imported import (
    Imported,
    PlaceRequest,
    ReviewLine,
    read_date,
    read_file_date,
    read_money,
    slugify,
    to_country,
)
from citynet.sources.model import URL, Call, FactFile, Member, Name, Network, Programme
from citynet.sources.partners import classify, may_be_place
from citynet.sources.tables import Row, Table, read_tables

PROJECTS, PARTNERS, CALLS = "Projects (lead partners)", "Partners", "Calls"
REQUIRED = {
    PROJECTS: ["Programme", "Acronym"],
    PARTNERS: ["Programme", "Acronym", "Project Partner", "Lead Partner", "Town"],
    CALLS: ["Programme", "Serial Number"],
}
OPTIONAL = {  # read when present (a downloaded CSV may hold fewer columns); a renamed one is an error
    PROJECTS: ["Project Name", "Project Name language 2", "Project Name language 3", "Budget", "EU Funding",
               "ERDF budget", "IPA budget", "ENI budget", "Project start", "Project end", "Thematic1",
               "Thematic2", "Thematic3", "Website", "Call SN"],
    PARTNERS: ["Country", "Country code", "Postal code", "Legal Status", "NUTS3 (or equivalent)"],
    CALLS: ["Start Date", "End Date", "Budget"],
}  # fmt: skip
LEAD_COLUMNS = {"Lead Partner", "Street", "Postal code", "Town", "Country"}  # a Projects row's lead
FUNDS = {"erdf": "ERDF budget", "ipa": "IPA budget", "eni": "ENI budget"}
STRANDS = (  # keep.eu's programme name -> strand concept, first match wins
    ("urbact", r"\burbact\b"),
    ("espon", r"\bespon\b"),
    ("interact", r"\binteract\b"),
    ("ipa-cbc", r"\bipa\b"),
    ("eni-cbc", r"\beni\b"),
    ("interreg-c", r"interreg europe|\bv-?c\b"),
    ("interreg-b", r"\bv-?b\b"),
    ("interreg-a", r"\bv-?a\b|\bpeace\b"),
)
KNOWN_PROGRAMMES = {"urbact-iii": "urbact-iii", "urbact-iii-2014-2020": "urbact-iii"}
FIVE_DIGITS = ["DE", "FR", "IT", "ES", "FI", "EE", "HR", "GR", "LT", "CZ", "SK", "SE", "RS", "TR", "ME", "BA"]
FOUR_DIGITS = ["AT", "BE", "BG", "CH", "DK", "HU", "LU", "NO", "SI", "CY", "MK", "AL", "LI", "LV"]
POSTAL_DIGITS = dict.fromkeys(FIVE_DIGITS, 5) | dict.fromkeys(FOUR_DIGITS, 4) | {"RO": 6, "IS": 3}
NUTS = re.compile(r"^([A-Z]{2}[A-Z0-9]{1,3})\b")


def identify(table: Table) -> str:
    """Which keep.eu sheet a table is: by its sheet name, else (a CSV file) by its columns."""
    if table.sheet in REQUIRED:
        return table.sheet
    for sheet, marker in ((PARTNERS, "Project Partner"), (CALLS, "Serial Number"), (PROJECTS, "Acronym")):
        if marker in table.columns:
            return sheet
    raise table.fail(f"not a keep.eu sheet - expected the columns of {PROJECTS}, {PARTNERS} or {CALLS}")


def check_columns(table: Table, sheet: str) -> None:
    """Fail on a missing required column, or an optional one that seems renamed."""
    table.require(REQUIRED[sheet])
    unknown = [c for c in table.columns if c not in REQUIRED[sheet] + OPTIONAL[sheet]]
    for column in OPTIONAL[sheet]:
        near = [c for c in unknown if slugify(c) == slugify(column) or slugify(c).startswith(slugify(column))]
        if column not in table.columns and near:
            raise table.fail(f'missing - renamed to "{near[0]}"? keep.eu names it "{column}"', column=column)


def to_programme(text: str, record: str) -> Programme:
    """A keep.eu programme name ("2014 - 2020 INTERREG V-A Germany - Denmark") as a Programme.

    >>> p = to_programme("2014 - 2020 URBACT III", "Calls row 2")
    >>> p.id, p.strand, p.period, p.names[0].text
    ('urbact-iii', 'urbact', '2014-2020', 'URBACT III')
    >>> to_programme("2014 - 2020 INTERREG VB Central Europe", "").strand
    'interreg-b'
    """
    found = re.match(r"^\s*(\d{4})\s*-\s*(\d{4})\s+(.*)$", text)
    period, name = (
        (f"{found.group(1)}-{found.group(2)}", found.group(3).strip()) if found else (None, text.strip())
    )
    slug = slugify(name)
    strand = next((s for s, pattern in STRANDS if re.search(pattern, name, re.IGNORECASE)), None)
    return Programme(KNOWN_PROGRAMMES.get(slug, slug), [Name(name, "en")], 0, strand, period, record)


def key(row: Row) -> tuple[str, str]:
    """A keep.eu project's key: its programme and acronym (always text: "103" stays "103")."""
    return row.text("Programme"), row.text("Acronym")


@dataclass
class Project:
    """The rows of one keep.eu project (one, or one per lead partner) and its id once chosen."""

    key: tuple[str, str]
    rows: list[Row]
    id: str = ""


def group_projects(table: Table) -> list[Project]:
    """Projects by (programme, acronym); rows differing in more than their lead are distinct projects."""
    projects: dict[tuple, Project] = {}
    for row in table.rows:
        if not row.text("Programme") or not row.text("Acronym"):
            raise row.fail(
                "Acronym" if row.text("Programme") else "Programme", "empty - every project has one"
            )
        content = tuple(row.text(c) for c in table.columns if c not in LEAD_COLUMNS)
        projects.setdefault(content, Project(key(row), [])).rows.append(row)
    return list(projects.values())


def choose_ids(projects: list[Project], programme_ids: dict[str, str]) -> None:
    """Stable, unique ids: the acronym's slug, then the programme's id, then the start date or name."""
    for project in projects:
        first = project.rows[0]
        names = [
            first.text(c) for c in ("Project Name", "Project Name language 2", "Project Name language 3")
        ]
        project.id = slugify(project.key[1]) or next((slugify(n) for n in names if slugify(n)), "project")
    for level in ("programme", "start", "name"):
        counts = Counter(p.id for p in projects)
        keys = defaultdict(set)
        for p in projects:
            keys[p.id].add(p.key)
        for p in projects:
            if counts[p.id] > 1 and (level != "programme" or len(keys[p.id]) > 1):
                row = p.rows[0]
                extra = {"programme": programme_ids[p.key[0]], "start": slugify(row.text("Project start"))}
                p.id = f"{p.id}-{extra.get(level) or slugify(row.text('Project Name')) or 'n'}"


def read_names(row: Row, acronym: str) -> list[Name]:
    """A project's names in up to three languages, each once; language unknown: none given."""
    texts = [row.text(c) for c in ("Project Name", "Project Name language 2", "Project Name language 3")]
    unique = list(dict.fromkeys(t for t in texts if t))
    return [Name(text, None) for text in unique] or [Name(acronym, None)]


def to_network(project: Project, programme: str, calls: dict[tuple[str, str], str]) -> Network:
    """A Network from a project's first row (the others differ only in their lead partner)."""
    row = project.rows[0]
    records = ", ".join(str(r.number) for r in project.rows)
    network = Network(
        id=project.id,
        names=read_names(row, project.key[1]),
        line=row.number,
        acronym=project.key[1],
        programme=programme,
        call=calls.get((project.key[0], row.text("Call SN"))),
        start=read_date(row, "Project start"),
        end=read_date(row, "Project end"),
        budget=read_money(row, "Budget"),
        website=row.text("Website") if URL.match(row.text("Website")) else None,
        eu_funding=read_money(row, "EU Funding"),
        record=f"{row.record.rsplit(' row ', 1)[0]} row{'s' if len(project.rows) > 1 else ''} {records}",
    )
    network.funds = {fund: m for fund, column in FUNDS.items() if (m := read_money(row, column))}
    themes = (row.text(c) for c in ("Thematic1", "Thematic2", "Thematic3"))
    network.themes = list(dict.fromkeys(slugify(t) for t in themes if slugify(t)))
    return network


def to_call(row: Row, programme: Programme) -> Call:
    """A Call from a row of the Calls sheet (programme, serial number, dates, budget)."""
    serial = row.text("Serial Number")
    if not serial:
        raise row.fail("Serial Number", "empty - every call has one")
    return Call(
        id=f"{programme.id}-call-{slugify(serial) or 'n'}",
        names=[Name(f"{programme.names[0].text}, call {serial}", "en")],
        line=row.number,
        programme=programme.id,
        start=read_date(row, "Start Date"),
        end=read_date(row, "End Date"),
        budget=read_money(row, "Budget"),
        record=row.record,
    )


def read_postal_code(row: Row, country: str | None) -> str | None:
    """The postal code; one Excel read as a number gets back its leading zeros (99099.0, 184.0 in IT).

    >>> from citynet.sources.tables import Table
    >>> read_postal_code(Row(Table("k.xlsx", "Partners", []), 2, {"Postal code": 184.0}), "IT")
    '00184'
    """
    text = row.text("Postal code")
    if isinstance(row.cells.get("Postal code"), float) and country in POSTAL_DIGITS:
        return text.zfill(POSTAL_DIGITS[country])
    return text or None


# URBACT's partners who left: "Athens 'Until the end of Phase 1'", "Sopron (Lead Partner until end of
# Phase 1)", "Lausanne City Council - phase 1 only": a last part, bracketed, quoted or after " - ",
# that names a phase.
OPENING = r"(?:[(\'\u2018\u2019\"]|\s-\s)"  # an opening bracket, a straight or curly quote, or " - "
NOTE = r"([^()\'\u2018\u2019\"]*\bphase\s*\d+[^()\'\u2018\u2019\"]*?)"
LEFT = re.compile(r"\s*" + OPENING + r"\s*" + NOTE + r"\s*[)\'\u2018\u2019\"]?\s*$", re.I)


def split_note(name: str) -> tuple[str, dict[str, str]]:
    """A partner's name without a note on when it left, and the note as the member's status.

    >>> split_note("Albacete (Partner until the end of Phase 1)")
    ('Albacete', {'en': 'Partner until the end of Phase 1'})
    >>> split_note("Athens 'Until the end of Phase 1'"), split_note("Gent")
    (('Athens', {'en': 'Until the end of Phase 1'}), ('Gent', {}))
    >>> split_note("Lausanne City Council - phase 1 only")
    ('Lausanne City Council', {'en': 'phase 1 only'})
    >>> split_note("Székesfehérvár (until 15.03.2016 - end of phase 1)")
    ('Székesfehérvár', {'en': 'until 15.03.2016 - end of phase 1'})
    """
    found = LEFT.search(name)
    return (name[: found.start()].strip(), {"en": found.group(1)}) if found else (name, {})


def to_member(row: Row, network: Network) -> PlaceRequest:
    """A partner row as a member: an organisation (a candidate City if its town's municipality)."""
    (name, status), town = split_note(row.text("Project Partner")), row.text("Town")
    if not name:
        raise row.fail("Project Partner", "empty - every partner has a name")
    country = to_country(row.text("Country code")) or to_country(row.text("Country"))
    if not country:
        column = "Country code" if row.text("Country code") or "Country" not in row.cells else "Country"
        raise row.fail(column, f'no country in "{row.text(column)}" - expected a name or "DE Germany / ..."')
    kind, org_type = classify(name, town, row.text("Legal Status"))
    nuts = NUTS.match(row.text("NUTS3 (or equivalent)"))
    nuts_name = row.text("NUTS3 (or equivalent)").partition("/")[2].strip() or None
    legal = row.text("Legal Status").lower()
    member = Member(
        kind="organisation",
        name=name,
        country=country,
        role="lead-partner" if row.text("Lead Partner").lower() in ("yes", "y", "true", "1") else "partner",
        line=row.number,
        slug="-".join(filter(None, [(country or "").lower(), slugify(name) or "partner"])),
        org_type=org_type,
        town=town or None,
        nuts3=nuts.group(1) if nuts else None,
        legal_status=legal if legal not in ("", "n/a") else None,
        record=row.record,
        status=status,
    )
    postal = read_postal_code(row, country)
    city, bare = kind == "city", kind != "city" and may_be_place(name)
    return PlaceRequest(member, network, town, country, postal, member.nuts3, nuts_name, city, bare)


def add_members(table: Table, networks: dict[tuple[str, str], Network], review: list[ReviewLine]) -> list:
    """Each partner row's member, in its network; a partner listed twice in a project is kept once."""
    requests = []
    for row in table.rows:
        network = networks.get(key(row))
        if network is None:
            raise row.fail(
                "Acronym", f'no project "{key(row)[1]}" of "{key(row)[0]}" in the {PROJECTS} sheet'
            )
        request = to_member(row, network)
        if any(m.slug == request.member.slug for m in network.members):
            what = f"listed twice in {network.id} (kept once)"
            review.append(
                ReviewLine(row.record, request.member.name, request.town, request.country or "", what)
            )
            continue
        network.members.append(request.member)
        requests.append(request)
    return requests


def read_export(paths: list[Path]) -> dict[str, Table]:
    """The sheets of one export: an xlsx's three, or the per-sheet CSV files told by their columns."""
    tables: dict[str, Table] = {}
    for path in paths:
        found = read_tables(path)
        if len(found) > 1 or None not in found:
            for sheet in (PROJECTS, PARTNERS):
                if sheet not in found:
                    names = ", ".join(f'"{name}"' for name in found)
                    raise TableError(
                        f"no such sheet - a keep.eu export has it; this workbook has: {names}",
                        str(path),
                        sheet,
                    )
            found = {name: t for name, t in found.items() if name in REQUIRED}
        for table in found.values():
            sheet = identify(table)
            if sheet in tables:
                raise table.fail(f"a second {sheet} sheet - the first is in {tables[sheet].path}")
            tables[sheet] = table
    if PROJECTS not in tables and PARTNERS not in tables:
        raise TableError(f"no {PROJECTS} or {PARTNERS} sheet - give the export as downloaded", str(paths[0]))
    return tables


def to_networks(
    tables: dict[str, Table], ids: dict[str, str], call_ids: dict, review: list[ReviewLine]
) -> dict[tuple[str, str], Network]:
    """The networks by (programme, acronym): from the Projects sheet, else (only the Partners CSV) from
    the partners' programme and acronym; the first project of a repeated key takes its partners."""
    if PROJECTS in tables:
        projects = group_projects(tables[PROJECTS])
    else:  # only the Partners CSV: a project per (programme, acronym), named by its acronym
        firsts: dict[tuple[str, str], Row] = {}
        for row in tables[PARTNERS].rows:
            firsts.setdefault(key(row), row)
        projects = [Project(k, [row]) for k, row in firsts.items()]
    choose_ids(projects, ids)
    networks: dict[tuple[str, str], Network] = {}
    for project in projects:
        network = networks.setdefault(project.key, to_network(project, ids[project.key[0]], call_ids))
        if network.start and network.end and network.end.text < network.start.text:  # a fact file refuses it
            what = f"ends ({network.end.text}) before it starts ({network.start.text}): the end is not kept"
            review.append(ReviewLine(network.record or "", project.key[1], "", "", what))
            network.end = None
    return networks


def to_facts(tables: dict[str, Table]) -> tuple[list[Programme], list[Network], list[Call], list, list]:
    """Programmes, networks, calls, place requests and review lines of an export's sheets."""
    for sheet, table in tables.items():
        check_columns(table, sheet)
        if not table.rows and sheet != CALLS:
            raise table.fail("empty - no rows under the header")
    programmes: dict[str, Programme] = {}
    for row in (r for t in tables.values() for r in t.rows):
        if not row.text("Programme"):
            raise row.fail("Programme", "empty - every row names its programme")
        programmes.setdefault(row.text("Programme"), to_programme(row.text("Programme"), row.record))
    ids = {text: p.id for text, p in programmes.items()}
    call_rows = tables[CALLS].rows if CALLS in tables else []
    calls = [to_call(row, programmes[row.text("Programme")]) for row in call_rows]
    call_ids = {
        (r.text("Programme"), r.text("Serial Number")): c.id for r, c in zip(call_rows, calls, strict=True)
    }
    review: list[ReviewLine] = []
    networks = to_networks(tables, ids, call_ids, review)
    requests = add_members(tables[PARTNERS], networks, review) if PARTNERS in tables else []
    return list(programmes.values()), list(networks.values()), calls, requests, review


LICENCE = "reuse with attribution to keep.eu / Interact"


def build_keep_eu(paths: list[Path]) -> Imported:
    """One keep.eu export (an xlsx, or its per-sheet CSV files) as checked facts, before resolution."""
    tables = read_export(paths)
    programmes, networks, calls, requests, review = to_facts(tables)
    stems = [p.stem for p in paths]
    common = re.sub(r"[^_\-. ]*$", "", os.path.commonprefix(stems)) if len(stems) > 1 else stems[0]  # noqa: RUF071
    export = slugify(common) or "keep-eu"
    date, how = read_file_date(paths[0])
    files = ", ".join(p.name for p in paths)
    entry = SourceEntry(
        id=export,
        title=f"keep.eu export {files}",
        language="en",
        line=1,
        publisher="Interact (keep.eu)",
        url="https://keep.eu/",
        file=files,
        date=date,
        licence=LICENCE,
    )
    facts = FactFile(f"graph/imported/{export}.yaml", export, networks, calls, programmes=programmes)
    return Imported(export, facts, entry, requests, review, [f"source date {date}: {how}"])
