"""The dataset's own description, from one place, in three vocabularies: VoID, DCAT-AP 3, schema.org.

:func:`read_facts` asks the store once for what a description needs (how many triples,
entities, classes and properties; the named graph of each source with its provenance; the
links to GeoNames and Wikidata; the countries; the span of the graph's dates; example
resources) and keeps it in one :class:`citynet.publish.dcat.Facts`; :func:`build_void`,
:func:`citynet.publish.dcat.build_dcat` and :func:`build_schema` only read that. Partition IRIs
are stable names, not counters: ``…/id/dataset/citynet/class/City``,
``…/id/dataset/citynet/property/cn-member``, so a link to one survives the next release.

>>> import datetime as dt, pyoxigraph as ox
>>> store = ox.Store()
>>> city = ox.NamedNode(BASE + "id/city/3094802")
>>> store.add(ox.Quad(city, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(CN.City))))
>>> facts = read_facts(Context(store, BASE, dt.date(2026, 12, 4), Path("pub")), [])
>>> facts.triples, facts.classes, [name for name, _, _ in facts.class_partitions]
(1, [('https://w3id.org/citynet/ontology#City', 1)], ['https://w3id.org/citynet/id/dataset/citynet/class/City'])
>>> facts.examples
['https://w3id.org/citynet/id/city/3094802']
>>> build_schema(facts)["@type"], build_schema(facts)["dateModified"]
('Dataset', '2026-12-04')
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD

from citynet.errors import PublishError
from citynet.publish.context import Context, Distribution
from citynet.publish.dcat import (
    KEYWORDS,
    Country,
    Facts,
    Linkset,
    Subset,
    add,
    build_dcat,
    date,
    en,
)
from citynet.publish.paths import document_path
from citynet.rdf.namespaces import CN, GEONAMES
from citynet.sources.wikidata import ENTITY
from citynet.store.resources import BASE, LICENSE, PREFIXES, RDF_EXTENSIONS, about_document, describe  # noqa: F401
from citynet.store.resources import serialize as serialize_document

OUTPUT_PREFIXES = {
    **PREFIXES,
    "void": str(VOID),
    "dcat": "http://www.w3.org/ns/dcat#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
DATES = {str(XSD.date), str(XSD.gYear), str(XSD.gYearMonth)}
UNSAFE = set('<>"{}|^`\\')  # not in an IRI (RFC 3987), nor in a SPARQL string as it is
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"  # Wikidata's data
OTHER_GRAPHS = {  # named graphs that are not a source's: title, where the data is from, licence
    "gazetteer": ("Places from GeoNames, country names from pycountry", "https://www.geonames.org/", LICENSE),
    "wikidata": ("Cities' items, populations and websites from Wikidata", "https://www.wikidata.org/", CC0),
    "ontology": ("The citynet ontology and its SKOS vocabularies", None, LICENSE),
    "sources": ("The register of source documents", None, LICENSE),
}
RDF_MEDIA = {"application/n-quads", "application/trig", "text/turtle", "application/ld+json"}  # void:dataDump
LINK_TARGETS = {  # linkset name -> (title, homepage, the IRIs its things have)
    "geonames": ("GeoNames", "https://www.geonames.org/", GEONAMES),
    "wikidata": ("Wikidata", "https://www.wikidata.org/", ENTITY),
}


def select(store: ox.Store, query: str) -> list[list[ox.NamedNode | ox.Literal | None]]:
    """The rows of a SELECT query, each a list of its values in the query's order."""
    solutions = store.query(query, prefixes=PREFIXES)
    names = [variable.value for variable in solutions.variables]
    return [[row[name] for name in names] for row in solutions]


def number(term: ox.Literal | None) -> int:
    return int(term.value) if term is not None else 0


def read_facts(context: Context, distributions: list[Distribution]) -> Facts:
    """What the descriptions say about the dataset in ``context.store``."""
    store, base = context.store, check_base(context.base)
    facts = Facts(base, context.release, first_release(context), context.sparql_endpoint, distributions)
    [[triples, subjects, objects]] = select(
        store, "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s2) (COUNT(DISTINCT ?o) AS ?o2) {?s ?p ?o}"
    )
    facts.triples, facts.distinct_subjects, facts.distinct_objects = map(number, (triples, subjects, objects))
    [[entities]] = select(
        store, f'SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{base}id/")) }}'
    )
    facts.entities = number(entities)
    rows = select(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c")
    facts.classes = sorted((c.value, number(n)) for c, n in rows)
    rows = select(store, "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p")
    facts.properties = sorted((p.value, number(n)) for p, n in rows)
    facts.subsets = read_subsets(store, base)
    facts.linksets = read_linksets(store)
    facts.countries = read_countries(store)
    facts.period = read_period(store)
    facts.examples = read_examples(store, base)
    return facts


def check_base(base: str) -> str:
    """The base, if it can stand in a SPARQL IRI and string; PublishError otherwise.

    >>> check_base('https://example.org/"x/')
    Traceback (most recent call last):
    citynet.errors.PublishError: base IRI "https://example.org/"x/" holds a character an IRI cannot: ...
    """
    bad = sorted({char for char in base if char in UNSAFE or ord(char) <= 32})
    if bad:
        raise PublishError(
            f'base IRI "{base}" holds a character an IRI cannot: {" ".join(map(repr, bad))} - '
            "percent-encode it or give another --base"
        )
    return base


def first_release(context: Context) -> dt.date:
    """The date of the earliest release in the published folder, this one if it is the first."""
    dates = [context.release]
    if context.previous is not None and context.previous.parent.is_dir():
        for folder in context.previous.parent.iterdir():
            try:
                dates.append(dt.date.fromisoformat(folder.name))
            except ValueError:
                continue  # dumps/latest
    return min(dates)


def read_subsets(store: ox.Store, base: str) -> list[Subset]:
    """Each named graph with its size; a source's with the register's title, publisher, language."""
    register = f"{base}id/graph/sources"
    subsets = []
    for graph, count in select(store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        iri = graph.value
        rows = select(store, f"SELECT ?p ?o {{ GRAPH <{register}> {{ <{iri}> ?p ?o }} }}")
        about = sorted((p.value, o) for p, o in rows if p.value.startswith(str(DCTERMS)))
        origin = next((o.value for p, o in rows if p.value == str(CN.url)), None)
        title, home, licence = OTHER_GRAPHS.get(iri.rsplit("/", 1)[-1], (None, None, LICENSE))
        if not rows and iri.startswith(f"{base}id/graph/") and title:
            about, origin = [(str(DCTERMS.title), en(title))], home
        subsets.append(Subset(iri, number(count), about, origin, licence))
    return sorted(subsets, key=lambda subset: subset.iri)


def read_linksets(store: ox.Store) -> list[Linkset]:
    """The owl:sameAs links to each target that has any."""
    linksets = []
    for name, (_, _, space) in LINK_TARGETS.items():
        [[count]] = select(
            store, f'SELECT (COUNT(*) AS ?n) {{ ?s <{OWL.sameAs}> ?o FILTER(STRSTARTS(STR(?o), "{space}")) }}'
        )
        if number(count):
            linksets.append(Linkset(name, number(count)))
    return linksets


def read_countries(store: ox.Store) -> list[Country]:
    """The countries of the graph, with their English names."""
    query = (
        f"SELECT ?c ?code (SAMPLE(?label) AS ?name) {{ ?c a <{CN.Country}> ; <{CN.countryCode}> ?code "
        f'OPTIONAL {{ ?c <{RDFS.label}> ?label FILTER(LANGMATCHES(LANG(?label), "en")) }} }} '
        "GROUP BY ?c ?code ORDER BY ?code"
    )
    rows = select(store, query)
    return [Country(c.value, code.value, name.value if name else code.value) for c, code, name in rows]


def read_period(store: ox.Store) -> tuple[ox.Literal, ox.Literal] | None:
    """The earliest and the latest date the graph's facts state (cn:start, cn:end, cn:approvedOn …)."""
    query = "SELECT DISTINCT ?d { ?s ?p ?d FILTER(STRSTARTS(STR(?p), STR(cn:)) && isLiteral(?d)) }"
    found = [d for [d] in select(store, query) if d.datatype.value in DATES]
    if not found:
        return None
    return min(found, key=lambda d: first_day(d.value)), max(found, key=lambda d: last_day(d.value))


def first_day(text: str) -> str:
    """The first day of a date, year-month or year: ``2013`` -> ``2013-01-01``."""
    return (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]


def last_day(text: str) -> str:
    """The last day of a date, year-month or year: ``2018`` -> ``2018-12-31``, ``2017-02`` -> ``2017-02-28``.

    >>> last_day("2016-02"), last_day("2015"), first_day("2013-06")
    ('2016-02-29', '2015-12-31', '2013-06-01')
    """
    if len(text) == 4:
        return text + "-12-31"
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:])
        return f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    return text


def read_examples(store: ox.Store, base: str) -> list[str]:
    """Kraków (or the first city), its first network, that membership."""
    city = ox.NamedNode(f"{base}id/city/3094802")
    if next(store.quads_for_pattern(city, None, None), None) is None:
        first = select(store, f"SELECT ?c {{ ?c a <{CN.City}> }} ORDER BY ?c LIMIT 1")
        if not first:
            return []
        city = first[0][0]
    query = f"SELECT ?m ?n {{ ?m <{CN.member}> <{city.value}> ; <{CN.network}> ?n }} ORDER BY ?m LIMIT 1"
    return [city.value, *(term.value for row in select(store, query)[:1] for term in reversed(row))]


def build_void(facts: Facts) -> list[ox.Triple]:
    """The VoID description: the dataset, its partitions, its subsets per named graph, linksets."""
    triples: list[ox.Triple] = []
    ds = facts.dataset
    add(triples, ds, RDF.type, VOID.Dataset)
    add(triples, ds, DCTERMS.title, en(facts.title))
    add(triples, ds, DCTERMS.description, en(facts.description))
    add(triples, ds, DCTERMS.license, facts.license)
    add(triples, ds, DCTERMS.publisher, facts.publisher)
    add(triples, ds, DCTERMS.modified, date(facts.release))
    add(triples, ds, FOAF.homepage, facts.base)
    add(triples, ds, VOID.uriSpace, ox.Literal(facts.base + "id/"))
    add(triples, ds, VOID.exampleResource, *facts.examples)
    dumps = [d for d in facts.distributions if d.media_type in RDF_MEDIA]
    add(triples, ds, VOID.dataDump, *(facts.base + d.path for d in dumps))
    if facts.sparql_endpoint:
        add(triples, ds, VOID.sparqlEndpoint, facts.sparql_endpoint)
    vocabularies = {iri[: max(iri.rfind("#"), iri.rfind("/")) + 1] for iri, _ in facts.properties}
    add(triples, ds, VOID.vocabulary, *sorted(vocabularies))
    for name, value in (
        ("triples", facts.triples),
        ("entities", facts.entities),
        ("classes", len(facts.classes)),
        ("properties", len(facts.properties)),
        ("distinctSubjects", facts.distinct_subjects),
        ("distinctObjects", facts.distinct_objects),
    ):
        add(triples, ds, VOID[name], integer(value))
    for iri, term, count in facts.class_partitions:
        add(triples, ds, VOID.classPartition, iri)
        add(triples, iri, VOID["class"], term)
        add(triples, iri, VOID.entities, integer(count))
    for iri, term, count in facts.property_partitions:
        add(triples, ds, VOID.propertyPartition, iri)
        add(triples, iri, VOID.property, term)
        add(triples, iri, VOID.triples, integer(count))
    add_subsets(triples, facts)
    add_linksets(triples, facts)
    return triples


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))


def add_subsets(triples: list[ox.Triple], facts: Facts) -> None:
    for subset in facts.subsets:
        add(triples, facts.dataset, VOID.subset, subset.iri)
        add(triples, subset.iri, RDF.type, VOID.Dataset)
        add(triples, subset.iri, VOID.triples, integer(subset.triples))
        for predicate, value in subset.about:
            add(triples, subset.iri, predicate, value)
        if subset.origin:
            add(triples, subset.iri, DCTERMS.source, subset.origin)
        if subset.license:
            add(triples, subset.iri, DCTERMS.license, subset.license)


def add_linksets(triples: list[ox.Triple], facts: Facts) -> None:
    for linkset in facts.linksets:
        title, homepage, space = LINK_TARGETS[linkset.name]
        iri, target = f"{facts.dataset}/linkset/{linkset.name}", f"{facts.base}id/dataset/{linkset.name}"
        add(triples, facts.dataset, VOID.subset, iri)
        add(triples, iri, RDF.type, VOID.Linkset)
        add(triples, iri, VOID.subjectsTarget, facts.dataset)
        add(triples, iri, VOID.objectsTarget, target)
        add(triples, iri, VOID.linkPredicate, OWL.sameAs)
        add(triples, iri, VOID.triples, integer(linkset.triples))
        add(triples, target, RDF.type, VOID.Dataset)
        add(triples, target, DCTERMS.title, en(title))
        add(triples, target, FOAF.homepage, homepage)
        add(triples, target, VOID.uriSpace, ox.Literal(space))


def build_schema(facts: Facts) -> dict:
    """The schema.org ``Dataset`` as a JSON-LD dict, for the landing page's ``<head>``."""
    creator = {"@type": "Organization", "@id": facts.publisher, "name": facts.publisher_name}
    creator["url"] = facts.base
    catalog = {"@type": "DataCatalog", "@id": facts.catalog, "name": f"{facts.title} catalogue"}
    schema = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": facts.dataset,
        "name": facts.title,
        "description": facts.description,
        "url": facts.base,
        "identifier": facts.dataset,
        "license": facts.license,
        "creator": creator,
        "publisher": creator,
        "version": facts.release.isoformat(),
        "datePublished": facts.issued.isoformat(),
        "dateModified": facts.release.isoformat(),
        "keywords": list(KEYWORDS),
        "isAccessibleForFree": True,
        "includedInDataCatalog": catalog,
        "spatialCoverage": [
            {"@type": "Country", "@id": c.iri, "name": c.name, "identifier": c.code} for c in facts.countries
        ],
        "distribution": [download(facts, d) for d in facts.distributions],
    }
    if facts.period:
        schema["temporalCoverage"] = f"{facts.period[0].value}/{facts.period[1].value}"
    return schema


def download(facts: Facts, distribution: Distribution) -> dict:
    """One file as a schema.org ``DataDownload``; a compressed file names both of its formats."""
    formats = [distribution.media_type, distribution.compression] if distribution.compression else None
    return {
        "@type": "DataDownload",
        "name": distribution.title,
        "contentUrl": facts.base + distribution.path,
        "encodingFormat": formats or distribution.media_type,
        "contentSize": str(distribution.size),
        "sha256": distribution.sha256,
    }


def serialize(triples: list[ox.Triple], ext: str) -> bytes:
    """The triples, deduplicated and sorted, in the format of ``ext`` (ttl, nt, jsonld, trig)."""
    ordered = sorted(set(triples), key=str)
    if ext == "trig":
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in ordered]
        return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=OUTPUT_PREFIXES)
    prefixes = None if ext == "nt" else OUTPUT_PREFIXES
    return ox.serialize(ordered, format=FORMATS[ext], prefixes=prefixes)


def write_description(context: Context, distributions: list[Distribution]) -> dict:
    """Write void.*, .well-known/void, dcat.* and id/dataset/citynet.* under ``context.folder``;
    return the schema.org ``Dataset`` (JSON-LD) for the landing page."""
    facts = read_facts(context, distributions)
    void, dcat = build_void(facts), build_dcat(facts)
    folder = context.folder
    describing = folder_path(folder, ".well-known/void")
    for ext in FORMATS:
        record = [*void, *description_record(facts, f"{facts.base}void.{ext}")]
        folder_path(folder, f"void.{ext}").write_bytes(serialize(record, ext))
        folder_path(folder, f"dcat.{ext}").write_bytes(serialize(dcat, ext))
    describing.write_bytes((folder / "void.ttl").read_bytes())
    for ext in (*FORMATS, "trig"):
        document = f"{facts.dataset}.{ext}"
        record = [*void, *dcat, *about_document(facts.dataset, document)]
        folder_path(folder, f"id/dataset/citynet.{ext}").write_bytes(serialize(record, ext))
    write_parts(folder, facts, [*void, *dcat])
    return build_schema(facts)


def write_parts(folder: Path, facts: Facts, triples: list[ox.Triple]) -> None:
    """A document for each IRI the description mints under the dataset's (a partition, a
    distribution, a linkset, the catalogue), so each dereferences like any other IRI."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    below = (facts.base + "id/dataset/", facts.base + "id/dataset/citynet")
    parts = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    parts = {iri for iri in parts if iri.startswith(below[0]) and iri != below[1]}
    for iri in sorted(parts):
        found = describe(store, iri, frozenset(parts))
        path = document_path(iri, facts.base)
        for ext in RDF_EXTENSIONS:
            folder_path(folder, f"{path}.{ext}").write_bytes(serialize_document(found, ext, f"{iri}.{ext}"))


def description_record(facts: Facts, document: str) -> list[ox.Triple]:
    """The VoID file as a void:DatasetDescription of the dataset (VoID §7)."""
    triples: list[ox.Triple] = []
    add(triples, document, RDF.type, VOID.DatasetDescription)
    add(triples, document, DCTERMS.title, en(f"A VoID description of {facts.title}"))
    add(triples, document, FOAF.primaryTopic, facts.dataset)
    return triples


def folder_path(folder: Path, relative: str) -> Path:
    """``relative`` under ``folder``, its parent folders made."""
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
