"""Tables imported by a mapping (the worked example of docs/importing.md), and bad input: one line, exit 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citynet.sources.mapping import build_mapped
from tests.conftest import invoke

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "data" / "urbact-pages" / "networks_from_pages.csv"
XLSX = ROOT.parent / "shared" / "data" / "keep-eu" / "keep_closed_1420.xlsx"


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    text = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")
    path = tmp_path / "urbact-pages.yaml"
    path.write_text(re.search(r"```yaml\n(.*?)```", text, re.S).group(1), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project" / "graph").mkdir(parents=True)
    return tmp_path / "project"


@pytest.mark.skipif(not PAGES.is_file(), reason="needs ../shared/data/urbact-pages")
def test_worked_example(mapping: Path):
    built = build_mapped(PAGES, mapping)
    assert len(built) == 30  # distinct source_url values of the CSV
    networks = {n.names[0].text: n for b in built for n in b.facts.networks}
    assert len(networks) == 32
    playful = networks["Playful Paradigm"]
    assert [(m.name, m.country, m.role) for m in playful.members][:2] == [
        ("Udine", "IT", "lead-partner"),
        ("Cork", "IE", "partner"),
    ]
    assert len(playful.members) == 8 and playful.programme == "urbact-iii"
    assert (playful.start.text, playful.end.text, playful.type) == (
        "2018-04-04",
        "2021-04-06",
        "transfer-network",
    )
    entry = next(b.entry for b in built if playful in b.facts.networks)
    assert entry.url == "https://urbact.eu/networks/playful-paradigm"


@pytest.mark.skipif(not PAGES.is_file(), reason="needs ../shared/data/urbact-pages")
def test_cli_writes_fact_files(mapping: Path, project: Path):
    result = invoke("import", "table", str(PAGES), "--mapping", str(mapping), "--project", str(project))
    assert result.returncode == 0, result.stderr
    written = sorted((project / "graph" / "imported").glob("*.yaml"))
    assert len(written) == 30
    assert written[0].read_text().startswith("# Written by `citynet import table`: regenerated")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


PROJECTS = "Programme;Acronym;Project Name;Budget;Project start;Project end\n"
PARTNERS = "Programme;Acronym;Project Partner;Lead Partner;Town;Country\n"
P = PARTNERS + "P;A;X;Yes;Gent;Belgium\n"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"p.csv": PROJECTS + "P;A;Name;1,000.00;2015/02/30;2016/01/01\n", "q.csv": P},
         'p.csv: row 2 column "Project start": impossible date "2015/02/30"'),
        ({"p.csv": PROJECTS + "P;A;Name;-5.00;2015/02/01;2016/01/01\n", "q.csv": P},
         'p.csv: row 2 column "Budget": negative amount "-5.00"'),
        ({"p.csv": PROJECTS + "P;A;N;5;2015/02/01;2016/01/01\n", "q.csv": PARTNERS.replace("Town", "City")},
         'q.csv: column "Town": missing'),
        ({"p.csv": PROJECTS.replace("Budget", "Budgets") + "P;A;N;5;2015;2016\n", "q.csv": P},
         'p.csv: column "Budget": missing - renamed to "Budgets"?'),
        ({"p.csv": PROJECTS, "q.csv": P}, "p.csv: empty - no rows under the header"),
        ({"p.csv": ""}, "p.csv: empty"),
        ({"p.csv": PROJECTS + "P;A;N;5;2015;2016\n", "q.csv": PARTNERS + "P;A;X;Yes;Gent;Atlantis\n"},
         'q.csv: row 2 column "Country": no country in "Atlantis"'),
        ({"x.xlsx": "Programme;Acronym\n"}, "x.xlsx: not a xlsx workbook (the file is text)"),
        ({"p.csv": PROJECTS + "P;A;N;5;2015;2016\n", "q.csv": PARTNERS + "P;B;X;Yes;G;BE\n"},
         'q.csv: row 2 column "Acronym": no project "B" of "P"'),
    ],
)  # fmt: skip
def test_bad_keep_eu_input(tmp_path: Path, project: Path, files: dict[str, str], message: str):
    paths = [str(write(tmp_path / name, text)) for name, text in files.items()]
    result = invoke("import", "keep-eu", *paths, "--project", str(project))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (project / "graph" / "imported").exists()


@pytest.mark.skipif(not XLSX.is_file(), reason="needs ../shared/data/keep-eu")
def test_missing_sheet(project: Path, mapping: Path, tmp_path: Path):
    text = mapping.read_text().replace("dates: day-first", "sheet: Projects")
    result = invoke(
        "import",
        "table",
        str(XLSX),
        "--mapping",
        str(write(tmp_path / "m.yaml", text)),
        "--project",
        str(project),
    )
    assert result.returncode == 1
    assert 'sheet "Projects": no such sheet - the workbook has: "Projects (lead partners)"' in result.stderr


@pytest.mark.skipif(not PAGES.is_file(), reason="needs ../shared/data/urbact-pages")
def test_mapping_names_a_missing_column(mapping: Path, project: Path, tmp_path: Path):
    text = mapping.read_text().replace("column: lead_partner", "column: lead")
    result = invoke(
        "import",
        "table",
        str(PAGES),
        "--mapping",
        str(write(tmp_path / "m.yaml", text)),
        "--project",
        str(project),
    )
    assert result.returncode == 1
    assert 'networks_from_pages.csv: column "lead": missing - no such column' in result.stderr
    assert not (project / "graph" / "imported").exists()


def test_the_shipped_mapping_is_the_documented_one(mapping: Path) -> None:
    """graph/mappings/urbact-pages.yaml (what the bundled graph is imported with) is docs/importing.md's."""
    shipped = (ROOT / "graph" / "mappings" / "urbact-pages.yaml").read_text(encoding="utf-8")
    assert shipped.split("\n", 1)[1] == mapping.read_text(encoding="utf-8")
