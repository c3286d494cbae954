"""Finding things by name: `citynet find` and entity parameters that take what citynet prints.

Expected values come from the fact files: OP-ACT (graph/silesia-urbact-ii.yaml) has Leoben as lead
partner and ten partners; Kraków is GeoNames 3094802 (graph/places.yaml) and a partner of
Cities@Heart, URB-INCLUSION and USER; "Cities of change" (graph/daugavpils-cities-of-change.yaml)
runs under Europe for Citizens 2007-2013 with Poznań as lead partner; Quadrilatero is a Portuguese
organisation in Cities@Heart (graph/celje-cities-at-heart.yaml). GeoNames: Bergen (NO) is 3161732,
Bergen (NL) 2759154, Poznań 3088171.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citynet import api
from citynet.errors import QueryError
from citynet.query.lookup import find_entities, find_entity
from citynet.rdf.namespaces import Ids
from citynet.store.embedded import EmbeddedStore
from citynet.store.push import push_store
from citynet.store.remote import RemoteStore

from .conftest import add_source, copy_project, invoke
from .servers import oxigraph_server, virtuoso_server

KRAKOW = "https://w3id.org/citynet/id/city/3094802"
OP_ACT = "https://w3id.org/citynet/id/network/op-act"
QUADRILATERO = str(Ids().organisation("quadrilatero"))[len(Ids().base) :]  # org/… or organisation/…
DASH = "\u2013"  # the en dash in the names of Cities of change
COC_TITLE = f"Cities of change {DASH} the co-operation of cities in the field of city development"
COC_ALT = f"Cities of change {DASH} cooperation of cities in the field of city development"

# Networks whose names rank differently for "change", and a town name two countries share.
TWINS = """source: twin-source
networks:
  - id: coc
    names: [{text: Cities of change, lang: en}]
    programme: urbact-iii
    members:
      - {city: Bergen, country: 'NO', role: lead-partner}
      - {city: Bergen, country: NL, role: partner}
  - id: coc-2
    names: [{text: Cities of change 2, lang: en}]
    programme: urbact-iii
    members:
      - {city: Leoben, country: AT, role: lead-partner}
  - id: change
    names: [{text: Change, lang: en}]
    programme: urbact-iii
  - id: change-lab
    names: [{text: Change Lab, lang: en}]
    programme: urbact-iii
  - id: exchange
    names: [{text: Exchange, lang: en}]
    programme: urbact-iii
"""


@pytest.fixture(scope="module")
def twin_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus TWINS, loaded from a copied project."""
    root = copy_project(tmp_path_factory.mktemp("twins"))
    add_source(root, "{id: twin-source, title: Twin source, language: en}", "twins", TWINS)
    store = root / "store"
    api.load(root, store)
    return store


def find_rows(store: Path, *args: str) -> list[dict[str, str]]:
    """`citynet find ARGS --format csv`, as rows."""
    result = invoke("find", *args, "--format", "csv", store=store)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def query_rows(store: Path, name: str, param: str) -> list[dict[str, str]]:
    """`citynet query NAME --param PARAM --format csv`, as rows."""
    result = invoke("query", name, "--param", param, "--format", "csv", store=store)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def fails(store: Path, *args: str) -> str:
    """The one error line of a command that must fail with exit 1 and print nothing."""
    result = invoke(*args, store=store)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr.count("\n") == 1
    return result.stderr


@pytest.mark.parametrize(
    "value", ["network/op-act", "op-act", "OP-ACT", "op act", OP_ACT, "OP-ACT - Options of actions"]
)
def test_a_network_parameter_takes_what_citynet_prints(seed_store: Path, value: str) -> None:
    rows = query_rows(seed_store, "partners", f"network={value}")
    assert {row["network"] for row in rows} == {OP_ACT}
    assert len(rows) == 11  # Leoben and ten partners
    assert (rows[0]["label"], rows[0]["role"]) == ("Leoben", "lead partner")


@pytest.mark.parametrize("value", ["3094802", "city/3094802", KRAKOW, "KRAKOW", "Krakowie"])
def test_a_city_parameter_takes_a_geonames_id(seed_store: Path, value: str) -> None:
    rows = query_rows(seed_store, "city-networks", f"city={value}")
    assert {row["name"] for row in rows} == {"Cities@Heart", "URB-INCLUSION", "USER"}


def test_a_unique_prefix_of_a_title_names_the_network(seed_store: Path) -> None:
    rows = query_rows(seed_store, "partners", "network=cities of change")
    assert [(row["label"], row["role"]) for row in rows] == [
        ("Poznań", "lead partner"),
        ("Daugavpils", "partner"),
    ]


def test_find_cities_of_change(seed_store: Path) -> None:
    rows = find_rows(seed_store, "cities of change")
    assert rows == [
        {
            "id": "network/cities-of-change",
            "kind": "network",
            "name": COC_TITLE,
            "country": "",
            "programme": "Europe for Citizens 2007-2013",
            "match": "prefix",
            "label": COC_ALT,  # the shorter of the two names it starts
            "iri": "https://w3id.org/citynet/id/network/cities-of-change",
        }
    ]


@pytest.mark.parametrize("text", ["krakow", "KRAKOW", "Kraków", "kraków"])
def test_find_krakow_among_cities(seed_store: Path, text: str) -> None:
    rows = find_rows(seed_store, text, "--kind", "city")
    assert [(r["id"], r["name"], r["country"], r["match"]) for r in rows] == [
        ("city/3094802", "Kraków", "PL", "exact")
    ]


def test_find_an_organisation_and_a_country(seed_store: Path) -> None:
    rows = find_rows(seed_store, "QUADRILATERO")
    assert [(r["id"], r["kind"], r["country"]) for r in rows] == [(QUADRILATERO, "organisation", "PT")]
    rows = find_rows(seed_store, "lv", "--kind", "country")  # a country code is a name
    assert [(r["id"], r["name"], r["match"]) for r in rows] == [("country/LV", "Latvia", "exact")]


def test_find_ranks_whole_name_start_word_part(twin_store: Path) -> None:
    rows = find_rows(twin_store, "change", "--kind", "network")
    assert [(r["id"], r["match"]) for r in rows] == [
        ("network/change", "exact"),
        ("network/change-lab", "prefix"),
        ("network/coc", "word"),  # shorter names first within a rank
        ("network/coc-2", "word"),
        ("network/cities-of-change", "word"),
        ("network/exchange", "substring"),
    ]


def test_find_prints_a_table_and_json(twin_store: Path) -> None:
    result = invoke("find", "Cities of change 2", store=twin_store)
    words = ["network/coc-2", "network", "Cities", "of", "change", "2", "URBACT", "III", "exact"]
    assert result.stdout.splitlines()[2].split() == words  # no label column: the name matched
    result = invoke("find", "bergen", "--format", "json", store=twin_store)
    assert [(r["id"], r["country"]) for r in json.loads(result.stdout)] == [
        ("city/2759154", "NL"),
        ("city/3161732", "NO"),
    ]


def test_a_limit_cuts_the_list_and_says_so(twin_store: Path) -> None:
    result = invoke("find", "change", "--limit", "2", "--format", "csv", store=twin_store)
    assert len(result.stdout.splitlines()) == 3  # the header and two rows
    assert result.stderr == "(more than 2 matches: narrow with --kind or raise --limit)\n"


@pytest.mark.parametrize(
    ("value", "network"),
    [("Cities of change", "network/coc"), ("cities of change 2", "network/coc-2"), ("coc", "network/coc")],
)
def test_a_whole_name_beats_the_start_of_a_longer_one(twin_store: Path, value: str, network: str) -> None:
    rows = query_rows(twin_store, "partners", f"network={value}")
    assert {row["network"] for row in rows} == {f"https://w3id.org/citynet/id/{network}"}


def test_an_ambiguous_value_lists_the_candidates_with_kind_and_country(twin_store: Path) -> None:
    assert fails(twin_store, "query", "city-networks", "--param", "city=Bergen") == (
        'Error: city "Bergen" is ambiguous: city/2759154 "Bergen" (city, NL), '
        'city/3161732 "Bergen" (city, NO) - give one of these ids\n'
    )
    assert fails(twin_store, "query", "partners", "--param", "network=cities of ch") == (
        'Error: network "cities of ch" is ambiguous: '
        f'network/cities-of-change "{COC_TITLE}" (network, Europe for Citizens 2007-2013), '
        'network/coc "Cities of change" (network, URBACT III), '
        'network/coc-2 "Cities of change 2" (network, URBACT III) - give one of these ids\n'
    )


def test_an_unknown_value_suggests_near_names(seed_store: Path) -> None:
    line = fails(seed_store, "query", "partners", "--param", "network=OPACT")
    assert line == 'Error: unknown network "OPACT" - nearest known: OP-ACT\n'
    line = fails(seed_store, "query", "partners", "--param", "network=ur")  # too short to be a start
    assert line.startswith('Error: unknown network "ur" - nearest known: ')


@pytest.mark.parametrize(
    "text", ['x" } ; DROP ALL ; #', 'OP-ACT" } #', "op-act> . } DROP ALL {", "<script>", "\\u0022"]
)
def test_a_hostile_text_is_only_text(seed_store: Path, text: str) -> None:
    assert find_rows(seed_store, text) == []
    assert fails(seed_store, "query", "partners", "--param", f"network={text}").startswith(
        f'Error: unknown network "{text}" - '
    )
    line = fails(seed_store, "query", "partners", "--param", f"network=network/{text}")
    assert line.startswith('Error: unknown network "network/')
    assert EmbeddedStore.open(seed_store).count_quads() == 2343  # what the seeds load (ontology 0.2.0)


ORG_QUERY = """#+ summary: The country of one organisation, and a programme's label
#+ params:
#+   - {name: org, kind: organisation, doc: an organisation}
#+   - {name: programme, kind: programme, doc: a programme}
SELECT ?code ?label WHERE { ?org cn:country/cn:countryCode ?code . ?programme rdfs:label ?label }
"""


@pytest.mark.parametrize("org", ["quadri", "Quadrilatero", "združenje quadrilatero", QUADRILATERO])
@pytest.mark.parametrize("programme", ["urbact iv", "programme:urbact-iv", "URBACT-IV"])
def test_organisation_and_programme_parameters(
    seed_store: Path, tmp_path: Path, org: str, programme: str
) -> None:
    (tmp_path / "org.rq").write_text(ORG_QUERY, encoding="utf-8")
    rows = api.query("org", {"org": org, "programme": programme}, seed_store, tmp_path)
    assert rows == [{"code": "PT", "label": "URBACT IV"}]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["find", "\udcff"], 'Error: the text to find "\\xff" is not UTF-8 - give UTF-8 text\n'),
        (["find", ""], 'Error: nothing to find in "" - give a name, or a part of one\n'),
        (["find", " - "], 'Error: nothing to find in " - " - give a name, or a part of one\n'),
        (["find", "x" * 1001], "Error: the text to find is 1001 characters long - at most 1000\n"),
    ],
)
def test_find_refuses_empty_or_huge_text(seed_store: Path, args: list[str], line: str) -> None:
    assert fails(seed_store, *args) == line


class Counting:
    """A reader that counts the queries it is asked."""

    def __init__(self, reader: Any) -> None:
        self.reader, self.asked = reader, 0

    def query(self, *args: Any, **kwargs: Any) -> Any:
        self.asked += 1
        return self.reader.query(*args, **kwargs)


def test_a_lookup_asks_a_fixed_number_of_queries(twin_store: Path) -> None:
    """Names are read in one query and the shown entities described in one, however many match."""
    reader = Counting(EmbeddedStore.open(twin_store))
    assert len(find_entities(reader, "c")) > 20
    assert reader.asked == 2
    reader.asked = 0
    assert find_entity(reader, "city", "3094802").value == KRAKOW  # an IRI form: no scan of the names
    assert reader.asked == 1
    reader.asked = 0
    with pytest.raises(QueryError, match="ambiguous"):
        find_entity(reader, "network", "Cities")
    assert reader.asked == 3  # IRI forms (network/Cities, network/cities), names, the candidates' details


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, seed: EmbeddedStore
) -> Iterator[str]:
    """A real SPARQL server on loopback holding the seed graph; yields its query endpoint."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        with oxigraph_server(folder) as base:
            push_store(seed, RemoteStore(f"{base}/query", graph_store=f"{base}/store"))
            yield f"{base}/query"
    else:
        with virtuoso_server(folder) as base:
            endpoint = f"{base}/sparql"
            push_store(seed, RemoteStore(endpoint, endpoint, graph_store=f"{base}/sparql-graph-crud"))
            yield endpoint


def test_find_and_parameters_on_an_endpoint(server: str, tmp_path: Path) -> None:
    result = invoke("find", "cities of change", "--endpoint", server, "--format", "csv", store=tmp_path)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["programme"], r["match"]) for r in rows] == [
        ("network/cities-of-change", "Europe for Citizens 2007-2013", "prefix")
    ]
    rows = find_rows(tmp_path, "krakow", "--endpoint", server)
    assert [(r["id"], r["country"], r["match"]) for r in rows] == [("city/3094802", "PL", "exact")]
    result = invoke("query", "partners", "-p", "network=network/op-act", "--endpoint", server, store=tmp_path)
    assert result.stdout.splitlines()[-1] == "(11 rows)"
    result = invoke("query", "city-networks", "-p", "city=3094802", "--endpoint", server, store=tmp_path)
    assert result.stdout.splitlines()[-1] == "(3 rows)"
