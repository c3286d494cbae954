"""The dataset's description (VoID, DCAT-AP 3, schema.org) of the seed graph, checked by other parts.

Expected figures are counted by hand from the seed's fact files (graph/*.yaml): 43 memberships
(Cities@Heart 10, Cities of change 2, USER 1 and URB-INCLUSION 9, the Silesian page's eight
one-city networks and OP-ACT's 11, the two Lithuanian transfer networks' 2), 15 networks, 37
cities (the 37 places pinned in graph/places.yaml, each with one GeoNames link), 2 organisations,
2 calls, 5 sources (graph/sources.yaml), 20 countries. The files are read back by raptor's
``rapper``, rdflib and pyld, and the DCAT-AP by pyshacl with the official SEMIC shapes.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from pyld import jsonld
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, VOID, XSD

from citynet.errors import PublishError
from citynet.publish.context import Context, Distribution
from citynet.publish.describe import write_description
from citynet.store.embedded import EmbeddedStore
from tests.servers import need_program

BASE = "https://w3id.org/citynet/"
DATASET = rdflib.URIRef(BASE + "id/dataset/citynet")
CN = rdflib.Namespace("https://w3id.org/citynet/ontology#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SHAPES = Path(__file__).parent / "data" / "dcat-ap-3"
RELEASE = dt.date(2026, 12, 4)
DUMP = Distribution(
    "dumps/2026-12-04/citynet-20261204.nq.gz",
    "application/n-quads",
    "application/gzip",
    20480,
    "0f" * 32,
    "All graphs, sorted canonical N-Quads (gzip)",
)
SUMS = Distribution("dumps/2026-12-04/SHA256SUMS", "text/plain", None, 512, "a1" * 32, "SHA-256 checksums")
# graph/sources.yaml: id -> (title, its language, publisher)
SOURCES = {
    "silesia-urbact-ii": (
        "Miasta województwa śląskiego w programie URBACT II — Grupa Robocza OP-ACT",
        "pl",
        "Śląski Związek Gmin i Powiatów",
    ),
    "celje-cities-at-heart": (
        "Mednarodne aktivnosti Mestne občine Celje: Razvoj digitalnih orodij za upravljanje in odločanje",
        "sl",
        "Slovenian local news portal, citing Mestna občina Celje (MOC)",
    ),
    "daugavpils-cities-of-change": (
        "Cities of change \N{EN DASH} cooperation of cities in the field of city development",
        "lv",
        "Daugavpils pilsētas dome",
    ),
    "krakow-urb-inclusion": ("URB-INCLUSION — informacje o projekcie", "pl", "Urząd Miasta Krakowa"),
    "urbact-lt-transfer-networks": (
        "Savo veiklas įgyvendins 23 URBACT programos gerosios praktikos perdavimo tinklų projektai",
        "lt",
        "URBACT Lietuva (nacionalinis URBACT biuras Lietuvoje)",
    ),
}
# the members' countries in graph/*.yaml (Rezekne's stated LT and its real LV both among them)
COUNTRIES = {"AT", "BE", "DE", "DK", "ES", "FR", "GB", "GR", "HR", "HU"}
COUNTRIES |= {"IE", "IT", "LT", "LV", "NL", "NO", "PL", "PT", "RO", "SI"}
FILES = ["void.ttl", "void.nt", ".well-known/void", "dcat.ttl", "dcat.nt"]
FILES += [f"id/dataset/citynet.{ext}" for ext in ("ttl", "nt", "trig")]
RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "trig": "trig", "void": "turtle"}


def publish(store: ox.Store, folder: Path, endpoint: str | None = None) -> dict:
    context = Context(store, BASE, RELEASE, folder, sparql_endpoint=endpoint)
    return write_description(context, [DUMP, SUMS])


@pytest.fixture(scope="module")
def published(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("describe") / "pub"
    return folder, publish(EmbeddedStore.open(seed_store).store, folder)


@pytest.fixture(scope="module")
def void(published: tuple[Path, dict]) -> rdflib.Graph:
    return rdflib.Graph().parse(published[0] / "void.ttl", format="turtle")


def seed_copy(seed_store: Path) -> ox.Store:
    """An in-memory copy of the seed graph that a test may change."""
    store = ox.Store()
    store.extend(EmbeddedStore.open(seed_store).store.quads_for_pattern(None, None, None, None))
    return store


def partition(void: rdflib.Graph, kind: str, term: rdflib.URIRef) -> rdflib.URIRef:
    """The class or property partition of ``term``; fails unless exactly one."""
    key = VOID["class"] if kind == "class" else VOID.property
    [found] = [p for p in void.subjects(key, term) if (DATASET, VOID[f"{kind}Partition"], p) in void]
    return found


@pytest.mark.parametrize(
    ("name", "entities"),
    [("Membership", 43), ("Network", 15), ("City", 37), ("Organisation", 2), ("Call", 2), ("Source", 5)],
)
def test_class_partitions_count_the_seed_graph(void: rdflib.Graph, name: str, entities: int) -> None:
    found = partition(void, "class", CN[name])
    assert found == rdflib.URIRef(f"{BASE}id/dataset/citynet/class/{name}")
    assert void.value(found, VOID.entities) == rdflib.Literal(entities)


def test_property_partitions_have_stable_names(void: rdflib.Graph) -> None:
    member = partition(void, "property", CN.member)
    assert member == rdflib.URIRef(BASE + "id/dataset/citynet/property/cn-member")
    assert void.value(member, VOID.triples) == rdflib.Literal(43)  # one cn:member per membership
    same_as = partition(void, "property", OWL.sameAs)
    assert same_as == rdflib.URIRef(BASE + "id/dataset/citynet/property/owl-sameAs")
    assert void.value(same_as, VOID.triples) == rdflib.Literal(37)
    assert not any("_class" in str(p) or "_prop" in str(p) for p in void.subjects())


def test_dataset_figures_agree_with_the_store(void: rdflib.Graph, seed_store: Path) -> None:
    store = EmbeddedStore.open(seed_store).store
    default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert void.value(DATASET, VOID.triples) == rdflib.Literal(len(default))
    assert void.value(DATASET, VOID.distinctSubjects) == rdflib.Literal(len({q.subject for q in default}))
    assert void.value(DATASET, VOID.distinctObjects) == rdflib.Literal(len({q.object for q in default}))
    by_property = [int(void.value(p, VOID.triples)) for p in void.objects(DATASET, VOID.propertyPartition)]
    assert sum(by_property) == len(default)
    assert void.value(DATASET, VOID.properties) == rdflib.Literal(len({q.predicate for q in default}))
    classes = {q.object for q in default if q.predicate.value == str(RDF.type)}
    assert void.value(DATASET, VOID.classes) == rdflib.Literal(len(classes))


def test_dataset_says_where_it_lives(void: rdflib.Graph) -> None:
    assert void.value(DATASET, VOID.uriSpace) == rdflib.Literal(BASE + "id/")
    assert set(void.objects(DATASET, VOID.exampleResource)) == {
        rdflib.URIRef(BASE + "id/city/3094802"),  # Kraków, whose first network by name is Cities@Heart
        rdflib.URIRef(BASE + "id/network/cities-at-heart"),
        rdflib.URIRef(BASE + "id/membership/cities-at-heart/city/3094802"),
    }
    assert set(void.objects(DATASET, VOID.dataDump)) == {rdflib.URIRef(BASE + DUMP.path)}  # not SHA256SUMS
    assert void.value(DATASET, DCTERMS.modified) == rdflib.Literal(RELEASE)
    assert void.value(DATASET, DCTERMS.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert rdflib.URIRef("https://w3id.org/citynet/ontology#") in set(void.objects(DATASET, VOID.vocabulary))
    assert void.value(DATASET, VOID.sparqlEndpoint) is None  # none given


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_a_subset_per_source_with_its_provenance(void: rdflib.Graph, source: str) -> None:
    subset = rdflib.URIRef(f"{BASE}id/source/{source}")
    title, language, publisher = SOURCES[source]
    assert (DATASET, VOID.subset, subset) in void
    assert void.value(subset, DCTERMS.title) == rdflib.Literal(title, lang=language)
    assert void.value(subset, DCTERMS.language) == rdflib.Literal(language)
    assert void.value(subset, DCTERMS.publisher) == rdflib.Literal(publisher)
    assert void.value(subset, DCTERMS.license) is not None
    assert int(void.value(subset, VOID.triples)) > 0


def test_the_geonames_linkset_counts_one_link_per_city(void: rdflib.Graph) -> None:
    linkset = rdflib.URIRef(BASE + "id/dataset/citynet/linkset/geonames")
    assert (linkset, RDF.type, VOID.Linkset) in void
    assert void.value(linkset, VOID.triples) == rdflib.Literal(37)
    assert void.value(linkset, VOID.linkPredicate) == OWL.sameAs
    target = void.value(linkset, VOID.objectsTarget)
    assert void.value(target, VOID.uriSpace) == rdflib.Literal("https://sws.geonames.org/")
    assert (None, VOID.objectsTarget, rdflib.URIRef(BASE + "id/dataset/wikidata")) not in void  # no links


def test_a_wikidata_link_makes_a_wikidata_linkset(seed_store: Path, tmp_path: Path) -> None:
    store = seed_copy(seed_store)
    krakow, item = (
        ox.NamedNode(BASE + "id/city/3094802"),
        ox.NamedNode("http://www.wikidata.org/entity/Q31487"),
    )
    store.add(ox.Quad(krakow, ox.NamedNode(str(OWL.sameAs)), item, ox.DefaultGraph()))
    publish(store, tmp_path)
    void = rdflib.Graph().parse(tmp_path / "void.ttl")
    linkset = rdflib.URIRef(BASE + "id/dataset/citynet/linkset/wikidata")
    assert void.value(linkset, VOID.triples) == rdflib.Literal(1)
    assert void.value(rdflib.URIRef(BASE + "id/dataset/citynet/linkset/geonames"), VOID.triples) == (
        rdflib.Literal(37)
    )


def test_partition_iris_survive_a_new_class(seed_store: Path, tmp_path: Path, void: rdflib.Graph) -> None:
    """rdflib's generateVoID numbers partitions (``_class3``): a class sorting first would renumber
    every one. Here a new class adds a partition and leaves the others as they were."""
    store = seed_copy(seed_store)
    thing = ox.NamedNode(BASE + "id/thing/1")
    store.add(ox.Quad(thing, ox.NamedNode(str(RDF.type)), ox.NamedNode("http://example.org/Aardvark")))
    publish(store, tmp_path)
    again = rdflib.Graph().parse(tmp_path / "void.ttl")
    before = set(void.objects(DATASET, VOID.classPartition))
    after = set(again.objects(DATASET, VOID.classPartition))
    assert before < after and len(after - before) == 1
    assert all(void.value(p, VOID["class"]) == again.value(p, VOID["class"]) for p in before)


def test_two_runs_write_the_same_files(
    seed_store: Path, tmp_path: Path, published: tuple[Path, dict]
) -> None:
    publish(EmbeddedStore.open(seed_store).store, tmp_path)
    for name in [*FILES, "void.jsonld", "dcat.jsonld", "id/dataset/citynet.jsonld"]:
        assert (tmp_path / name).read_bytes() == (published[0] / name).read_bytes(), name


@pytest.mark.parametrize("name", FILES)
def test_rapper_parses_every_file(published: tuple[Path, dict], name: str) -> None:
    rapper = need_program("rapper", shutil.which("rapper"))
    syntax = RAPPER_SYNTAX[name.rsplit(".", 1)[-1].rsplit("/", 1)[-1]]
    done = subprocess.run(
        [rapper, "-i", syntax, "-c", str(published[0] / name)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    count = int(done.stderr.split("returned ")[1].split()[0])
    expected = len(rdflib.Dataset().parse(published[0] / name, format="trig" if syntax == "trig" else syntax))
    assert count == expected > 100


def test_well_known_void_is_void_ttl(published: tuple[Path, dict]) -> None:
    folder = published[0]
    assert (folder / ".well-known" / "void").read_bytes() == (folder / "void.ttl").read_bytes()


def without_records(graph: rdflib.Graph) -> set[tuple]:
    """The triples, less the ones in which a file of the description names itself."""
    files = (BASE + "void.", str(DATASET) + ".")
    return {t for t in graph if not str(t[0]).startswith(files) and not str(t[2]).startswith(files)}


@pytest.mark.parametrize("stem", ["void", "dcat", "id/dataset/citynet"])
def test_json_ld_expanded_by_pyld_equals_the_turtle(published: tuple[Path, dict], stem: str) -> None:
    folder = published[0]
    document = json.loads((folder / f"{stem}.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(jsonld.expand(document), {"format": "application/n-quads"})
    from_json = rdflib.Graph().parse(data=nquads, format="nt")
    from_turtle = rdflib.Graph().parse(folder / f"{stem}.ttl", format="turtle")
    assert len(from_json) > 100
    assert without_records(from_json) == without_records(from_turtle)
    own = rdflib.URIRef(f"{DATASET}.jsonld" if stem.startswith("id/") else f"{BASE}{stem}.jsonld")
    if stem != "dcat":  # the DCAT files describe the catalogue only
        assert (own, FOAF.primaryTopic, DATASET) in from_json


def shacl(data: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    return conforms, text


def test_dcat_conforms_to_the_official_dcat_ap_3_shapes(published: tuple[Path, dict]) -> None:
    conforms, text = shacl(rdflib.Graph().parse(published[0] / "dcat.ttl"))
    assert conforms, text
    assert "Conforms: True" in text


def test_a_distribution_without_an_access_url_does_not_conform(published: tuple[Path, dict]) -> None:
    dcat = rdflib.Graph().parse(published[0] / "dcat.ttl")
    dcat.remove((None, DCAT.accessURL, None))
    conforms, text = shacl(dcat)
    assert not conforms
    assert "dcat:accessURL" in text and "MinCountConstraintComponent" in text


def test_a_licence_that_is_a_literal_does_not_conform(published: tuple[Path, dict]) -> None:
    dcat = rdflib.Graph().parse(published[0] / "dcat.ttl")
    dcat.set((rdflib.URIRef(BASE + "id/dataset/catalog"), DCTERMS.license, rdflib.Literal("CC BY 4.0")))
    assert not shacl(dcat)[0]


def test_dcat_describes_each_file(published: tuple[Path, dict]) -> None:
    dcat = rdflib.Graph().parse(published[0] / "dcat.ttl")
    dump = rdflib.URIRef(BASE + "id/dataset/citynet/distribution/2026-12-04/citynet-20261204-nq-gz")
    assert (DATASET, DCAT.distribution, dump) in dcat
    assert dcat.value(dump, DCAT.downloadURL) == rdflib.URIRef(BASE + DUMP.path)
    assert dcat.value(dump, DCAT.byteSize) == rdflib.Literal("20480", datatype=XSD.nonNegativeInteger)
    iana = "http://www.iana.org/assignments/media-types/application/"
    assert dcat.value(dump, DCAT.mediaType) == rdflib.URIRef(iana + "n-quads")
    assert dcat.value(dump, DCAT.compressFormat) == rdflib.URIRef(iana + "gzip")
    file_type = "http://publications.europa.eu/resource/authority/file-type/"
    assert dcat.value(dump, DCTERMS.format) == rdflib.URIRef(file_type + "RDF_N_QUADS")
    checksum = dcat.value(dump, SPDX.checksum)
    assert dcat.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(dcat.value(checksum, SPDX.checksumValue)) == "0f" * 32
    sums = rdflib.URIRef(BASE + "id/dataset/citynet/distribution/2026-12-04/SHA256SUMS")
    assert dcat.value(sums, DCTERMS.format) == rdflib.URIRef(file_type + "TXT")
    assert dcat.value(sums, DCAT.compressFormat) is None


def test_dcat_dataset_has_the_profile_s_recommended_parts(published: tuple[Path, dict]) -> None:
    dcat = rdflib.Graph().parse(published[0] / "dcat.ttl")
    catalog = rdflib.URIRef(BASE + "id/dataset/catalog")
    assert (catalog, DCAT.dataset, DATASET) in dcat
    version = rdflib.URIRef(str(DCAT) + "version")  # DCAT 3: rdflib's list lacks it
    assert dcat.value(DATASET, version) == rdflib.Literal("2026-12-04")
    assert rdflib.URIRef("http://publications.europa.eu/resource/authority/data-theme/REGI") in set(
        dcat.objects(DATASET, DCAT.theme)
    )
    spatial = {str(s).rsplit("/", 1)[1] for s in dcat.objects(DATASET, DCTERMS.spatial)}
    assert len(spatial) == 20 and {"POL", "LVA", "GBR", "NOR"} <= spatial  # EU authority: alpha-3
    period = dcat.value(DATASET, DCTERMS.temporal)
    assert dcat.value(period, DCAT.startDate) == rdflib.Literal("2013", datatype=XSD.gYear)  # USER, 2013-2015
    # the latest: the URBACT III transfer networks' approval, 4 December 2018
    assert dcat.value(period, DCAT.endDate) == rdflib.Literal(dt.date(2018, 12, 4))
    contact = dcat.value(DATASET, DCAT.contactPoint)
    assert str(dcat.value(contact, rdflib.URIRef("http://www.w3.org/2006/vcard/ns#hasURL"))) == BASE


def test_a_sparql_endpoint_is_announced_and_still_conforms(seed_store: Path, tmp_path: Path) -> None:
    endpoint = "https://sparql.example.org/citynet"
    publish(EmbeddedStore.open(seed_store).store, tmp_path, endpoint)
    void = rdflib.Graph().parse(tmp_path / "void.ttl")
    assert void.value(DATASET, VOID.sparqlEndpoint) == rdflib.URIRef(endpoint)
    dcat = rdflib.Graph().parse(tmp_path / "dcat.ttl")
    [service] = dcat.subjects(RDF.type, DCAT.DataService)
    assert dcat.value(service, DCAT.endpointURL) == rdflib.URIRef(endpoint)
    conforms, text = shacl(dcat)
    assert conforms, text


def test_the_dataset_s_documents_hold_void_and_dcat(published: tuple[Path, dict]) -> None:
    folder = published[0]
    trig = rdflib.Dataset().parse(folder / "id/dataset/citynet.trig", format="trig")
    turtle = rdflib.Graph().parse(folder / "id/dataset/citynet.ttl")
    assert {(DATASET, RDF.type, VOID.Dataset), (DATASET, RDF.type, DCAT.Dataset)} <= set(turtle)
    document = rdflib.URIRef(str(DATASET) + ".ttl")
    assert (document, FOAF.primaryTopic, DATASET) in turtle
    assert (DATASET, FOAF.isPrimaryTopicOf, document) in turtle
    assert len(trig) == len(turtle)


def test_schema_org_dataset(published: tuple[Path, dict]) -> None:
    schema = published[1]
    assert schema["@type"] == "Dataset" and schema["@context"] == "https://schema.org/"
    for key in ("name", "description", "license", "creator", "url", "identifier", "distribution"):
        assert schema[key], key
    assert "43 memberships" in schema["description"] and "5 source documents" in schema["description"]
    assert schema["identifier"] == str(DATASET) and schema["url"] == BASE
    assert schema["temporalCoverage"] == "2013/2018-12-04"
    assert schema["dateModified"] == "2026-12-04"
    assert {place["identifier"] for place in schema["spatialCoverage"]} == COUNTRIES
    latvia = {"@type": "Country", "@id": BASE + "id/country/LV", "name": "Latvia", "identifier": "LV"}
    assert latvia in schema["spatialCoverage"]
    dump, sums = schema["distribution"]
    assert dump["@type"] == "DataDownload" and dump["contentUrl"] == BASE + DUMP.path
    assert dump["encodingFormat"] == ["application/n-quads", "application/gzip"]
    assert sums["encodingFormat"] == "text/plain"
    assert schema["creator"]["@type"] == "Organization"
    json.dumps(schema)  # plain JSON, ready for a <script> block


def test_every_iri_the_description_mints_has_documents(published: tuple[Path, dict]) -> None:
    folder = published[0]
    described = rdflib.Graph().parse(folder / "id/dataset/citynet.ttl")
    documents = set(described.subjects(FOAF.primaryTopic, None))
    subjects = {str(s) for s in set(described.subjects()) - documents}
    minted = {iri for iri in subjects if iri.startswith(BASE + "id/dataset/")}
    assert len(minted) > 60  # the partitions alone are more
    for iri in minted:
        for ext in ("ttl", "nt", "jsonld", "trig"):
            assert (folder / f"{iri[len(BASE) :]}.{ext}").is_file(), f"{iri}.{ext}"
    assert not (folder / "id" / "source").exists()  # the sources' documents are not this module's


def test_a_partition_s_document_says_what_it_counts(published: tuple[Path, dict]) -> None:
    rapper = need_program("rapper", shutil.which("rapper"))
    path = published[0] / "id/dataset/citynet/class/Membership.ttl"
    done = subprocess.run(
        [rapper, "-i", "turtle", "-o", "ntriples", str(path)], capture_output=True, text=True
    )
    membership = f"<{BASE}id/dataset/citynet/class/Membership>"
    entities = f'{membership} <http://rdfs.org/ns/void#entities> "43"^^<{XSD.integer}> .'
    assert entities in done.stdout.splitlines(), done.stdout
    assert f"<{DATASET}> <http://rdfs.org/ns/void#classPartition> {membership} ." in done.stdout


def test_a_base_that_cannot_be_an_iri_is_refused(seed_store: Path, tmp_path: Path) -> None:
    context = Context(EmbeddedStore.open(seed_store).store, 'https://example.org/a"b/', RELEASE, tmp_path)
    with pytest.raises(PublishError, match=r'base IRI "https://example.org/a"b/" holds a character'):
        write_description(context, [DUMP])
    assert not any(tmp_path.iterdir())
