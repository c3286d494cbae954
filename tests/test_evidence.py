"""Evidence on extracted facts (issue 19): read and written back, checked against the kept text, and
recorded in the source's named graph as W3C Web Annotations a SPARQL query can ask for.

The project under test is a copy of ``graph/`` plus an extracted fact file for the Daugavpils seed page
(``../shared/seeds/002_c00e98cb05310237.txt``, copied at test time as the text the offsets point into).
The quotes below were read from that page by hand; their offsets are found in it here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citynet import api
from citynet.build.assemble import read_ontology, read_vocabulary
from citynet.build.quads import Builder, add_fact_file
from citynet.errors import FactError
from citynet.places.gazetteer import read_gazetteer, to_place
from citynet.query.queries import bind_params, read_queries, run_query, to_rows
from citynet.sources.facts import read_fact_file
from citynet.sources.factwriter import write_fact_file
from citynet.sources.model import CONTROL, Call, Evidence, FactFile, Member, Name, Network, SourceEntry
from citynet.store.embedded import EmbeddedStore
from citynet.store.push import push_store
from citynet.store.remote import RemoteStore
from tests.conftest import SHARED

from .conftest import ROOT, copy_project, invoke
from .servers import virtuoso_server
from .test_factwriter import without_lines

VOCAB = read_vocabulary(read_ontology(ROOT / "ontology"))
SEED = SHARED / "seeds" / "002_c00e98cb05310237.txt"
needs_seed = pytest.mark.skipif(
    not SEED.is_file() and not os.environ.get("CI"), reason="needs ../shared/seeds (the seed pages)"
)
ID = "https://w3id.org/citynet/id/"
SOURCE = "daugavpils-extracted"
# Words of the Daugavpils page, read by hand: (field, quote) for the network and for each member.
NAME = "Cities of change – cooperation of cities in the field of city development"  # noqa: RUF001 - as written
NETWORK_QUOTES = [("names", NAME)]
NETWORK_QUOTES += [("declared.partners", "14 partneri"), ("declared.countries", "11 valstīm")]
POZNAN_QUOTES = [("member", "Poznaņas pašvaldība"), ("role", "Projekta koordinators")]
DAUGAVPILS_QUOTES = [("member", "Daugavpils pilsētas dome"), ("role", "kā sadarbības partneris")]


def evidence_lines(text: str, quotes: list[tuple[str, str]], indent: str) -> list[str]:
    """``evidence:`` with each quote at its (first) place in the text."""
    lines = [f"{indent}evidence:"]
    for field, quote in quotes:
        start = text.index(quote)
        lines.append(
            f'{indent}  - {{field: {field}, quote: "{quote}", start: {start}, end: {start + len(quote)}, '
            'rule: "test:by-hand", confidence: 0.9}'
        )
    return lines


def extracted_file(text: str, sha256: str) -> str:
    """The fact file ``citynet extract`` would write for the page, with evidence on every fact."""
    lines = [
        "source:",
        f"  id: {SOURCE}",
        "  title: Cities of change - cooperation of cities in the field of city development",
        "  language: lv",
        "  retrieved: 2026-12-05",
        f"  sha256: {sha256}",
        f"  text: {SOURCE}.txt",
        "networks:",
        "  - id: cities-of-change",
        f"    names: [{{text: {NAME}, lang: en}}]",
        "    declared: {partners: 14, countries: 11}",
        *evidence_lines(text, NETWORK_QUOTES, "    "),
        "    members:",
        "      - city: Poznań",
        "        written: Poznaņas",
        "        country: PL",
        "        role: lead-partner",
        *evidence_lines(text, POZNAN_QUOTES, "        "),
        "      - city: Daugavpils",
        "        country: LV",
        "        role: partner",
        *evidence_lines(text, DAUGAVPILS_QUOTES, "        "),
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of graph/ with the extracted Daugavpils facts, their text, and a broken proposal."""
    if not SEED.is_file():
        pytest.fail(f"{SEED} is missing: CI must have ../shared/seeds")
    root = copy_project(tmp_path_factory.mktemp("evidence") / "project")
    data = SEED.read_bytes()
    text = data.decode("utf-8")
    (root / "graph" / f"{SOURCE}.txt").write_text(text, encoding="utf-8")
    (root / "graph" / f"{SOURCE}.yaml").write_text(
        extracted_file(text, hashlib.sha256(data).hexdigest()), encoding="utf-8"
    )
    proposed = root / "graph" / "proposed"
    proposed.mkdir()
    (proposed / "broken.yaml").write_text("networks: [{id: never-loaded\n  names: : :\n", encoding="utf-8")
    (proposed / "also-not-loaded.yaml").write_text(
        "source: {id: not-loaded, title: T, language: en}\n"
        "networks:\n  - id: proposed-only\n    names: [{text: Proposed only}]\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def store(project: Path) -> EmbeddedStore:
    path = project.parent / "store"
    api.load(project, path)
    return EmbeddedStore.open(path)


QUOTES = f"""
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX cn: <https://w3id.org/citynet/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX its: <http://www.w3.org/2005/11/its/rdf#>
SELECT ?field ?quote ?start ?end ?rule ?confidence WHERE {{
  GRAPH <{ID}source/{SOURCE}> {{
    ?m cn:network <{ID}network/cities-of-change> ; cn:member ?city .
    ?a a oa:Annotation ; oa:hasBody ?m ; oa:hasTarget ?t ; dcterms:subject ?field ;
       its:taConfidence ?confidence ; prov:wasAttributedTo/rdfs:label ?rule .
    ?t oa:hasSource <{ID}source/{SOURCE}> ;
       oa:hasSelector [ oa:exact ?quote ] , [ oa:start ?start ; oa:end ?end ] .
  }}
  ?city rdfs:label "Daugavpils" .
}} ORDER BY ?start
"""


@needs_seed
def test_sparql_gives_the_quote_behind_the_daugavpils_membership(store: EmbeddedStore) -> None:
    rows = [
        {k: row[k].value for k in ("field", "quote", "start", "end", "rule")} for row in store.query(QUOTES)
    ]
    assert [(r["field"], r["quote"], r["rule"]) for r in rows] == [
        ("member", "Daugavpils pilsētas dome", "test:by-hand"),
        ("role", "kā sadarbības partneris", "test:by-hand"),
    ]
    text = SEED.read_text(encoding="utf-8")
    for row in rows:  # the offsets point at the quote in the kept text
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
    confidences = {row["confidence"].value for row in store.query(QUOTES)}
    assert confidences == {"0.9"}


@needs_seed
def test_the_source_has_its_checksum_and_retrieval_date(store: EmbeddedStore) -> None:
    query = f"""
        PREFIX spdx: <http://spdx.org/rdf/terms#>
        PREFIX pav: <http://purl.org/pav/>
        SELECT ?sha ?day WHERE {{ <{ID}source/{SOURCE}> spdx:checksum/spdx:checksumValue ?sha ;
                                  pav:retrievedOn ?day }}"""
    rows = list(store.query(query))
    assert [(r["sha"].value, r["day"].value) for r in rows] == [
        (hashlib.sha256(SEED.read_bytes()).hexdigest(), "2026-12-05")
    ]


@needs_seed
def test_network_evidence_is_annotated_too(store: EmbeddedStore) -> None:
    query = f"""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?quote WHERE {{ GRAPH <{ID}source/{SOURCE}> {{
            [] oa:hasBody <{ID}network/cities-of-change> ; oa:hasTarget/oa:hasSelector/oa:exact ?quote
        }} }}"""
    assert sorted(r["quote"].value for r in store.query(query)) == sorted(q for _, q in NETWORK_QUOTES)


@needs_seed
def test_the_evidence_query_gives_the_quotes_behind_a_networks_memberships(store: EmbeddedStore) -> None:
    rows = api.query("evidence", {"network": "Pārmaiņu pilsētas"}, store_dir=store.path)
    found = [(r["label"], r["role"], r["field"], r["quote"], r["rule"]) for r in rows]
    assert found == [
        ("Daugavpils", "partner", "member", "Daugavpils pilsētas dome", "test:by-hand"),
        ("Daugavpils", "partner", "role", "kā sadarbības partneris", "test:by-hand"),
        ("Poznań", "lead partner", "role", "Projekta koordinators", "test:by-hand"),
        ("Poznań", "lead partner", "member", "Poznaņas pašvaldība", "test:by-hand"),
    ]
    assert {r["source"] for r in rows} == {f"{ID}source/{SOURCE}"}


@needs_seed
@pytest.mark.server
def test_virtuoso_gives_the_same_quotes(store: EmbeddedStore, tmp_path: Path) -> None:
    """The annotations pushed to Virtuoso answer the evidence query as the embedded store does."""
    named = read_queries(ROOT / "queries")["evidence"]
    with virtuoso_server(tmp_path) as base:
        remote = RemoteStore(
            f"{base}/sparql", update_endpoint=f"{base}/sparql", graph_store=f"{base}/sparql-graph-crud"
        )
        push_store(store, remote)
        answers = [
            to_rows(run_query(r, named.text, bind_params(r, named, {"network": "Cities of change"})))
            for r in (store, remote)
        ]
    assert answers[0] == answers[1]
    assert len(answers[0][1]) == 4


@needs_seed
def test_the_published_site_has_a_document_for_each_annotation_and_rule(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    api.publish(tmp_path / "pub", dt.date(2026, 12, 5), store_dir=store.path)
    folder = tmp_path / "pub" / "id" / "evidence" / SOURCE / "membership" / "cities-of-change" / "city"
    pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    # Poznań (GeoNames 3088171) and Daugavpils (460413): member and role each
    assert pages == ["3088171/1.html", "3088171/2.html", "460413/1.html", "460413/2.html"]
    html = (folder / "460413" / "1.html").read_text(encoding="utf-8")
    assert "Daugavpils pilsētas dome" in html
    assert (tmp_path / "pub" / "id" / "extraction-rule" / "test:by-hand.ttl").is_file()


@needs_seed
def test_load_ignores_graph_proposed(store: EmbeddedStore) -> None:
    """graph/proposed/ holds a YAML error and a good proposal: the load neither fails nor takes them."""
    asked = f"ASK {{ {{ <{ID}network/proposed-only> ?p ?o }} UNION {{ <{ID}source/not-loaded> ?p ?o }} }}"
    assert not bool(store.query(asked))
    assert bool(store.query(f"ASK {{ <{ID}source/{SOURCE}> ?p ?o }}"))


# -- bad evidence: one error naming file, line and field --------------------------------------------

OK = "Vid Riga, Latvija"  # the text a good entry quotes: "Riga" at 4:8
GOOD = "{field: member, quote: Riga, start: 4, end: 8, rule: gazetteer:name, confidence: 0.9}"


def fact_file(evidence: str, text_line: str = "  text: s.txt") -> str:
    """A fact file whose one member has ``evidence`` on line 11."""
    return (
        "\n".join(
            [
                "source:",  # 1
                "  id: s",
                "  title: T",
                "  language: lv",
                text_line,  # 5
                "networks:",
                "  - id: n",
                "    names: [{text: N}]",
                "    members:",
                "      - {city: Riga, country: LV, role: partner, evidence: [",  # 10
                f"          {evidence}]}}",  # 11
            ]
        )
        + "\n"
    )


def read(tmp_path: Path, evidence: str, text: str | None = OK, text_line: str = "  text: s.txt"):
    (tmp_path / "s.yaml").write_text(fact_file(evidence, text_line), encoding="utf-8")
    if text is not None:
        (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    return read_fact_file(tmp_path / "s.yaml", VOCAB)


def test_good_evidence_is_read(tmp_path: Path) -> None:
    facts = read(tmp_path, GOOD)
    assert facts.networks[0].members[0].evidence == [Evidence("member", "Riga", 4, 8, "gazetteer:name", 0.9)]
    assert facts.source_entry and facts.source_entry.text == "s.txt"


@pytest.mark.parametrize(
    ("evidence", "text", "line", "field", "message"),
    [
        pytest.param(
            GOOD,
            "Vid Rīga, Latvija",
            11,
            "quote",
            "'Riga' is not the text at 4:8 of s.txt, which reads 'Rīga'",
            id="quote-mismatch",
        ),
        pytest.param(
            GOOD.replace("start: 4, end: 8", "start: 8, end: 4"),
            OK,
            11,
            "end",
            "end 4 is before start 8",
            id="start-after-end",
        ),
        pytest.param(
            GOOD.replace("0.9", "1.5"),
            OK,
            11,
            "confidence",
            "a confidence is between 0 and 1, got 1.5",
            id="confidence-above-1",
        ),
        pytest.param(
            GOOD.replace("0.9", "-0.1"),
            OK,
            11,
            "confidence",
            "a confidence is between 0 and 1, got -0.1",
            id="confidence-below-0",
        ),
        pytest.param(
            GOOD.replace("end: 8", "end: 9"),
            OK,
            11,
            "end",
            "the quote has 4 characters but end - start is 5",
            id="offsets-not-the-quote-length",
        ),
        pytest.param(
            GOOD.replace("quote: Riga, ", ""), OK, 11, "quote", "missing required field", id="no-quote"
        ),
        pytest.param(
            GOOD.replace("rule: gazetteer:name, ", ""), OK, 11, "rule", "missing required field", id="no-rule"
        ),
        pytest.param(
            GOOD.replace("start: 4", "start: -1"),
            OK,
            11,
            "start",
            "expected a whole number from 0",
            id="negative-start",
        ),
        pytest.param(
            GOOD.replace("}", ", page: 3}"), OK, 11, "page", "unknown field 'page'", id="unknown-key"
        ),
        pytest.param(
            GOOD.replace("quote: Riga, start: 4, end: 8", 'quote: "Riga, x@riga.lv", start: 4, end: 18'),
            "Vid Riga, x@riga.lv",
            11,
            "quote",
            "holds an e-mail address - evidence never quotes contact details",
            id="e-mail-in-quote",
        ),
        pytest.param(
            GOOD.replace("rule: gazetteer:name", "rule: .."),
            OK,
            11,
            "rule",
            "'..' is not a rule name such as 'cue:pl:lider'",
            id="rule-not-a-name",
        ),
    ],
)
def test_bad_evidence_is_one_error_naming_file_line_and_field(
    tmp_path: Path, evidence: str, text: str | None, line: int, field: str, message: str
) -> None:
    with pytest.raises(FactError) as raised:
        read(tmp_path, evidence, text)
    error = raised.value
    assert (error.path, error.line) == (str(tmp_path / "s.yaml"), line)
    assert error.field == f"networks[0].members[0].evidence[0].{field}"
    assert message in error.message
    assert "\n" not in str(error)


def test_a_missing_text_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FactError, match=r"s\.yaml:1: source\.text: text file 's\.txt' not found beside"):
        read(tmp_path, GOOD, text=None)


@pytest.mark.parametrize(
    ("text_line", "message"),
    [
        (
            "  text: ../s.txt",
            r"s\.yaml:5: source\.text: '\.\./s\.txt' is not a file name beside the fact file",
        ),
        ("  text: ..", r"s\.yaml:5: source\.text: '\.\.' is not a file name"),
        ("  sha256: ABC", r"s\.yaml:5: source\.sha256: 'ABC' is not 64 lower-case hexadecimal digits"),
        (
            "  retrieved: 2026-12",
            r"s\.yaml:5: source\.retrieved: '2026-12' is not a day - expected YYYY-MM-DD",
        ),
        ("  retrieved: 2026-02-30", r"s\.yaml:5: source\.retrieved: impossible date '2026-02-30'"),
    ],
)
def test_bad_source_extras_are_errors(tmp_path: Path, text_line: str, message: str) -> None:
    with pytest.raises(FactError, match=message):
        read(tmp_path, GOOD, text_line=text_line)


def test_without_a_text_file_offsets_are_not_checked_against_one(tmp_path: Path) -> None:
    facts = read(tmp_path, GOOD, text=None, text_line="  retrieved: 2026-12-05")
    assert facts.source_entry and facts.source_entry.retrieved == "2026-12-05"


def test_a_registered_source_with_text_is_checked_too(tmp_path: Path) -> None:
    """The register's entry names the text file; the fact file beside it is checked against it."""
    text = fact_file(GOOD).replace(
        "source:\n  id: s\n  title: T\n  language: lv\n  text: s.txt\n", "source: s\n"
    )
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "s.txt").write_text("Vid Rīga", encoding="utf-8")
    sources = {"s": SourceEntry("s", "T", "lv", 1, text="s.txt")}
    with pytest.raises(
        FactError, match=r"s\.yaml:7: networks\[0\]\.members\[0\]\.evidence\[0\]\.quote: 'Riga'"
    ):
        read_fact_file(tmp_path / "s.yaml", VOCAB, sources=sources)
    read_fact_file(tmp_path / "s.yaml", VOCAB)  # without the register's entry there is no text to check


def test_load_fails_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "graph" / "a-extracted.yaml").write_text(fact_file(GOOD), encoding="utf-8")
    (root / "graph" / "s.txt").write_text("Vid Rīga, Latvija", encoding="utf-8")
    result = invoke("load", "--root", str(root), "--store", str(tmp_path / "store"))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"Error: {root / 'graph' / 'a-extracted.yaml'}:11: networks[0].members[0].evidence[0].quote: "
        "'Riga' is not the text at 4:8 of s.txt, which reads 'Rīga' - expected text[start:end] == quote"
    ]
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == [".citynet-store", ".lock"]  # no data


# -- writing back ------------------------------------------------------------------------------------


def test_evidence_and_source_extras_read_back_as_written(tmp_path: Path) -> None:
    text = 'Lead: "Poznań"\n\tpartner Daugavpils '
    sha = hashlib.sha256(b"page").hexdigest()
    entry = SourceEntry("s", "Strona", "pl", 0, retrieved="2026-12-05", sha256=sha, text="s.txt")
    poznan = [
        Evidence("member", '"Poznań"', 6, 14, "gazetteer:name", 0.95),
        Evidence("role", "Lead", 0, 4, "cue:en:lead", 1.0),
    ]
    daugavpils = [Evidence("member", "\tpartner Daugavpils ", 15, 35, "fuzzy:1-edit", 0.0001)]
    network = Network(
        "cities-of-change",
        [Name("Cities of change", "en")],
        0,
        members=[
            Member("city", "Poznań", "PL", "lead-partner", 0, written="Poznań", evidence=poznan),
            Member("city", "Daugavpils", "LV", "partner", 0, evidence=daugavpils),
            Member("city", "Rīga", "LV", "partner", 0),
        ],
        evidence=[Evidence("names", "Lead", 0, 4, "registry:name", 0.5)],
    )
    call = Call("c", [Name("Call", "en")], 0, evidence=[Evidence("names", "partner", 16, 23, "r", 0.25)])
    facts = FactFile("", "s", [network], [call], 0, source_entry=entry)
    written = write_fact_file(facts)
    (tmp_path / "s.yaml").write_text(written, encoding="utf-8")
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    assert text[15:35] == daugavpils[0].quote and text[6:14] == poznan[0].quote  # the case itself is right
    assert without_lines(read_fact_file(tmp_path / "s.yaml", VOCAB)) == without_lines(facts)
    assert "      - {city: Rīga, country: LV, role: partner}\n" in written  # no evidence: one line still


def test_written_evidence_survives_a_second_round(tmp_path: Path) -> None:
    """Reading the seed-like extracted file and writing it gives a file that reads back the same."""
    text = "Vid Riga, Latvija"
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    (tmp_path / "s.yaml").write_text(fact_file(GOOD), encoding="utf-8")
    first = read_fact_file(tmp_path / "s.yaml", VOCAB)
    (tmp_path / "s.yaml").write_text(write_fact_file(first), encoding="utf-8")
    assert without_lines(read_fact_file(tmp_path / "s.yaml", VOCAB)) == without_lines(first)


# Any printable text (no C0/C1 control but tab and newline, which load refuses in every field): YAML
# indicators, quotes, ": ", " #", leading and trailing blanks, line and paragraph separators.
LETTERS = st.characters(codec="utf-8").filter(lambda c: not CONTROL.match(c))


@given(before=st.text(LETTERS, max_size=5), words=st.text(LETTERS, min_size=1))
def test_any_printable_quote_reads_back_and_matches_its_text(
    tmp_path_factory, before: str, words: str
) -> None:
    folder = tmp_path_factory.mktemp("quote")
    text = before + words + "."
    found = Evidence("member", words, len(before), len(before) + len(words), "r", 0.5)
    member = Member("city", "Riga", "LV", "partner", 0, evidence=[found])
    entry = SourceEntry("s", "T", "lv", 0, text="s.txt")
    facts = FactFile(
        "", "s", [Network("n", [Name("N", None)], 0, members=[member])], [], 0, source_entry=entry
    )
    (folder / "s.txt").write_text(text, encoding="utf-8", newline="")
    (folder / "s.yaml").write_text(write_fact_file(facts), encoding="utf-8")
    assert read_fact_file(folder / "s.yaml", VOCAB).networks[0].members[0].evidence == [found]


def test_two_spellings_of_one_member_keep_their_evidence_apart() -> None:
    """ "Riga" and "Rīga" are one membership (GeoNames 456172): three annotations, none merged."""
    riga = Member("city", "Riga", "LV", "partner", 0, evidence=[Evidence("member", "Riga", 0, 4, "r", 1.0)])
    quotes = [Evidence("member", "Rīga", 10, 14, "r", 1.0), Evidence("role", "partneris", 15, 24, "r", 0.5)]
    with_macron = Member("city", "Rīga", "LV", "partner", 0, evidence=quotes)
    facts = FactFile("", "s", [Network("n", [Name("N", None)], 0, members=[riga, with_macron])], [], 0)
    place = to_place(read_gazetteer()["456172"])
    builder = Builder(io.StringIO())
    add_fact_file(builder, facts, SourceEntry("s", "T", "lv", 0), {id(riga): place, id(with_macron): place})
    exact = [
        line for line in builder.out.getvalue().splitlines() if "<http://www.w3.org/ns/oa#exact>" in line
    ]
    assert sorted(line.split(" ", 1)[0] for line in exact) == [
        f"<{ID}evidence/s/membership/n/city/456172/{index}/quote>" for index in (1, 2, 3)
    ]
