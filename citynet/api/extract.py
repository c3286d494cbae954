"""The extraction verbs: ``citynet extract`` and ``citynet extract --evaluate`` (issue 19).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "graph").mkdir()
>>> page = folder / "page.txt"
>>> _ = page.write_text("https://example.org/p\\n\\nPoznań is the lead partner of the URBACT network "
...     "Gen-Y City, with Granada and Wolverhampton.\\n", encoding="utf-8")
>>> [proposal] = extract([page], root=folder, store_dir=folder / "no-store")
>>> proposal.path.name, [(m.name, m.role) for m in proposal.facts.networks[0].members]
('example-org-p.yaml', [('Poznań', 'lead-partner'), ('Granada', 'partner'), ('Wolverhampton', 'partner')])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from citynet.errors import ExtractError, StoreError
from citynet.extract.evalreport import format_table as format_evaluation
from citynet.extract.evaluate import Scores, evaluate_folder
from citynet.extract.language import ALIASES, LANGUAGES
from citynet.extract.model import Document
from citynet.extract.networks import KnownNetwork
from citynet.extract.pipeline import Extractor, start_extractor
from citynet.extract.proposal import check_source_id, slug_for, to_fact_file, write_proposal
from citynet.extract.reading import read_document
from citynet.extract.registry import read_registry_files
from citynet.project import find_project, find_writable_project
from citynet.query.registry import read_registry
from citynet.sources.model import FactFile, Network
from citynet.store.embedded import EmbeddedStore
from citynet.store.folder import find_store_dir

__all__ = ["EXTRACT_LANGUAGES", "Proposed", "extract", "extract_evaluate", "format_evaluation"]

EXTRACT_LANGUAGES = (*sorted(LANGUAGES), *sorted(ALIASES))  # what --lang takes, besides auto
SUFFIXES = {".html", ".htm", ".xhtml", ".pdf", ".txt", ".text"}


@dataclass(frozen=True)
class Proposed:
    """One document's proposal: where it was written, the facts, the document and the registry size."""

    path: Path
    facts: FactFile
    document: Document
    registry: int


def list_documents(paths: list[Path]) -> list[Path]:
    """The files given, and in each folder given its HTML, PDF and text files (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    if not files:
        raise ExtractError(f"{', '.join(map(str, paths))}: no HTML, PDF or text file to read")
    return files


def read_known(graph_dir: Path, store_dir: Path | str | None) -> list[KnownNetwork]:
    """The loaded graph's networks; before the first ``citynet load``, those of the fact files."""
    path = find_store_dir(str(store_dir) if store_dir else None)
    if path.exists():
        try:
            return read_registry(EmbeddedStore.open(path).store)
        except StoreError:
            pass
    return read_registry_files(graph_dir)


def open_extractor(root: Path | None, store_dir: Path | str | None) -> Extractor:
    project = find_project(root)
    return start_extractor(project.root, read_known(project.graph_dir, store_dir))


def extract(
    paths: list[Path],
    url: str | None = None,
    lang: str = "auto",
    source_id: str | None = None,
    root: Path | None = None,
    store_dir: Path | str | None = None,
    today: dt.date | None = None,
) -> list[Proposed]:
    """Propose facts from each document as ``graph/proposed/<id>.yaml`` with its text beside it.

    Every document is read (and refused, with one line, before anything is written) first.
    """
    files = list_documents([Path(p) for p in paths])
    if len(files) > 1 and (url or source_id):
        raise ExtractError("--url and --source-id name one document: give one file")
    day = today or dt.date.today()
    documents = [read_document(f, url=url, lang=lang, today=day) for f in files]
    ids = [
        check_source_id(source_id) if source_id else slug_for(d.url, str(f))
        for d, f in zip(documents, files, strict=True)
    ]
    if len(set(ids)) < len(ids):
        raise ExtractError(
            "two documents would share one proposal id: extract them one at a time with --source-id"
        )
    project = find_writable_project(root)
    extractor = open_extractor(project.root, store_dir)
    networks = propose_by_language(extractor, documents)
    proposed = []
    for document, source, found in zip(documents, ids, networks, strict=True):
        facts = to_fact_file(document, found, source, day)
        path = write_proposal(project.graph_dir, document, facts, day)
        proposed.append(Proposed(path, facts, document, len(extractor.registry.by_name)))
    return proposed


def propose_by_language(extractor: Extractor, documents: list[Document]) -> list[list[Network]]:
    """Each document's networks, proposed one language after another: simplemma keeps the
    dictionaries of eight languages loaded, and reloading one costs up to two seconds."""
    order = sorted(range(len(documents)), key=lambda i: documents[i].language)
    found: dict[int, list[Network]] = {i: extractor.propose(documents[i]) for i in order}
    return [found[i] for i in range(len(documents))]


def extract_evaluate(folder: Path, root: Path | None = None, store_dir: Path | str | None = None) -> Scores:
    """Propose facts (in memory) for every page of ``folder/expected.yaml`` (or the seeds) and score them."""
    project = find_project(root)
    extractor = open_extractor(root, store_dir)
    day = dt.date.today()

    files = sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    documents: dict[Path, Document] = {}
    for file in files:
        try:
            documents[file] = read_document(file, today=day)
        except ExtractError:
            continue  # scored as an empty proposal, with the reason, when its page is asked for
    networks = dict(zip(documents, propose_by_language(extractor, list(documents.values())), strict=True))

    def propose(file: Path) -> FactFile:
        document = documents.get(file) or read_document(file, today=day)
        found = networks[file] if file in networks else extractor.propose(document)
        return to_fact_file(document, found, slug_for(document.url, str(file)), day)

    return evaluate_folder(Path(folder), project.root, propose)
