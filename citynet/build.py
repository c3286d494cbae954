"""The load pipeline: fact files -> places -> RDF quads, streamed as N-Quads.

:mod:`citynet.store` bulk-loads them into a staging store, validates it and swaps it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import SKOS

from citynet.errors import FactError
from citynet.facts import FactFile, Vocabulary, read_fact_file, read_pins, read_sources
from citynet.namespaces import VOCAB, Ids
from citynet.places import Place, resolve_city
from citynet.rdf import Builder, Origins, add_fact_file, add_gazetteer, add_sources

REGISTER = "sources.yaml"
PINS = "places.yaml"
ENRICHMENT = "enrichment"


@dataclass
class Project:
    """Where a citynet project's files are: fact files and ontology."""

    graph_dir: Path
    ontology_dir: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        """The project rooted at ``root`` (with ``graph/`` and ``ontology/``)."""
        return cls(root / "graph", root / "ontology")


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
            name = str(scheme)[len(VOCAB):].strip("/")
            vocab.setdefault(name, set()).add(str(concept)[len(str(scheme)):])
    return vocab


def read_facts(project: Project, vocab: Vocabulary) -> list[FactFile]:
    """Every fact file in the graph folder, in name order."""
    paths = [p for p in sorted(project.graph_dir.glob("*.yaml")) if p.name not in (REGISTER, PINS)]
    return [read_fact_file(path, vocab) for path in paths]


def check_references(files: list[FactFile], sources: set[str]) -> None:
    """Each file names a registered source, once; calls and continued networks exist."""
    networks = {n.id for f in files for n in f.networks}
    calls = {c.id for f in files for c in f.calls}
    seen: dict[str, str] = {}
    for facts in files:
        if facts.source not in sources:
            raise FactError(f"source '{facts.source}' is not in graph/{REGISTER} - add it there",
                            facts.path, facts.source_line, "source")
        if facts.source in seen:
            raise FactError(f"source '{facts.source}' already has a fact file: {seen[facts.source]}",
                            facts.path, facts.source_line, "source")
        seen[facts.source] = facts.path
        for n in facts.networks:
            if n.call and n.call not in calls:
                raise FactError(f"unknown call '{n.call}'", facts.path, n.line, f"network {n.id}.call")
            if n.continues and n.continues not in networks:
                raise FactError(f"unknown network '{n.continues}'", facts.path, n.line,
                                f"network {n.id}.continues")


def resolve_places(project: Project, files: list[FactFile]) -> dict[int, Place | None]:
    """Resolve every city member; keys are ``id(member)``."""
    pins = read_pins(project.graph_dir / PINS)
    return {
        id(m): resolve_city(m.name, m.country or "", pins, facts.path, m.line)
        for facts in files for n in facts.networks for m in n.members if m.kind == "city"
    }


def build_quads(project: Project, out: TextIO, base: str | None = None) -> Origins:
    """Read, resolve and build; write the quads as N-Quads to ``out``; return the nodes' origins.

    Raises FactError/PlaceError for bad fact files. Validation against the shapes happens in the
    store the quads are loaded into (:func:`citynet.shacl.validate_store`).
    """
    ontology = read_ontology(project.ontology_dir)
    sources = read_sources(project.graph_dir / REGISTER)
    files = read_facts(project, read_vocabulary(ontology))
    check_references(files, set(sources))
    places = resolve_places(project, files)
    builder = Builder(out, ids=Ids(base) if base else Ids())
    for facts in files:
        add_fact_file(builder, facts, sources[facts.source], places)
    add_sources(builder, sources)
    unique = {p.geonames_id: p for p in places.values() if p is not None}
    add_gazetteer(builder, [unique[k] for k in sorted(unique)])
    ontology_graph = builder.graph(builder.ids.graph("ontology"))
    for triple in ontology:
        if not any(isinstance(term, BNode) for term in triple):  # keep the store free of blank nodes
            ontology_graph.add(triple)
    add_enrichments(out, project.graph_dir / ENRICHMENT)
    return builder.origins


def add_enrichments(out: TextIO, folder: Path) -> None:
    """Add the graphs saved by ``citynet enrich`` (``graph/enrichment/*.nq``), if any."""
    for path in sorted(folder.glob("*.nq")):
        try:
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
        except (SyntaxError, OSError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FactError(f"not valid N-Quads ({first}) - delete it and run `citynet enrich` again",
                            str(path)) from None
        out.writelines(f"{quad} .\n" for quad in quads)
