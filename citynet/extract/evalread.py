"""Hand-written expectations for ``citynet extract --evaluate``: the development set and the seeds.

Two sets are read into one shape, :class:`ExpectedPage`:

- ``expected.yaml`` in the format of ``../shared/extraction-dev/`` (its conventions are at its top):
  per page, networks with ``lead`` and ``partners``; read by :func:`read_expected`;
- the seed pages (``../shared/seeds/``) with the facts of the project's ``graph/*.yaml``, mapped to
  their seed file by ``graph/sources.yaml``; read by :func:`read_seed_expectations`.

Every expected city, and the town of every organisation, is resolved to a GeoNames id through
citynet's places: the pins of ``graph/places.yaml`` first, then the name when it is unique in the
country (:func:`~citynet.places.gazetteer.resolve_city`, as ``citynet load`` does), then the
importers' resolver, which picks by size among places of the same name
(:class:`~citynet.places.resolver.Resolver`). A place none of them resolves is kept by name and
listed in :attr:`ExpectedPage.unresolved`; reading never fails on it.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "expected.yaml").write_text('''
... - file: a.txt
...   language: pl
...   networks:
...     - name: "Gen-Y City"
...       programme: "URBACT III"
...       lead: {name_in_text: "Poznań", city: "Poznań", country: PL}
...       partners:
...         - {name_in_text: "Dyneburgiem", city: "Daugavpils", country: LV}
... ''', encoding="utf-8")
>>> page = read_expected(folder / "expected.yaml")[0]
>>> [(m.name, m.role, m.geonames) for m in page.networks[0].members]
[('Poznań', 'lead-partner', 3088171), ('Daugavpils', 'partner', 460413)]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from citynet.errors import ExtractError, FactError
from citynet.places.gazetteer import resolve_city
from citynet.places.reconcile import fold as fold_latin
from citynet.places.resolver import PlaceQuery, Resolver
from citynet.project import find_shipped
from citynet.rdf.namespaces import NETWORK_TYPE, PROGRAMME, ROLE, VOCAB
from citynet.sources.facts import Pin, Vocabulary, read_fact_file, read_pins, read_sources
from citynet.sources.fields import Fields
from citynet.sources.imported import CYRILLIC, GREEK, slugify
from citynet.sources.model import FactFile, Member, Money, Network
from citynet.sources.yamlfile import read_yaml

PAGE_KEYS = {"file", "url", "publisher_type", "language", "networks", "notes"}
NETWORK_KEYS = {"name", "acronym", "programme", "type", "start", "end", "budget", "lead", "partners"}
NETWORK_KEYS |= {"declared", "notes"}
MEMBER_KEYS = {"name_in_text", "city", "organisation", "country"}
LEAD, PARTNER = "lead-partner", "partner"
SCHEMES = {"programme": PROGRAMME, "network-type": NETWORK_TYPE, "role": ROLE}


def fold(text: str) -> str:
    """A name folded for comparison: Latin letters and digits only, lower case, no accents, no
    leading "the"; Greek and Cyrillic letters spelt in Latin.

    >>> fold("Roma\\u2013NeT II") == fold("Roma-NeT II"), fold("SPAR\\u039a"), fold("Δήμος")
    (True, 'spark', 'dimos')
    """
    bare = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return fold_latin("".join(GREEK.get(c) or CYRILLIC.get(c) or c for c in bare))


@dataclass(frozen=True)
class ExpectedMember:
    """A member the page names: a city, or an organisation (located in ``town`` when the page says)."""

    kind: str  # "city" or "organisation"
    name: str  # the city's English/international name, or the organisation's name
    country: str  # ISO 3166-1 alpha-2
    role: str  # lead-partner or partner
    written: str | None = None  # as the text writes it
    town: str | None = None  # an organisation's city, when the page ties it to one
    geonames: int | None = None  # the city's id, or the id of the organisation's town
    how: str = ""  # how the place resolved: "pin", "unique name", the resolver's reason; "" = none


@dataclass(frozen=True)
class ExpectedNetwork:
    name: str
    names: tuple[str, ...]  # every name the expectation gives (the first is ``name``)
    members: tuple[ExpectedMember, ...]
    acronym: str | None = None
    programme: str | None = None  # as the expectation writes it ("URBACT", "URBACT III", a concept id)
    type: str | None = None  # likewise ("transfer network", or a concept id)
    start: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    end: str | None = None
    budget: Money | None = None
    partners: int | None = None  # declared counts
    countries: int | None = None
    id: str | None = None  # the graph's id (the seeds)


@dataclass(frozen=True)
class ExpectedPage:
    file: str  # the page's file name: proposals are keyed by it
    language: str
    networks: tuple[ExpectedNetwork, ...]
    unresolved: tuple[str, ...] = ()  # expected places no resolver could resolve, one line each


@cache
def read_project_pins(graph_dir: Path) -> dict[tuple[str, str], Pin]:
    return read_pins(graph_dir / "places.yaml")


def resolve_place(name: str, country: str, pins: dict[tuple[str, str], Pin]) -> tuple[int | None, str]:
    """A (city, country)'s GeoNames id and how it was found; ``(None, "")`` when nothing resolves it.

    >>> resolve_place("Poznań", "PL", {})
    (3088171, 'unique name')
    >>> resolve_place("Constanța", "RO", {})[1]
    'name, the one so named, far larger than the others'
    >>> resolve_place("Xyzzy", "PL", {})
    (None, '')
    """
    try:
        place = resolve_city(name, country, pins, "", 0)
        return place.geonames_id, "pin" if (name, country) in pins else "unique name"
    except FactError:
        found = Resolver(pins).resolve(PlaceQuery(name, country))
        return (found.place.geonames_id, found.how) if found.place else (None, "")


def read_member(
    item: Any, where: tuple[str, str, int], role: str, pins: dict[tuple[str, str], Pin]
) -> ExpectedMember:
    """One ``lead`` or ``partners`` entry; ``where`` is (file, field, line) for errors."""
    sub = Fields(item, *where, MEMBER_KEYS)
    country = sub.text("country", True) or ""
    country = {"UK": "GB", "EL": "GR"}.get(country, country)
    city, organisation = sub.text("city"), sub.text("organisation")
    if not city and not organisation:
        raise sub.fail("city", "a member needs `city` or `organisation`")
    geonames, how = resolve_place(city, country, pins) if city else (None, "")
    if organisation:
        return ExpectedMember(
            "organisation", organisation, country, role, sub.text("name_in_text"), city, geonames, how
        )
    return ExpectedMember("city", city or "", country, role, sub.text("name_in_text"), None, geonames, how)


def read_budget(fields: Fields) -> Money | None:
    sub = fields.sub("budget", {"value", "currency"})
    if sub is None:
        return None
    value = sub.decimal("value", Decimal(0), None, "a budget is not negative")
    return Money(value or Decimal(0), sub.text("currency", True) or "")


def read_expected_network(item: Any, fields: Fields, pins: dict[tuple[str, str], Pin]) -> ExpectedNetwork:
    sub = Fields(item, fields.path, fields.where, fields.line(), NETWORK_KEYS)
    members = []
    if sub.get("lead") is not None:
        members.append(
            read_member(sub.get("lead"), (sub.path, sub.name("lead"), sub.line("lead")), LEAD, pins)
        )
    for index, partner in sub.items("partners"):
        where = (sub.path, f"{sub.name('partners')}[{index}]", getattr(partner, "line", sub.line("partners")))
        members.append(read_member(partner, where, PARTNER, pins))
    declared = sub.sub("declared", {"partners", "countries"})
    name = sub.text("name", True) or ""
    return ExpectedNetwork(
        name,
        (name,),
        tuple(members),
        sub.text("acronym"),
        sub.text("programme"),
        sub.text("type"),
        sub.text("start"),
        sub.text("end"),
        read_budget(sub),
        declared.integer("partners") if declared else None,
        declared.integer("countries") if declared else None,
    )


def list_unresolved(file: str, networks: list[ExpectedNetwork]) -> tuple[str, ...]:
    """One line per expected place nothing resolved (a city, or an organisation's town)."""
    lines = [
        f"{file}: {m.town or m.name} ({m.country}) in {n.name} - no GeoNames place"
        for n in networks
        for m in n.members
        if m.geonames is None and (m.kind == "city" or m.town)
    ]
    return tuple(dict.fromkeys(lines))


def read_expected(path: Path, graph_dir: Path | None = None) -> list[ExpectedPage]:
    """The pages of an ``expected.yaml``; places resolved with the pins of ``graph_dir/places.yaml``.

    A malformed file is one :class:`~citynet.errors.ExtractError` line naming file, line and field.
    """
    pins = read_project_pins(graph_dir or find_shipped() / "graph")
    try:
        data = read_yaml(path)
        if not isinstance(data, list):
            raise FactError("expected a list of pages (- file: ...)", str(path), 1)
        pages = []
        for index, item in enumerate(data):
            top = Fields(item, str(path), f"[{index}]", getattr(item, "line", 1), PAGE_KEYS)
            networks = []
            for number, network in top.items("networks"):
                where = Fields(
                    network, str(path), f"[{index}].networks[{number}]", top.line("networks"), NETWORK_KEYS
                )
                networks.append(read_expected_network(network, where, pins))
            file = top.text("file", True) or ""
            language = top.text("language", True) or ""
            pages.append(ExpectedPage(file, language, tuple(networks), list_unresolved(file, networks)))
        return pages
    except FactError as error:
        raise ExtractError(f"expected facts: {error}") from None


def read_concepts(ontology_dir: Path) -> Vocabulary:
    """Concept ids per SKOS scheme of ``ontology/vocab/*.ttl``: ``{"programme": {"urbact-iii", ...}, ...}``.

    >>> from citynet.project import find_shipped
    >>> sorted(read_concepts(find_shipped() / "ontology")["role"])
    ['lead-partner', 'partner']
    """
    graph = Graph()
    for path in sorted((ontology_dir / "vocab").glob("*.ttl")):
        graph.parse(path, format="turtle")
    vocab: Vocabulary = {}
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        if str(scheme).startswith(VOCAB) and str(concept).startswith(str(scheme)):
            vocab.setdefault(str(scheme)[len(VOCAB) :].strip("/"), set()).add(
                str(concept)[len(str(scheme)) :]
            )
    return vocab


def to_expected_member(member: Member, pins: dict[tuple[str, str], Pin]) -> ExpectedMember:
    country = member.country or ""
    town = member.name if member.kind == "city" else member.town
    geonames, how = (member.geonames, "fact file") if member.geonames else (None, "")
    if geonames is None and town:
        geonames, how = resolve_place(town, country, pins)
    return ExpectedMember(
        member.kind, member.name, country, member.role, member.written, member.town, geonames, how
    )


def to_expected_network(network: Network, pins: dict[tuple[str, str], Pin]) -> ExpectedNetwork:
    declared = network.declared
    return ExpectedNetwork(
        network.names[0].text if network.names else network.id,
        tuple(n.text for n in network.names),
        tuple(to_expected_member(m, pins) for m in network.members),
        network.acronym,
        network.programme,
        network.type,
        network.start.text if network.start else None,
        network.end.text if network.end else None,
        network.budget,
        declared.partners if declared else None,
        declared.countries if declared else None,
        network.id,
    )


def read_seed_expectations(root: Path) -> list[ExpectedPage]:
    """The seed pages' expectations: the facts of ``root/graph/*.yaml`` whose source names a seed.

    >>> from citynet.project import find_shipped
    >>> pages = read_seed_expectations(find_shipped())
    >>> [(p.file, p.language, len(p.networks)) for p in pages][:2]
    [('000_8781f0a9edda8574.txt', 'pl', 9), ('001_7cf82d520a4072bb.txt', 'sl', 1)]
    """
    graph_dir = root / "graph"
    pins = read_project_pins(graph_dir)
    try:
        sources = read_sources(graph_dir / "sources.yaml", root)
        vocab = read_concepts(root / "ontology")
        facts: list[FactFile] = [
            read_fact_file(p, vocab, root)
            for p in sorted(graph_dir.glob("*.yaml"))
            if p.name not in {"sources.yaml", "places.yaml"}
        ]
    except FactError as error:
        raise ExtractError(f"seed facts: {error}") from None
    pages = []
    for entry in sorted(sources.values(), key=lambda e: e.seed or ""):
        networks = [to_expected_network(n, pins) for f in facts if f.source == entry.id for n in f.networks]
        if entry.seed:
            pages.append(
                ExpectedPage(
                    entry.seed, entry.language, tuple(networks), list_unresolved(entry.seed, networks)
                )
            )
    return pages


@cache
def read_labels(scheme: str, ontology_dir: Path | None = None) -> dict[str, str]:
    """A scheme's concepts by folded id and folded label (any language): ``{"urbactiii": "urbact-iii", ...}``.

    >>> read_labels("network-type")["networkoftwinnedtowns"]
    'town-twinning-network'
    """
    graph = Graph()
    for path in sorted(((ontology_dir or find_shipped() / "ontology") / "vocab").glob("*.ttl")):
        graph.parse(path, format="turtle")
    namespace = str(SCHEMES[scheme])
    labels: dict[str, str] = {}
    for concept in graph.subjects(SKOS.inScheme, URIRef(namespace)):
        name = str(concept)[len(namespace) :]
        labels[fold(name)] = name
        for predicate in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
            for label in graph.objects(concept, predicate):
                labels.setdefault(fold(str(label)), name)
    return labels


def map_concept(text: str, scheme: str, labels: dict[str, str]) -> tuple[set[str], bool]:
    """The concept ids an expected value accepts (``x-*``: any id starting ``x-``), and whether it counts
    when nothing is proposed (False: no concept of the vocabulary can say it).

    A concept id or label is that concept; a generic name is every concept it begins
    ("URBACT" → ``urbact-*``); a name the vocabulary lacks ("INTERREG III B (SUDOE)") accepts an id
    beginning with its first word (``interreg*``) and is not counted missing.

    >>> labels = read_labels("programme")
    >>> map_concept("URBACT III", "programme", labels), map_concept("URBACT", "programme", labels)
    (({'urbact-iii'}, True), ({'urbact-*'}, True))
    >>> map_concept("Europe for Citizens", "programme", labels)
    ({'europe-for-citizens-*'}, True)
    >>> map_concept("Interreg (Euregio Maas-Rijn)", "programme", labels)
    ({'interreg*'}, False)
    """
    if fold(text) in labels:
        return {labels[fold(text)]}, True
    slug = slugify(text)
    if any(concept.startswith(f"{slug}-") for concept in labels.values()):
        return {f"{slug}-*"}, True
    return {f"{slug.split('-')[0]}*"}, False
