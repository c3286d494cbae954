"""Enrichment from Wikidata: each city's item (by GeoNames ID, P1566), population and website.

Cities are looked up in batches (one ``VALUES`` query per batch). A city with no item, or with
several, is reported and left alone. The result is one named graph, ``id/graph/wikidata``, that
says when and from which endpoint it was retrieved (PROV-O).

Population: of the P1082 statements that are not deprecated, the preferred ones if any, then
the one with the latest point in time (P585). Website: every truthy P856 value.

What an endpoint answers is checked before anything is written (a mirror may be wrong or hostile):
an item is ``http://www.wikidata.org/entity/Q<digits>``, a population a whole number from 1 to
50 million, a date a real ``YYYY-MM-DD``, a website an http(s) IRI. A value that fails is reported
and left out; the enrichment file is checked the same way by every load.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import URIRef

from citynet.errors import QueryError
from citynet.rdf.namespaces import CN, OWL, PREFIXES, PROV, RDF, RDFS, XSD, Ids
from citynet.rdf.sparqlfiles import read_sparql
from citynet.rdf.terms import to_node

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
RDF_TYPE = to_node(RDF.type)
CITIES = read_sparql("citynet.sources", "wikidata-cities")
LOOKUP = read_sparql("citynet.sources", "wikidata-lookup")
RANKS = {"http://wikiba.se/ontology#PreferredRank": 0, "http://wikiba.se/ontology#NormalRank": 1}
ITEM = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]{0,11}$")
WEBSITE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
MAX_POPULATION = 50_000_000  # no city has more; a bigger number is an error or an attack
SAME_AS = str(OWL.sameAs)
# what an enrichment graph may say of a city, and of itself (its provenance)
CITY_FACTS = {SAME_AS, str(CN.population), str(CN.populationDate), str(CN.website)}
GRAPH_FACTS = {str(RDF.type), str(RDFS.label), str(PROV.generatedAtTime), str(PROV.wasDerivedFrom)}


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
    try:
        solutions = reader.query(CITIES, prefixes=PREFIXES)  # type: ignore[attr-defined]
    except OSError as exc:
        raise QueryError(f"the store could not answer: {exc}") from None
    rows = [(s["city"].value, s["label"].value, s["geonames"].value) for s in solutions]
    return [City(*row) for row in rows if row[2].isdigit()]


def fetch_matches(
    wikidata: object, cities: list[City], size: int = BATCH, progress: Callable[[int], None] | None = None
) -> dict[str, Match]:
    """Ask the Wikidata endpoint about the cities, ``size`` GeoNames IDs per query."""
    matches: dict[str, Match] = {}
    for start in range(0, len(cities), size):
        batch = cities[start : start + size]
        values = " ".join(str(ox.Literal(c.geonames)) for c in batch)  # digits only, escaped anyway
        for row in read_rows(run_query_with(wikidata, LOOKUP.replace("{ UNDEF }", "{ " + values + " }"))):
            if row.get("geonames") and row.get("item"):
                add_row(matches.setdefault(row["geonames"], Match()), row)
        if progress:
            progress(len(batch))
    return matches


def run_query_with(wikidata: object, text: str) -> object:
    return wikidata.query(text, prefixes=WIKIDATA_PREFIXES)  # type: ignore[attr-defined]


def read_rows(solutions: object) -> list[dict[str, str | None]]:
    """The rows as the endpoint wrote them: each term's text, unconverted (``"abc"^^xsd:integer``
    must be reported, not crash a conversion); a variable it left out is None."""
    return [
        {
            name: (s[name].value if s[name] is not None else None)  # type: ignore[index]
            for name in ("geonames", "item", "population", "rank", "date", "website")
        }
        for s in solutions
    ]  # type: ignore[attr-defined]


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
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > 10**12:  # int() of 1e999999999 would not end
        return None
    return int(number), date


def check_population(value: str) -> str | None:
    """What is wrong with a population's text, or None.

    >>> check_population("800001"), check_population("-5"), check_population("1" + "0" * 30)
    (None, 'population -5 - expected a whole number from 1 to 50000000', ...)
    """
    ok = value.isascii() and value.isdigit() and len(value) <= 9 and 1 <= int(value) <= MAX_POPULATION
    return None if ok else f"population {value[:40]} - expected a whole number from 1 to {MAX_POPULATION}"


def check_date(value: str) -> str | None:
    """What is wrong with a date's text, or None.

    >>> check_date("2021-12-31"), check_date("2021-02-30")
    (None, 'date 2021-02-30 - expected a real date YYYY-MM-DD')
    """
    try:
        dt.date.fromisoformat(value)
        ok = bool(re.fullmatch(r"\d{4}-\d\d-\d\d", value))
    except ValueError:
        ok = False
    return None if ok else f"date {value[:40]} - expected a real date YYYY-MM-DD"


def check_iri(value: str, pattern: re.Pattern, what: str) -> str | None:
    """What is wrong with an IRI from the endpoint, or None (pyoxigraph must accept it too).

    >>> check_iri("javascript:alert(1)", WEBSITE, "website")
    "website 'javascript:alert(1)' - expected an http(s) URL"
    """
    if pattern.match(value) and len(value) <= 2000:
        try:
            ox.NamedNode(value)
            return None
        except ValueError:
            pass
    expected = "an http(s) URL" if pattern is WEBSITE else "http://www.wikidata.org/entity/Q<digits>"
    return f"{what} {value[:60]!r} - expected {expected}"


def check_enrichment_quad(quad: ox.Quad) -> str | None:
    """What is wrong with a quad of an enrichment graph, or None; the graph's own checks.

    A city may be given an item, a population, its date and websites; the graph itself its
    provenance. Anything else is refused.

    >>> city, graph = ox.NamedNode("https://w3id.org/citynet/id/city/1"), ox.NamedNode("urn:g")
    >>> evil = ox.NamedNode("http://evil.example/")
    >>> check_enrichment_quad(ox.Quad(city, ox.NamedNode(SAME_AS), evil, graph))
    "sameAs 'http://evil.example/' - expected http://www.wikidata.org/entity/Q<digits>"
    """
    predicate, value = quad.predicate.value, quad.object
    if quad.subject == quad.graph_name and predicate in GRAPH_FACTS:
        return None
    if predicate not in CITY_FACTS or not isinstance(quad.subject, ox.NamedNode):
        return f"the fact <{predicate[:80]}> is not one an enrichment states"
    if predicate in (SAME_AS, str(CN.website)):
        if not isinstance(value, ox.NamedNode):
            return f"{predicate.rsplit('#', 1)[-1]} must be an IRI"
        return check_iri(value.value, ITEM if predicate == SAME_AS else WEBSITE, predicate.rsplit("#", 1)[-1])
    if not isinstance(value, ox.Literal):
        return f"{predicate.rsplit('#', 1)[-1]} must be a literal"
    if predicate == str(CN.population):
        return check_population(value.value)
    return check_date(value.value)


def build_enrichment(
    cities: list[City], matches: dict[str, Match], endpoint: str, when: dt.datetime, ids: Ids | None = None
) -> Enrichment:
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
            problems.append(
                f"{city.label} (GeoNames {city.geonames}): {len(match.items)} Wikidata items "
                f"({items}) - not linked"
            )
            continue
        wrong = check_iri(next(iter(match.items)), ITEM, "item")
        if wrong:
            problems.append(f"{city.label} (GeoNames {city.geonames}): {wrong} - not linked")
            continue
        linked += 1
        city_quads, refused = describe_city(ox.NamedNode(city.iri), match, graph)
        quads += city_quads
        problems += [f"{city.label} (GeoNames {city.geonames}): {problem} - left out" for problem in refused]
    quads += describe_graph(graph, endpoint, when)
    return Enrichment(quads, linked, problems)


def describe_city(city: ox.NamedNode, match: Match, graph: ox.NamedNode) -> tuple[list[ox.Quad], list[str]]:
    """The city's item, population (and its date) and websites, each checked; and what was refused."""
    quads = [ox.Quad(city, ox.NamedNode(SAME_AS), ox.NamedNode(next(iter(match.items))), graph)]
    refused: list[str] = []
    population = choose_population(match)
    if population is None and match.populations:
        refused.append(
            f"population {sorted(p[1] for p in match.populations)[0][:40]} - expected a "
            f"whole number from 1 to {MAX_POPULATION}"
        )
    if population:
        problem = check_population(str(population[0]))
        if problem:
            refused.append(problem)
        else:
            quads.append(
                ox.Quad(
                    city, to_node(CN.population), typed(str(population[0]), XSD.nonNegativeInteger), graph
                )
            )
        date_problem = check_date(population[1]) if population[1] else None
        if date_problem:
            refused.append(date_problem)
        elif population[1] and not problem:
            quads.append(ox.Quad(city, to_node(CN.populationDate), typed(population[1], XSD.date), graph))
    for website in sorted(match.websites):
        problem = check_iri(website, WEBSITE, "website")
        if problem:
            refused.append(problem)
        else:
            quads.append(ox.Quad(city, to_node(CN.website), ox.NamedNode(website), graph))
    return quads, refused


def describe_graph(graph: ox.NamedNode, endpoint: str, when: dt.datetime) -> list[ox.Quad]:
    """Who said it and when: the graph is a prov:Entity derived from the endpoint at a time."""
    return [
        ox.Quad(graph, RDF_TYPE, to_node(PROV.Entity), graph),
        ox.Quad(graph, to_node(RDFS.label), ox.Literal("Wikidata enrichment", language="en"), graph),
        ox.Quad(
            graph,
            to_node(PROV.generatedAtTime),
            typed(when.astimezone(dt.UTC).isoformat(timespec="seconds"), XSD.dateTime),
            graph,
        ),
        ox.Quad(graph, to_node(PROV.wasDerivedFrom), ox.NamedNode(endpoint), graph),
    ]


def typed(value: str, datatype: URIRef) -> ox.Literal:
    """A literal of an XSD datatype."""
    return ox.Literal(value, datatype=to_node(datatype))
