"""A document's proposed facts as files: ``graph/proposed/<id>.yaml`` and the text beside it.

The YAML is an ordinary fact file (its own ``source:`` entry, ``evidence:`` on every fact); the
``.txt`` is the extracted text the evidence offsets point into. Both are written atomically, the
text first, so a reader never finds a proposal whose text is missing.

>>> slug_for("https://www.prawo.pl/samorzad/unijny-program-urbact-iii,101455.html", "x.txt")
'prawo-pl-samorzad-unijny-program-urbact-iii-101455'
>>> slug_for(None, "../shared/seeds/002_c00e98cb05310237.txt")
'002-c00e98cb05310237'
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

from citynet.errors import ExtractError
from citynet.extract.model import Document
from citynet.folders import atomic_write
from citynet.sources.factwriter import write_fact_file
from citynet.sources.imported import slugify
from citynet.sources.model import FactFile, Network, SourceEntry

PROPOSED = "proposed"  # graph/proposed/: not loaded; reviewed with citynet review
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 60


def slug_for(url: str | None, path: str) -> str:
    """A source id from the page's URL (host without www, then the path) or else the file's name."""
    if url:
        parts = urlsplit(url)
        host = parts.hostname or ""
        host = host[4:] if host.startswith("www.") else host
        path_part = re.sub(r"\.(?:html?|php|aspx?|pdf)$", "", parts.path)
        slug = slugify(f"{host} {path_part}")
    else:
        slug = slugify(Path(path).stem)
    return slug[:MAX_SLUG].strip("-") or "document"


def check_source_id(source_id: str) -> str:
    if not SLUG.match(source_id) or len(source_id) > MAX_SLUG:
        raise ExtractError(f"--source-id {source_id!r}: expected a lower-case id like 'krakow-urb-inclusion'")
    return source_id


def to_fact_file(document: Document, networks: list[Network], source_id: str, today: dt.date) -> FactFile:
    """The proposal as the fact model: the networks found and the document as their source."""
    entry = SourceEntry(
        id=source_id,
        title=document.title or Path(document.path or source_id).name,
        language=document.language,
        line=1,
        publisher=document.publisher,
        url=document.url,
        date=document.date,
        retrieved=today.isoformat(),
        sha256=document.sha256,
        text=f"{source_id}.txt",
    )
    path = f"graph/{PROPOSED}/{source_id}.yaml"
    return FactFile(path, source_id, networks, [], 1, [], entry)


def header_for(document: Document, source_id: str, today: dt.date) -> str:
    name = Path(document.path).name if document.path else source_id
    return (
        f"Proposed by `citynet extract` from {name} on {today.isoformat()}; not loaded.\n"
        f"Review: citynet review {source_id}; then citynet review accept {source_id}."
    )


def write_proposal(graph_dir: Path, document: Document, facts: FactFile, today: dt.date) -> Path:
    """Write ``graph/proposed/<id>.txt`` then ``<id>.yaml``; return the YAML's path."""
    folder = graph_dir / PROPOSED
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExtractError(f"{folder}: cannot make the proposals folder ({error.strerror})") from error
    target = folder / f"{facts.source}.yaml"
    with atomic_write(folder / f"{facts.source}.txt", "w") as out:
        out.write(document.text)
    with atomic_write(target, "w") as out:
        out.write(write_fact_file(facts, header_for(document, facts.source, today)))
    return target
