"""Enrichment from Wikidata: each city's item (by GeoNames ID, P1566), population and website.

Cities are looked up in batches (one ``VALUES`` query per batch). A city with no item, or with
several, is reported and left alone. The result is one named graph, ``id/graph/wikidata``, that
says when and from which endpoint it was retrieved (PROV-O).

Population: of the P1082 statements that are not deprecated, the preferred ones if any, then
the one with the latest point in time (P585). Website: every truthy P856 value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from citynet.errors import StoreError
from citynet.namespaces import CN, PREFIXES, Ids
from citynet.queries import run_query, to_rows

WIKIDATA = "https://query.wikidata.org/sparql"
ENTITY = "http://www.wikidata.org/entity/"
WIKIDATA_PREFIXES = {
    "wd": ENTITY,
    "wdt": "http://www.wikidata.org/prop/direct/",
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "wikibase": "http://wikiba.se/ontology#",
}
BATCH = 50
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CITIES = """
SELECT DISTINCT ?city ?label ?geonames WHERE {
  ?city a cn:City ; owl:sameAs ?gn .
  { SELECT ?city (MIN(STR(?l)) AS ?label) WHERE { ?city a cn:City ; rdfs:label ?l } GROUP BY ?city }
  FILTER(STRSTARTS(STR(?gn), "https://sws.geonames.org/"))
  BIND(REPLACE(STR(?gn), "^https://sws.geonames.org/([0-9]+)/$", "$1") AS ?geonames)
}
ORDER BY ?label"""
LOOKUP = """
SELECT ?geonames ?item ?population ?rank ?date ?website WHERE {
  VALUES ?geonames { %s }
  ?item wdt:P1566 ?geonames .
  OPTIONAL { ?item p:P1082 ?statement . ?statement ps:P1082 ?population ; wikibase:rank ?rank .
             FILTER(?rank != wikibase:DeprecatedRank)
             OPTIONAL { ?statement pq:P585 ?date } }
  OPTIONAL { ?item wdt:P856 ?website }
}"""
RANKS = {"http://wikiba.se/ontology#PreferredRank": 0, "http://wikiba.se/ontology#NormalRank": 1}


@dataclass(frozen=True)
class City:
    iri: str
    label: str
    geonames: str


@dataclass
class Match:
    """What Wikidata says of one city."""

    items: set[str] = field(default_factory=set)
    populations: set[tuple[int, str, str | None]] = field(default_factory=set)  # rank, value, date
    websites: set[str] = field(default_factory=set)


@dataclass
class Enrichment:
    """The enrichment graph's quads and the cities that could not be linked."""

    quads: list[ox.Quad]
    linked: int
    problems: list[str]


def read_cities(reader: object) -> list[City]:
    """The store's cities with their GeoNames IDs."""
    rows = to_rows(run_query(reader, CITIES))[1]
    return [City(r["city"], r["label"], r["geonames"]) for r in rows if r["geonames"].isdigit()]


def fetch_matches(wikidata: object, cities: list[City], size: int = BATCH,
                  progress: Callable[[int], None] | None = None) -> dict[str, Match]:
    """Ask the Wikidata endpoint about the cities, ``size`` GeoNames IDs per query."""
    matches: dict[str, Match] = {}
    for start in range(0, len(cities), size):
        batch = cities[start:start + size]
        values = " ".join(str(ox.Literal(c.geonames)) for c in batch)  # digits only, escaped anyway
        for row in to_rows(run_query_with(wikidata, LOOKUP % values))[1]:
            add_row(matches.setdefault(row["geonames"], Match()), row)
        if progress:
            progress(len(batch))
    return matches


def run_query_with(wikidata: object, text: str) -> object:
    return wikidata.query(text, prefixes=WIKIDATA_PREFIXES)  # type: ignore[attr-defined]


def add_row(match: Match, row: dict) -> None:
    match.items.add(row["item"])
    if row["population"] is not None and row["rank"] in RANKS:
        date = str(row["date"])[:10] if row["date"] else None
        match.populations.add((RANKS[row["rank"]], str(row["population"]), date))
    if row["website"]:
        match.websites.add(row["website"])


def choose_population(match: Match) -> tuple[int, str | None] | None:
    """The best-ranked, most recent population.

    >>> normal = {(1, "10", "2020-01-01"), (1, "12", "2021-01-01")}
    >>> choose_population(Match(populations=normal | {(0, "9", None)}))  # preferred rank wins
    (9, None)
    >>> choose_population(Match(populations={(1, "10", "2020-01-01"), (1, "12.0", "2021-12-31")}))
    (12, '2021-12-31')
    """
    if not match.populations:
        return None
    _, value, date = max(match.populations, key=lambda p: (-p[0], p[2] or "", p[1]))
    try:
        return int(Decimal(value)), date
    except InvalidOperation:
        return None


def build_enrichment(cities: list[City], matches: dict[str, Match], endpoint: str,
                     when: dt.datetime, ids: Ids | None = None) -> Enrichment:
    """The enrichment graph: links, populations and websites, with its provenance."""
    ids = ids or Ids()
    graph = ox.NamedNode(str(ids.graph("wikidata")))
    quads, problems, linked = [], [], 0
    for city in cities:
        match = matches.get(city.geonames)
        if match is None:
            problems.append(f"{city.label} (GeoNames {city.geonames}): no Wikidata item - not linked")
            continue
        if len(match.items) > 1:
            items = ", ".join(sorted(i.removeprefix(ENTITY) for i in match.items))
            problems.append(f"{city.label} (GeoNames {city.geonames}): {len(match.items)} Wikidata items "
                            f"({items}) - not linked")
            continue
        linked += 1
        quads += describe_city(ox.NamedNode(city.iri), match, graph)
    quads += describe_graph(graph, endpoint, when)
    return Enrichment(quads, linked, problems)


def describe_city(city: ox.NamedNode, match: Match, graph: ox.NamedNode) -> list[ox.Quad]:
    quads = [ox.Quad(city, ox.NamedNode(PREFIXES["owl"] + "sameAs"), ox.NamedNode(next(iter(match.items))),
                     graph)]
    population = choose_population(match)
    if population:
        quads.append(ox.Quad(city, ox.NamedNode(str(CN.population)), typed(str(population[0]),
                                                                            "nonNegativeInteger"), graph))
        if population[1]:
            quads.append(ox.Quad(city, ox.NamedNode(str(CN.populationDate)), typed(population[1], "date"),
                                 graph))
    quads += [ox.Quad(city, ox.NamedNode(str(CN.website)), ox.NamedNode(w), graph)
              for w in sorted(match.websites)]
    return quads


def describe_graph(graph: ox.NamedNode, endpoint: str, when: dt.datetime) -> list[ox.Quad]:
    """Who said it and when: the graph is a prov:Entity derived from the endpoint at a time."""
    prov, rdfs = PREFIXES["prov"], PREFIXES["rdfs"]
    return [
        ox.Quad(graph, RDF_TYPE, ox.NamedNode(prov + "Entity"), graph),
        ox.Quad(graph, ox.NamedNode(rdfs + "label"), ox.Literal("Wikidata enrichment", language="en"), graph),
        ox.Quad(graph, ox.NamedNode(prov + "generatedAtTime"),
                typed(when.astimezone(dt.UTC).isoformat(timespec="seconds"), "dateTime"), graph),
        ox.Quad(graph, ox.NamedNode(prov + "wasDerivedFrom"), ox.NamedNode(endpoint), graph),
    ]


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(PREFIXES["xsd"] + datatype))


def write_enrichment(store_dir: Path, path: Path, enrichment: Enrichment, ids: Ids | None = None) -> None:
    """Replace the enrichment graph in the store (one transaction) and save it as N-Quads at ``path``.

    The file lives under ``graph/enrichment/``, so the next ``citynet load`` keeps the graph.
    """
    graph = str(ids.graph("wikidata") if ids else Ids().graph("wikidata"))
    triples = ox.serialize([q.triple for q in enrichment.quads], format=ox.RdfFormat.N_TRIPLES)
    update = (f"DROP SILENT GRAPH {ox.NamedNode(graph)} ;\n"
              f"INSERT DATA {{ GRAPH {ox.NamedNode(graph)} {{\n{triples.decode('utf-8')}}} }}")
    try:
        store = ox.Store(str(store_dir))
        store.update(update)
        store.flush()
        del store
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = sorted(set(ox.serialize(enrichment.quads, format=ox.RdfFormat.N_QUADS).decode().splitlines()))
        staging = path.with_suffix(".tmp")
        staging.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        staging.replace(path)
    except OSError as exc:
        raise StoreError(f'cannot write the enrichment to "{store_dir}" and "{path}": {exc}') from None
