"""The SPARQL the package's own code runs (``citynet/<stage>/sparql/*.rq``), linted like the named
queries of ``queries/``: a summary, the query guard, declared ``cn:`` terms, and a run on the seed graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from citynet.query.queries import run_query, to_rows
from citynet.rdf.lint import find_undeclared_terms
from citynet.rdf.namespaces import PREFIXES
from citynet.rdf.sparqlfiles import PACKAGE_ROOT, find_sparql_files, read_sparql
from citynet.rdf.sparqlguard import read_form
from citynet.sources.wikidata import WIKIDATA_PREFIXES
from citynet.store.embedded import EmbeddedStore

FILES = find_sparql_files()
# asked of Wikidata, not of citynet's graph
REMOTE = {"sources/sparql/wikidata-lookup.rq"}
# the seed's sources give no web address, and place no organisation: checked on graphs of their own
NO_SEED_ROWS = {"site/sparql/member-source-urls.rq", "graphs/sparql/organisations.rq"}


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE_ROOT).as_posix()


def test_the_internal_queries_are_where_their_stages_are() -> None:
    assert [rel(p) for p in FILES] == [
        "graphs/sparql/concepts.rq",
        "graphs/sparql/countries.rq",
        "graphs/sparql/labels.rq",
        "graphs/sparql/member-countries.rq",
        "graphs/sparql/members.rq",
        "graphs/sparql/membership-sources.rq",
        "graphs/sparql/memberships.rq",
        "graphs/sparql/networks.rq",
        "graphs/sparql/organisations.rq",
        "graphs/sparql/source-graphs.rq",
        "query/sparql/entity-details.rq",
        "query/sparql/entity-labels.rq",
        "query/sparql/entity-of-class.rq",
        "query/sparql/store-summary.rq",
        "site/sparql/member-source-urls.rq",
        "site/sparql/member-sources.rq",
        "site/sparql/search-labels.rq",
        "site/sparql/websites.rq",
        "sources/sparql/wikidata-cities.rq",
        "sources/sparql/wikidata-lookup.rq",
        "store/sparql/count-merged.rq",
        "store/sparql/count-quads.rq",
    ]


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_an_internal_query_has_a_summary_and_is_a_plain_select(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("#+ summary: ") and len(first) > len("#+ summary: ") + 10, first
    assert read_form(text) == "SELECT"  # the guard: no update, no SERVICE, a query
    assert "PREFIX" not in text  # the code gives the prefixes (PREFIXES), as for every internal query


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_an_internal_query_parses(path: Path) -> None:
    prefixes = {**PREFIXES, **WIKIDATA_PREFIXES} if rel(path) in REMOTE else PREFIXES
    rows = list(ox.Store().query(path.read_text(encoding="utf-8"), prefixes=prefixes))
    counts = rel(path).startswith("store/") or rel(path) == "query/sparql/store-summary.rq"
    assert len(rows) == (1 if counts else 0)  # an aggregate without GROUP BY answers one row, others 0


def test_internal_queries_use_only_declared_cn_terms() -> None:
    assert find_undeclared_terms(FILES) == []


@pytest.mark.parametrize("path", [p for p in FILES if rel(p) not in REMOTE | NO_SEED_ROWS], ids=rel)
def test_an_internal_query_answers_on_the_seed_graph(seed: EmbeddedStore, path: Path) -> None:
    variables, rows = to_rows(run_query(seed, path.read_text(encoding="utf-8")))
    assert rows, "no rows: a misspelt term or variable?"
    assert all(any(row.get(v) is not None for row in rows) for v in variables), "a column that is never bound"


def test_member_source_urls_answers_the_web_address_of_the_stating_source() -> None:
    store = ox.Store()
    cn, ids = PREFIXES["cn"], "https://w3id.org/citynet/id/"
    store.load(
        input=(
            f"<{ids}source/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{cn}Source> .\n"
            f"<{ids}source/a> <{cn}url> <https://urbact.eu/a> .\n"
            f"<{ids}membership/n/city/1> <{cn}network> <{ids}network/n> <{ids}source/a> .\n"
            f"<{ids}membership/n/city/1> <{cn}member> <{ids}city/1> <{ids}source/a> .\n"
            f"<{ids}membership/n/city/2> <{cn}network> <{ids}network/n> <{ids}source/b> .\n"
            f"<{ids}membership/n/city/2> <{cn}member> <{ids}city/2> <{ids}source/b> .\n"
        ),
        format=ox.RdfFormat.N_QUADS,
    )
    _, rows = to_rows(run_query(store, read_sparql("citynet.site", "member-source-urls")))
    assert rows == [{"network": f"{ids}network/n", "member": f"{ids}city/1", "url": "https://urbact.eu/a"}]


def test_organisations_answers_type_place_and_town_of_member_organisations() -> None:
    store = ox.Store()
    cn, ids, a = (
        PREFIXES["cn"],
        "https://w3id.org/citynet/id/",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
    )
    store.load(
        input=(
            f"<{ids}membership/n/org/u> <{cn}member> <{ids}org/u> .\n"
            f"<{ids}membership/n/org/v> <{cn}member> <{ids}org/v> .\n"
            f"<{ids}org/u> {a} <{cn}Organisation> .\n"
            f"<{ids}org/u> <{cn}locatedIn> <{ids}city/1> .\n"
            f"<{ids}city/1> {a} <{cn}City> .\n"
            f"<{ids}org/v> {a} <{cn}Organisation> .\n"
            f'<{ids}org/v> <{cn}town> "Borgo" .\n'
            f"<{ids}org/v> <{cn}organisationType> <https://w3id.org/citynet/vocab/organisation-type/ngo> .\n"
            f"<{ids}org/w> {a} <{cn}Organisation> .\n"  # a member of nothing: not asked for
        ),
        format=ox.RdfFormat.N_TRIPLES,
    )
    _, rows = to_rows(run_query(store, read_sparql("citynet.graphs", "organisations")))
    assert sorted(rows, key=lambda r: r["organisation"]) == [
        {"organisation": f"{ids}org/u", "type": None, "city": f"{ids}city/1", "town": None},
        {
            "organisation": f"{ids}org/v",
            "type": "https://w3id.org/citynet/vocab/organisation-type/ngo",
            "city": None,
            "town": "Borgo",
        },
    ]


def test_a_wrong_name_fails_at_once() -> None:
    with pytest.raises(FileNotFoundError):
        read_sparql("citynet.graphs", "membrships")
