"""A named query's row order declared in its header (``#+ order:``) and sorted by citynet.

The tiny query's rows come from its VALUES block, in the order written there (unsorted); the
expected orders below are worked out by hand from those five rows.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from citynet import api
from citynet.errors import QueryError
from citynet.query.queries import answer_named, read_queries, read_query, run_query, to_rows
from citynet.rdf.namespaces import PREFIXES
from citynet.store.embedded import EmbeddedStore

from .conftest import ROOT, invoke

TINY = """#+ summary: Five rows, unsorted
#+ order: [{column: name, fold: lower}, n]
SELECT ?name ?n ?iri WHERE {
  VALUES (?name ?n ?iri) {
    ("b" 2 <urn:x:b>) ("B" 1 <urn:x:B>) (UNDEF 5 <urn:x:u>) ("a" 10 <urn:x:a>) ("a" 9 UNDEF)
  }
}
"""
# By hand: the unbound name first; then "a" (9 before 10: numbers compare as numbers, not as text);
# then "B" and "b", equal once folded, by n (1, 2).
EXPECTED = [(None, 5), ("a", 9), ("a", 10), ("B", 1), ("b", 2)]
# The same order as an engine's ORDER BY, for comparing the formats with Oxigraph's own output.
ORDER_BY = "ORDER BY LCASE(STR(?name)) ?n"

# provenance.rq as it was before its order moved to the header: the reference for the order.
OLD_PROVENANCE = """PREFIX cn: <https://w3id.org/citynet/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?network ?city ?networkName ?memberName ?role ?source ?title ?language ?seed
WHERE {
  { SELECT DISTINCT ?source ?sourceKey ?title ?language ?seed WHERE {
      ?source a cn:Source ; dcterms:title ?title ; dcterms:language ?language .
      OPTIONAL { ?source cn:seedFile ?seed }
      BIND(STR(?source) AS ?sourceKey) } }
  { SELECT DISTINCT ?source ?network ?city ?role WHERE {
      GRAPH ?source { ?m cn:network ?network }
      { SELECT ?source ?m ?city WHERE { GRAPH ?source { ?m cn:member ?city } } }
      { SELECT ?source ?m ?r WHERE { GRAPH ?source { ?m cn:role ?r } } }
      { SELECT ?r ?role WHERE {
          { SELECT DISTINCT ?r WHERE { ?any cn:role ?r } }
          ?r rdfs:label ?role FILTER(LANG(?role) = "en") } } } }
  { SELECT ?network (MIN(COALESCE(STR(?acr), STR(?l))) AS ?networkName)
           (LCASE(MIN(COALESCE(STR(?acr), STR(?l)))) AS ?networkKey)
    WHERE { ?network a cn:Network ; rdfs:label ?l . OPTIONAL { ?network cn:acronym ?acr } }
    GROUP BY ?network }
  { SELECT ?city (MIN(STR(?ml)) AS ?memberName) WHERE { ?city rdfs:label ?ml } GROUP BY ?city }
}
ORDER BY ?networkKey ?memberName ?sourceKey
"""
PROVENANCE_COLUMNS = ["network", "city", "networkName", "memberName", "role", "source", "title"]
PROVENANCE_COLUMNS += ["language", "seed"]
FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "tiny.rq").write_text(TINY, encoding="utf-8")
    return tmp_path


def write_query(folder: Path, order_line: str, tail: str = "") -> Path:
    path = folder / "bad.rq"
    path.write_text(
        f"#+ summary: s\n{order_line}\nSELECT ?n {{ VALUES ?n {{ 1 }} }}{tail}\n", encoding="utf-8"
    )
    return path


def test_the_engine_gives_the_tiny_rows_unsorted() -> None:
    rows = to_rows(ox.Store().query(TINY))[1]
    assert [(r["name"], r["n"]) for r in rows] == [("b", 2), ("B", 1), (None, 5), ("a", 10), ("a", 9)]


def test_rows_come_in_the_declared_order(seed_store: Path, library: Path) -> None:
    rows = api.query("tiny", store_dir=seed_store, queries_dir=library)
    assert [(r["name"], r["n"]) for r in rows] == EXPECTED
    assert [r["iri"] for r in rows] == ["urn:x:u", None, "urn:x:a", "urn:x:B", "urn:x:b"]
    named = read_query(library / "tiny.rq")
    assert [(r["name"], r["n"]) for r in answer_named(ox.Store(), named)[1]] == EXPECTED


def test_the_table_comes_in_the_declared_order(seed_store: Path, library: Path) -> None:
    output = io.BytesIO()
    api.query("tiny", store_dir=seed_store, queries_dir=library, output=output, fmt="table")
    lines = output.getvalue().decode().splitlines()
    assert [line.split()[:2] for line in lines[2:7]] == [
        ["5", "urn:x:u"],
        ["a", "9"],
        ["a", "10"],
        ["B", "1"],
        ["b", "2"],
    ]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_is_the_engines_own_ordered_output(seed_store: Path, library: Path, fmt: str) -> None:
    """Oxigraph's serialisation of the same solutions, ORDER BY the same keys, byte for byte; and
    read back (CSV by the csv module: pyoxigraph refuses CSV, which loses the terms' kinds)."""
    output = io.BytesIO()
    api.query("tiny", store_dir=seed_store, queries_dir=library, output=output, fmt=fmt)
    engines = io.BytesIO()
    ox.Store().query(TINY.rstrip() + f"\n{ORDER_BY}\n").serialize(engines, format=FORMATS[fmt])
    assert output.getvalue() == engines.getvalue()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(output.getvalue().decode("utf-8"))))
        assert rows[0] == ["name", "n", "iri"]
        got = [(name or None, n) for name, n, _ in rows[1:]]
    else:
        ours = ox.parse_query_results(output.getvalue(), format=FORMATS[fmt])
        assert [v.value for v in ours.variables] == ["name", "n", "iri"]
        got = [(s[0].value if s[0] else None, s[1].value) for s in ours]
    assert got == [(None, "5"), ("a", "9"), ("a", "10"), ("B", "1"), ("b", "2")]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_row_whose_one_column_is_unbound_keeps_its_place(
    tmp_path: Path, seed_store: Path, fmt: str
) -> None:
    """In TSV, which citynet sorts, such a row is an empty line: it is a row all the same, first."""
    (tmp_path / "one.rq").write_text(
        '#+ summary: One column\n#+ order: [n]\nSELECT ?n WHERE { VALUES ?n { "b" UNDEF 3 } }\n',
        encoding="utf-8",
    )
    output = io.BytesIO()
    api.query("one", store_dir=seed_store, queries_dir=tmp_path, output=output, fmt=fmt)
    engines = io.BytesIO()
    ox.Store().query('SELECT ?n WHERE { VALUES ?n { "b" UNDEF 3 } } ORDER BY ?n').serialize(
        engines, format=FORMATS[fmt]
    )
    assert output.getvalue() == engines.getvalue()
    assert api.query("one", store_dir=seed_store, queries_dir=tmp_path) == [{"n": None}, {"n": 3}, {"n": "b"}]


def test_the_served_text_orders_by_the_header(library: Path) -> None:
    named = read_query(library / "tiny.rq")
    assert named.portable_text.endswith("}\nORDER BY LCASE(STR(?name)) ?n\n")
    rows = to_rows(ox.Store().query(named.portable_text))[1]
    assert [(r["name"], r["n"]) for r in rows] == EXPECTED


EXPECTED_ORDER = "expected [name or {column: name, fold: lower}, ...]"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("#+ order: name", f"'#+ order:' is 'name' - {EXPECTED_ORDER}"),
        ("#+ order: []", f"'#+ order:' is [] - {EXPECTED_ORDER}"),
        (
            "#+ order: [{column: n, fold: upper}]",
            f"'#+ order:' item {{'column': 'n', 'fold': 'upper'}} - {EXPECTED_ORDER}",
        ),
        ("#+ order: ['?n']", f"'#+ order:' item {{'column': '?n'}} - {EXPECTED_ORDER}"),
        ("#+ order: [{col: n}]", f"'#+ order:' item {{'col': 'n'}} - {EXPECTED_ORDER}"),
    ],
)
def test_a_malformed_order_is_one_line_naming_the_file(tmp_path: Path, line: str, message: str) -> None:
    path = write_query(tmp_path, line)
    with pytest.raises(QueryError) as caught:
        read_query(path)
    assert str(caught.value) == f"{path}: {message}"


def test_an_order_beside_a_limit_is_refused(tmp_path: Path) -> None:
    path = write_query(tmp_path, "#+ order: [n]", " LIMIT 1")
    with pytest.raises(QueryError) as caught:
        read_query(path)
    assert str(caught.value) == f"{path}: a query with '#+ order:' cannot end in LIMIT - drop one of them"


def test_an_order_on_a_column_not_selected_is_named(seed_store: Path, tmp_path: Path) -> None:
    write_query(tmp_path, "#+ order: [name]")
    with pytest.raises(QueryError) as caught:
        api.query("bad", store_dir=seed_store, queries_dir=tmp_path)
    assert (
        str(caught.value)
        == 'query "bad": \'#+ order:\' names "name", which the query does not select - its columns: n'
    )


# --- provenance: the same rows in the same order as its old ORDER BY ------------------------------


def old_provenance(store: Path) -> list[dict]:
    return to_rows(EmbeddedStore.open(store).query(OLD_PROVENANCE, prefixes=PREFIXES))[1]


def test_provenance_declares_its_order_and_keeps_its_nine_columns() -> None:
    named = read_queries(ROOT / "queries")["provenance"]
    assert [(c.name, c.fold) for c in named.order] == [
        ("networkName", "lower"),
        ("memberName", None),
        ("source", None),
    ]
    assert named.text.rstrip().endswith("}")  # no ORDER BY after the WHERE group
    variables = to_rows(run_query(ox.Store(), named.text))[0]
    assert variables == PROVENANCE_COLUMNS


def test_provenance_gives_the_old_rows_in_the_old_order(seed_store: Path) -> None:
    expected = old_provenance(seed_store)
    assert len(expected) == 43  # the seed's memberships (tests/test_queries.py)
    assert api.query("provenance", store_dir=seed_store) == expected


def test_the_provenance_command_gives_the_old_order_in_json(seed_store: Path) -> None:
    result = invoke("query", "provenance", "--format", "json", store=seed_store)
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    got = [(b["network"]["value"], b["city"]["value"], b["source"]["value"]) for b in bindings]
    expected = [(r["network"], r["city"], r["source"]) for r in old_provenance(seed_store)]
    assert got == expected


def test_provenance_served_text_gives_the_old_order(seed_store: Path) -> None:
    named = read_queries(ROOT / "queries")["provenance"]
    rows = to_rows(EmbeddedStore.open(seed_store).query(named.portable_text, prefixes=PREFIXES))[1]
    assert rows == old_provenance(seed_store)
