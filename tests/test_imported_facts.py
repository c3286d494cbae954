"""An imported fact file (graph/imported/*.yaml), as the importers write it, loaded with ``citynet load``.

The fixture tests/fixtures/imported/keep-eu-sample.yaml is hand-written: a city member (Gorizia,
GeoNames 3175986), an organisation located in a place (Nova Gorica, 3194452), one whose town is
unresolved, a programme with its strand, a call, EU funding by fund and the rows the facts came
from. Each expected triple below is read off that file by hand.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from citynet.build.assemble import read_ontology, read_vocabulary
from citynet.errors import FactError
from citynet.sources.facts import read_fact_file
from citynet.store.embedded import EmbeddedStore

from .conftest import ROOT, copy_project, invoke

FIXTURE = ROOT / "tests" / "fixtures" / "imported" / "keep-eu-sample.yaml"
VOCAB = read_vocabulary(read_ontology(ROOT / "ontology"))
PREFIXES = """
PREFIX cn: <https://w3id.org/citynet/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX programme: <https://w3id.org/citynet/vocab/programme/>
PREFIX strand: <https://w3id.org/citynet/vocab/strand/>
PREFIX orgtype: <https://w3id.org/citynet/vocab/organisation-type/>
PREFIX fund: <https://w3id.org/citynet/vocab/fund/>
PREFIX role: <https://w3id.org/citynet/vocab/role/>
PREFIX theme: <https://w3id.org/citynet/vocab/theme/>
PREFIX nuts: <http://data.europa.eu/nuts/code/>
"""


def project_with(tmp_path: Path, text: str) -> Path:
    """A copy of the project with ``text`` as graph/imported/keep-eu-sample.yaml and its review list."""
    root = copy_project(tmp_path / "project")
    imported = root / "graph" / "imported"
    imported.mkdir()
    (imported / "keep-eu-sample.yaml").write_text(text, encoding="utf-8")
    # the review list an importer writes beside it is not a fact file
    (imported / "keep-eu-sample.unresolved.csv").write_text("row,name\n4,Sample NGO\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    tmp = tmp_path_factory.mktemp("imported")
    root = project_with(tmp, FIXTURE.read_text(encoding="utf-8"))
    result = invoke("load", "--root", str(root), "--store", str(tmp / "store"))
    assert result.returncode == 0, result.stderr
    return EmbeddedStore.open(tmp / "store")


def ask(store: EmbeddedStore, pattern: str) -> bool:
    """ASK the pattern; ``id:city/1`` stands for the instance IRI (SPARQL takes no ``/`` in a local name)."""
    pattern = re.sub(r"\bid:([\w/.-]*[\w/])", r"<https://w3id.org/citynet/id/\1>", pattern)
    return bool(store.query(PREFIXES + "ASK { " + pattern + " }"))


@pytest.mark.parametrize(
    "pattern",
    [
        # the city member is the city itself, taken by its GeoNames id, with the gazetteer's facts
        "?m cn:member id:city/3175986 ; cn:network id:network/sample-crossborder ;"
        " cn:role role:lead-partner ;"
        ' cn:sourceRecord "Partners row 2" .',
        'GRAPH id:source/keep-eu-sample { id:city/3175986 a cn:City ; skos:altLabel "Comune di Gorizia"@en ;'
        ' cn:nutsRegion nuts:ITH43 ; cn:legalStatus "public" ; cn:country id:country/IT } ',
        'GRAPH id:graph/gazetteer { id:city/3175986 rdfs:label "Gorizia" ; cn:geonamesId 3175986 ;'
        " cn:country id:country/IT }",
        # an organisation located in a place: that place is a City of the gazetteer
        "id:org/sample-university a cn:Organisation ; cn:organisationType orgtype:university ;"
        " cn:locatedIn id:city/3194452 ; cn:country id:country/SI ; cn:nutsRegion nuts:SI043 ;"
        ' cn:legalStatus "public" ; cn:website <https://example.org/uni> ; rdfs:label "Sample University" .',
        "GRAPH id:graph/gazetteer { id:city/3194452 a cn:City ;"
        ' rdfs:label "Nova Gorica" ; cn:geonamesId 3194452 }',
        '?m cn:member id:org/sample-university ; cn:role role:partner ; cn:sourceRecord "Partners row 3" .',
        # an organisation whose town is unresolved keeps it as written, with its country
        'id:org/sample-ngo a cn:Organisation ; cn:town "Nowhere-by-the-Sea" ; cn:country id:country/SI ;'
        ' cn:organisationType orgtype:ngo ; cn:legalStatus "private" .',
        # the programme the file declares, in the source's graph
        "GRAPH id:source/keep-eu-sample { programme:interreg-v-a-italy-slovenia"
        " a cn:Programme, skos:Concept ; skos:inScheme programme: ;"
        ' rdfs:label "Interreg V-A Italy-Slovenia"@en ; cn:strand strand:interreg-a ;'
        ' cn:sourceRecord "Projects (lead partners) row 2" ;'
        ' cn:activeDuring [ cn:start "2014"^^xsd:gYear ; cn:end "2020"^^xsd:gYear ] }',
        # the network: EU funding, its part from the ERDF, the row, the programme and call
        "id:network/sample-crossborder cn:programme programme:interreg-v-a-italy-slovenia ;"
        ' cn:call id:call/sample-call-1 ; cn:acronym "103" ; cn:theme theme:tourism ;'
        ' cn:sourceRecord "Projects (lead partners) row 2" ;'
        ' cn:euFunding [ schema:value 1020000.00 ; schema:currency "EUR" ] ;'
        ' cn:budget [ schema:value 1200000.50 ; schema:currency "EUR" ] .',
        "id:network/sample-crossborder cn:coFinancing ?part . ?part a cn:CoFinancing ; cn:fund fund:erdf ;"
        ' cn:amount [ schema:value 1020000.00 ; schema:currency "EUR" ] .',
        # the call: its dates at the precision given, its budget, its row
        'id:call/sample-call-1 cn:activeDuring [ cn:start "2016-01-15"^^xsd:date ;'
        ' cn:end "2016-04"^^xsd:gYearMonth ] ;'
        ' cn:budget [ schema:value 5000000.0 ] ; cn:sourceRecord "Calls row 2" .',
        # the inline source is registered like the others
        "GRAPH id:graph/sources { id:source/keep-eu-sample a cn:Source ;"
        ' dcterms:title "keep.eu sample export"@en ;'
        ' dcterms:publisher "Interact" ; cn:url <https://keep.eu/> ; dcterms:date "2026-11-30"^^xsd:date ;'
        ' dcterms:rights "test facts, no reuse terms" }',
    ],
)
def test_imported_facts_are_in_the_store(store: EmbeddedStore, pattern: str) -> None:
    assert ask(store, pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "id:org/sample-ngo cn:locatedIn ?place",  # unresolved: no place
        "id:org/sample-university cn:town ?town",  # resolved: the town as written is not kept
        "?s ?p id:org/sample-gorizia",  # the city member is no organisation
    ],
)
def test_what_the_fixture_does_not_say_is_not_in_the_store(store: EmbeddedStore, pattern: str) -> None:
    assert not ask(store, pattern)


def test_the_seed_graph_is_still_there(store: EmbeddedStore) -> None:
    assert ask(store, "id:network/op-act a cn:Network")
    assert ask(store, "GRAPH id:graph/sources { id:source/silesia-urbact-ii a cn:Source }")


# -- the reader's strictness on the new keys -------------------------------------------------------


def edited(old: str, new: str) -> str:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("legal_status: private,", "street: Via Roma 1,", 39, "members[2].street: unknown field 'street'"),
        ("nuts3: ITH43", "nuts3: ITH4", 37, None),  # 2 letters and 1-3 more: ITH4 is a NUTS 2 code
        ("nuts3: ITH43", "nuts3: ith43", 37, "members[0].nuts3: 'ith43' is not a NUTS code"),
        ('website: "https://example.org/uni"', "website: ftp://example.org", 38, "is not an http(s) URL"),
        ("geonames: 3175986", "geonames: yes", 37, "members[0].geonames: expected a whole number"),
        ("strand: interreg-a", "strand: interreg-z", 14, "programmes[0].strand: unknown strand 'interreg-z'"),
        ('period: "2014-2020"', 'period: "2020-2014"', 14, "ends before it starts"),
        ("funds: {erdf:", "funds: {esf:", 33, "unknown fund 'esf'"),
        ("eu_funding: {value: 1020000.00,", "eu_funding: {value: -1,", 32, "money must not be negative"),
        ('end: "2016-04"', 'end: "2015-04"', 20, "calls[0].end: end 2015-04 is before start 2016-01-15"),
        ("  licence: test facts", "  licence: test facts\n  rights: all", 13, "source.rights: unknown field"),
        ("type: ngo,", "", 39, "members[2].type: missing required field"),
    ],
)
def test_bad_new_keys_are_one_clear_error(
    tmp_path: Path, old: str, new: str, line: int, message: str | None
) -> None:
    path = tmp_path / "keep-eu-sample.yaml"
    path.write_text(edited(old, new), encoding="utf-8")
    if message is None:
        assert read_fact_file(path, VOCAB).networks[0].members[0].nuts3 == "ITH4"
        return
    with pytest.raises(FactError) as caught:
        read_fact_file(path, VOCAB)
    assert f"{path}:{line}: " in str(caught.value)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_programme_the_file_declares_is_known_only_to_that_file(tmp_path: Path) -> None:
    text = edited("programmes:\n", "programmes: []\nunused:\n")
    path = tmp_path / "f.yaml"
    path.write_text(text.replace("unused:\n  - {id: interreg-v-a-italy-slovenia", "#"), encoding="utf-8")
    with pytest.raises(FactError, match="unknown programme 'interreg-v-a-italy-slovenia'"):
        read_fact_file(path, VOCAB)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "geonames: 3175986",
            "geonames: 1",
            "keep-eu-sample.yaml:37: geonames: GeoNames ID 1 is not in the gazetteer",
        ),
        (
            "  id: keep-eu-sample",
            "  id: silesia-urbact-ii",
            "source 'silesia-urbact-ii' is also in graph/sources.yaml",
        ),
    ],
)
def test_load_refuses_a_bad_pin_or_a_source_id_in_use(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    root = project_with(tmp_path, edited(old, new))
    result = invoke("load", "--root", str(root), "--store", str(tmp_path / "store"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], result.stderr
    written = {p.name for p in (tmp_path / "store").iterdir()} if (tmp_path / "store").exists() else set()
    assert written <= {".citynet-store", ".lock"}  # no data: nothing half-written


def test_an_imported_file_is_read_from_graph_imported_only(tmp_path: Path) -> None:
    root = project_with(tmp_path, FIXTURE.read_text(encoding="utf-8"))
    shutil.move(root / "graph" / "imported", root / "graph" / "elsewhere")
    result = invoke("load", "--root", str(root), "--store", str(tmp_path / "store"))
    assert result.returncode == 0, result.stderr
    assert not ask(EmbeddedStore.open(tmp_path / "store"), "id:network/sample-crossborder ?p ?o")
