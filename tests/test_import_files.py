"""Tables read as users give them (xlsx, CSV in encodings and separators) and imported end to end."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from citynet import api
from citynet.sources.mapping import build_mapped
from citynet.sources.tables import read_table
from tests.conftest import invoke
from tests.xlsxfile import write_xlsx

ROOT = Path(__file__).resolve().parents[1]
KEEP = ROOT.parent / "shared" / "data" / "keep-eu"
PROJECT_ROW = ["2014 - 2020 URBACT III", "REFILL", "Refill", "2016/09/01", "2018/05/31"]
PARTNER_ROW = [
    "2014 - 2020 URBACT III",
    "REFILL",
    "Ghent",
    "Yes",
    "Gent",
    "Belgium",
    "BE Belgium / BELGIQUE-BELGIË",
]
PROJECTS = [["Programme", "Acronym", "Project Name", "Project start", "Project end"], PROJECT_ROW]
PARTNERS = [
    ["Programme", "Acronym", "Project Partner", "Lead Partner", "Town", "Country", "Country code"],
    PARTNER_ROW,
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project" / "graph").mkdir(parents=True)
    return tmp_path / "project"


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        ({"Projects (lead partners)": PROJECTS}, 'sheet "Partners": no such sheet'),
        ({"Projects": PROJECTS, "Partners": PARTNERS}, 'sheet "Projects (lead partners)": no such sheet'),
        ({"Projects (lead partners)": PROJECTS[:1], "Partners": PARTNERS},
         'sheet "Projects (lead partners)": empty - no rows under the header'),
        ({"Projects (lead partners)": [PROJECTS[0], [*PROJECT_ROW[:3], "2016/13/01", ""]],
          "Partners": PARTNERS},
         'sheet "Projects (lead partners)" row 2 column "Project start": impossible date "2016/13/01"'),
    ],
)  # fmt: skip
def test_bad_workbooks(tmp_path: Path, project: Path, sheets: dict, message: str):
    path = write_xlsx(tmp_path / "export.xlsx", sheets)
    result = invoke("import", "keep-eu", str(path), "--project", str(project))
    assert (result.returncode, result.stderr.count("\n")) == (1, 1), result.stderr
    assert message in result.stderr and str(path) in result.stderr
    assert not (project / "graph" / "imported").exists()


def test_a_workbook_end_to_end(tmp_path: Path, project: Path):
    path = write_xlsx(tmp_path / "export.xlsx", {"Projects (lead partners)": PROJECTS, "Partners": PARTNERS})
    result = invoke("import", "keep-eu", str(path), "--project", str(project))
    assert result.returncode == 0, result.stderr
    assert "1 networks" in result.stdout and "1 cities" in result.stdout  # Ghent: the City of Gent
    text = (project / "graph" / "imported" / "export.yaml").read_text()
    assert "\n  - id: refill\n" in text and "Written by `citynet import keep-eu`" in text
    review = list(csv.reader((project / "graph" / "imported" / "export.unresolved.csv").open()))
    assert review == [["row", "name", "town", "country", "issue", "candidates"]]
    api.load(project, tmp_path / "store")  # the written file loads: Ghent leads REFILL
    rows = api.query("partners", {"network": "refill"}, store_dir=tmp_path / "store")
    assert [(row["label"], row["role"]) for row in rows] == [("Gent", "lead partner")]


@pytest.mark.parametrize(
    ("encoding", "separator"), [("utf-8-sig", ";"), ("utf-8", "\t"), ("cp1252", ","), ("utf-16", ";")]
)
def test_csv_encodings_and_separators(tmp_path: Path, encoding: str, separator: str):
    path = tmp_path / "t.csv"
    path.write_text(f"Partner{separator}Town\nCité de Liège{separator}Liège\n", encoding=encoding)
    table = read_table(path)
    assert table.columns == ["Partner", "Town"] and table.rows[0].text("Town") == "Liège"


def test_a_table_nobody_here_wrote(tmp_path: Path):
    """One partner a row, roles as codes, GeoNames ids given, a TSV with its own column names."""
    table = tmp_path / "partners.tsv"
    table.write_text(
        "Projekt\tPartnerin\tRolle\tLand\tOrt\tGeoNames\tBeginn\n"
        "Green Ports\tHafen Hamburg Marketing e.V.\tLP\tDE\tHamburg\t2911298\t01.02.2019\n"
        "Green Ports\tComune di Genova\tPP\tItaly\tGenova\t3176219\t01.02.2019\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "source: {id: green-ports, title: Green Ports partners, language: de}\n"
        "dates: day-first\n"
        "network: {name: Projekt, start: Beginn}\n"
        "members:\n"
        "  - {column: Partnerin, role: {column: Rolle, lead: [LP]}, country: Land, town: Ort,\n"
        "     geonames: GeoNames}\n",
        encoding="utf-8",
    )
    [imported] = build_mapped(table, mapping)
    [network] = imported.facts.networks
    assert (network.id, network.start.text) == ("green-ports", "2019-02-01")
    members = [(m.name, m.country, m.role, m.org_type, m.geonames) for m in network.members]
    assert members == [
        ("Hafen Hamburg Marketing e.V.", "DE", "lead-partner", "ngo", 2911298),
        ("Comune di Genova", "IT", "partner", "municipality", 3176219),
    ]
    assert imported.places[1].municipality  # the City of Genova, once placed


@pytest.mark.slow
@pytest.mark.skipif(not KEEP.is_dir(), reason="needs ../shared/data/keep-eu")
def test_keep_eu_csvs_end_to_end(project: Path):
    files = [str(KEEP / "keep_urbact3_partnerships.csv"), str(KEEP / "keep_urbact3_projects_budgets.csv")]
    result = invoke("import", "keep-eu", *files, "--project", str(project))
    assert result.returncode == 0, result.stderr
    assert "29 networks" in result.stdout
    review = list(csv.DictReader((project / "graph" / "imported" / "keep-urbact3.unresolved.csv").open()))
    assert all(line["row"].startswith(("Partners row", "Projects", "keep_urbact3")) for line in review)


@pytest.mark.skipif(not KEEP.is_dir(), reason="needs ../shared/data/keep-eu")
def test_urbact_partners_are_cities():
    """URBACT's partners are named by their city: Ghent (in Gent) leads REFILL, Naples 2nd Chance."""
    from citynet.places.importing import resolve_places
    from citynet.places.resolver import Resolver
    from citynet.sources.keepeu import build_keep_eu

    imported = resolve_places(build_keep_eu([KEEP / "keep_urbact3_partnerships.csv"]), Resolver())
    networks = {n.acronym: n for n in imported.facts.networks}
    leads = {a: [(m.kind, m.written, m.geonames) for m in networks[a].members if m.role == "lead-partner"]
             for a in ("REFILL", "2nd Chance")}  # fmt: skip
    assert leads == {"REFILL": [("city", "Ghent", 2797656)], "2nd Chance": [("city", "Naples", 3172394)]}
    assert networks["REFILL"].id == "refill"  # the same id as from the xlsx's Projects sheet


def test_twins_and_spellings(tmp_path: Path):
    """Twin municipalities of one seat town are two members; one town written two ways is reported."""
    from citynet.places.importing import resolve_places
    from citynet.places.resolver import Resolver
    from citynet.sources.keepeu import build_keep_eu

    rows = [
        ["P", "Park", "GMINA MIEJSKA ZGORZELEC", "Yes", "Zgorzelec", "Poland", "PL Poland / POLSKA"],
        ["P", "Park", "GMINA ZGORZELEC", "No", "Zgorzelec", "Poland", "PL Poland / POLSKA"],
        ["P", "Park", "Ghent University", "No", "Gent", "Belgium", "BE Belgium / BELGIQUE-BELGIË"],
        ["P", "Park", "Flanders Heritage Agency", "No", "Ghent", "Belgium", "BE Belgium / BELGIQUE-BELGIË"],
    ]
    sheets = {
        "Projects (lead partners)": [PROJECTS[0], ["P", "Park", "Park", "", ""]],
        "Partners": [PARTNERS[0], *rows],
    }
    imported = resolve_places(build_keep_eu([write_xlsx(tmp_path / "e.xlsx", sheets)]), Resolver())
    [network] = imported.facts.networks
    kinds = [(m.kind, m.org_type) for m in network.members]
    assert kinds == [("city", None), ("organisation", "municipality"), ("organisation", "university"),
                     ("organisation", "agency")]  # fmt: skip
    assert network.members[0].geonames == network.members[1].geonames  # both located in Zgorzelec
    [line] = imported.review
    assert (line.record, line.town) == ("Partners row 5", "Ghent")
    assert 'two spellings of one town in park: "Gent" (Partners row 4)' in line.issue
