"""A release's dumps: the whole graph in four files, checksums, and what changed since the last one.

Under ``dumps/YYYY-MM-DD/`` (:attr:`Context.release_dir`), written once and never rewritten:

- ``citynet-YYYYMMDD.nq.gz``: the quads of the named graphs, one graph per source (what
  ``citynet dump --format nquads`` writes, and what ``citynet load`` reads back: the merged default
  graph is made again from them, so it is left out rather than stored twice). Canonical N-Quads
  as Oxigraph writes them (RDF 1.2's canonical escapes, lower-case language tags, no
  ``^^xsd:string``), one quad a line, the lines sorted bytewise and unique, so two releases'
  files differ only where the graph did;
- ``citynet-YYYYMMDD.trig.gz`` and ``citynet-YYYYMMDD.jsonld.gz``: the same named graphs in TriG
  and JSON-LD (each graph an ``@id`` with its ``@graph``);
- ``graphs/<slug>.ttl.gz``: one Turtle file per named graph, the slug the graph IRI's last
  segment (``…/id/source/krakow-urb-inclusion`` → ``krakow-urb-inclusion``); when two graphs
  share a slug both get their parent segment in front (``source-ontology``, ``graph-ontology``);
- ``CHANGES.md``: triples added and removed per class and per source graph since the previous
  release (:mod:`citynet.publish.changes`);
- ``SHA256SUMS``: GNU ``sha256sum`` lines for every other file, so ``sha256sum -c SHA256SUMS``
  checks the folder.

Every gzip has mtime 0 and no file name in its header: the same graph gives the same bytes.
``dumps/latest/`` holds the newest release's files under names without the date
(``citynet.nq.gz``, …; hard links where the file system allows, else copies, never symlinks,
which GitHub Pages does not follow); unlike a dated release it is rewritten by every publish.

The N-Quads are sorted by GNU ``sort`` (``LC_ALL=C``, ``-u``, a bounded buffer, spilling to a
folder beside the release) fed by Oxigraph's streaming serialiser, so memory stays flat however
large the graph. Measured at 100k memberships (1.06M quads, 217 MB of N-Quads): sorting in Python
(``sorted(set(lines))``) peaked at 616 MB, which grows with the graph (about 7 GB at 1M
memberships); GNU sort took 1.0 s and 264 MB, its buffer. All of the dumps took 25 s (warm
cache; the sorted N-Quads 6.8 s, TriG, JSON-LD and the Turtle files about 5-6 s each, each
serialiser streaming in under 100 MB), ``citynet dump --format nquads`` 5.6 s.

>>> import datetime as dt, tempfile, pyoxigraph as ox
>>> store = ox.Store()
>>> g, p = ox.NamedNode("https://w3id.org/citynet/id/source/s"), ox.NamedNode("urn:p")
>>> store.extend([ox.Quad(ox.NamedNode(f"urn:{n}"), p, ox.Literal(n), g) for n in "ba"])
>>> with tempfile.TemporaryDirectory() as folder:
...     context = Context(store, "https://w3id.org/citynet/", dt.date(2026, 12, 4), Path(folder))
...     names = [d.path.removeprefix("dumps/2026-12-04/") for d in write_dumps(context)]
...     lines = gzip.decompress((context.release_dir / names[0]).read_bytes()).decode().splitlines()
...     latest = sorted(path.name for path in (context.folder / "dumps" / "latest").iterdir())
>>> names
['citynet-20261204.nq.gz', 'citynet-20261204.trig.gz', 'citynet-20261204.jsonld.gz', 'graphs/s.ttl.gz']
>>> [line.split(" ")[0] for line in lines]
['<urn:a>', '<urn:b>']
>>> latest
['CHANGES.md', 'SHA256SUMS', 'citynet.jsonld.gz', 'citynet.nq.gz', 'citynet.trig.gz', 'graphs']
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

import pyoxigraph as ox

from citynet.errors import PublishError
from citynet.publish.changes import write_changes
from citynet.publish.context import Context, Distribution
from citynet.publish.paths import check_segment
from citynet.store.embedded import iterate_named
from citynet.store.resources import PREFIXES

GZIP = "application/gzip"
# gzip's own default; on 217 MB of N-Quads level 6 took 0.9 s for 9.4 MB, level 9 2.8 s for 5 % less,
# level 1 0.4 s for 46 % more
GZIP_LEVEL = 6
SORT_BUFFER = "256M"  # GNU sort's memory; it spills sorted runs to disk beyond that
CHUNK = 1 << 20
LATEST = "latest"
RELEASE_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")
# the whole-graph files: (suffix, media type, Oxigraph's format, title)
WHOLE = (
    ("nq", "application/n-quads", ox.RdfFormat.N_QUADS, "All named graphs, sorted canonical N-Quads"),
    ("trig", "application/trig", ox.RdfFormat.TRIG, "All named graphs, TriG"),
    ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, "All named graphs, JSON-LD"),
)


def write_dumps(context: Context) -> list[Distribution]:
    """Write the release's dumps and the ``latest`` copy; one Distribution per data file.

    Raises PublishError when the release exists (releases are never overwritten) or a file cannot
    be written; then nothing of this release is left behind.
    """
    release = context.release_dir
    if release.exists():
        raise PublishError(
            f'release {context.release.isoformat()} exists in "{release.parent}" - '
            "releases are never overwritten; give --release another date"
        )
    try:
        release.mkdir(parents=True)
        names = write_release(context)
        write_changes(context, release / names[0][0])
        write_checksums(release)
        if is_newest(context):
            write_latest(context, names)
    except (OSError, PublishError) as exc:
        shutil.rmtree(release, ignore_errors=True)
        shutil.rmtree(release.parent / f".{LATEST}-new", ignore_errors=True)
        if isinstance(exc, PublishError):
            raise
        raise PublishError(f'cannot write the dumps in "{release}": {exc}') from None
    return [distribution(context, name, media, title) for name, media, title in names]


def write_release(context: Context) -> list[tuple[str, str, str]]:
    """Write the data files; returns (name in the release folder, media type, title) of each."""
    release, store = context.release_dir, context.store
    slugs = graph_slugs(store)  # before any file: a graph without a file name fails at once
    names = []
    for suffix, media, rdf_format, title in WHOLE:
        name = f"citynet-{context.stamp}.{suffix}.gz"
        if rdf_format is ox.RdfFormat.N_QUADS:
            write_sorted_nquads(store, release / name)
        else:
            with open_gzip(release / name) as out:
                ox.serialize(iterate_by_graph(store), out, format=rdf_format, prefixes=prefixes(rdf_format))
        names.append((name, media, f"{title} (gzip)"))
    (release / "graphs").mkdir()
    for graph, slug in sorted(slugs.items(), key=lambda item: item[1]):
        with open_gzip(release / "graphs" / f"{slug}.ttl.gz") as out:
            store.dump(out, format=ox.RdfFormat.TURTLE, from_graph=graph, prefixes=PREFIXES)
        names.append((f"graphs/{slug}.ttl.gz", "text/turtle", f"Named graph {graph.value}, Turtle (gzip)"))
    return names


def prefixes(rdf_format: ox.RdfFormat) -> dict[str, str] | None:
    """The prefixes TriG is written with; None for formats that take none."""
    return PREFIXES if rdf_format is ox.RdfFormat.TRIG else None


def iterate_by_graph(store: ox.Store) -> Iterator[ox.Quad]:
    """The named graphs' quads one graph after another, the graphs in IRI order."""
    for graph in sorted(store.named_graphs(), key=lambda node: node.value):
        yield from store.quads_for_pattern(None, None, None, graph)


@contextmanager
def open_gzip(path: Path) -> Iterator[BinaryIO]:
    """A gzip file for writing whose header holds neither a time nor a file name: reproducible."""
    with path.open("wb") as raw, gzip.GzipFile("", "wb", GZIP_LEVEL, raw, mtime=0) as out:
        yield out  # type: ignore[misc]


def write_sorted_nquads(store: ox.Store, target: Path) -> None:
    """Write the named graphs' quads to ``target`` as sorted, unique N-Quads lines, gzipped.

    Oxigraph streams the lines into GNU sort, which sorts them bytewise in ``SORT_BUFFER`` of
    memory and spills to a scratch folder beside the target (same disk, removed afterwards).
    """
    with tempfile.TemporaryDirectory(prefix=".sort-", dir=target.parent) as scratch:
        command = ["sort", "-u", f"--buffer-size={SORT_BUFFER}", f"--temporary-directory={scratch}"]
        environment = {**os.environ, "LC_ALL": "C"}
        try:
            sort = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=environment,
            )
        except OSError as exc:
            raise PublishError(
                f"cannot run GNU sort for the N-Quads dump: {exc} - install coreutils"
            ) from None
        with sort:
            assert sort.stdin is not None and sort.stdout is not None and sort.stderr is not None
            try:
                ox.serialize(iterate_named(store), sort.stdin, format=ox.RdfFormat.N_QUADS)
                sort.stdin.close()
                with open_gzip(target) as out:
                    shutil.copyfileobj(sort.stdout, out, CHUNK)
            except BrokenPipeError:
                pass  # sort stopped (a full disk, say): what it said follows
            problem = sort.stderr.read().decode(errors="replace").strip()
        if sort.returncode != 0:
            raise PublishError(f'sort failed writing "{target}": {problem or sort.returncode}')


def graph_slugs(store: ox.Store) -> dict[ox.NamedNode, str]:
    """Each named graph's file name (without extension), in IRI order; PublishError if two
    graphs would still share one, or a graph's name cannot be a file name."""
    graphs = sorted(store.named_graphs(), key=lambda node: node.value)
    slugs = {graph: unquote(graph.value.rstrip("/").rsplit("/", 1)[-1]) for graph in graphs}
    shared = {slug for slug, count in Counter(slugs.values()).items() if count > 1}
    for graph in graphs:
        if slugs[graph] in shared:
            parent = ["", *graph.value.rstrip("/").split("/")][-2]
            slugs[graph] = f"{unquote(parent)}-{slugs[graph]}"
    seen: dict[str, ox.NamedNode] = {}
    for graph, slug in slugs.items():
        problem = check_segment(slug) or ("holds a backslash" if "\\" in slug else None)
        if problem:
            raise PublishError(f'graph {graph.value} cannot be a dump file name: "{slug}" {problem}')
        if slug in seen:
            raise PublishError(
                f"graphs {seen[slug].value} and {graph.value} would both be dumped to graphs/{slug}.ttl.gz"
                " - give one of them another last segment"
            )
        seen[slug] = graph
    return slugs


def hash_file(path: Path) -> str:
    """The file's SHA-256, in hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_checksums(folder: Path) -> None:
    """Write ``SHA256SUMS`` for every other file under ``folder``, sorted by name, in GNU's format."""
    names = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS"
    )
    lines = "".join(f"{hash_file(folder / name)}  {name}\n" for name in names)
    (folder / "SHA256SUMS").write_text(lines, encoding="utf-8")


def is_newest(context: Context) -> bool:
    """True when no release already in ``dumps/`` is dated after this one."""
    dumps = context.release_dir.parent
    dated = [path.name for path in dumps.iterdir() if RELEASE_NAME.fullmatch(path.name)]
    return max(dated) == context.release.isoformat()


def latest_name(name: str, stamp: str) -> str:
    """A release file's name in ``latest``: citynet-20261204.nq.gz -> citynet.nq.gz."""
    return name.replace(f"citynet-{stamp}.", "citynet.", 1) if "/" not in name else name


def write_latest(context: Context, names: list[tuple[str, str, str]]) -> None:
    """Make ``dumps/latest`` a copy of this release under undated names, swapped in by rename."""
    release, dumps = context.release_dir, context.release_dir.parent
    fresh, old = dumps / f".{LATEST}-new", dumps / f".{LATEST}-old"
    shutil.rmtree(fresh, ignore_errors=True)
    (fresh / "graphs").mkdir(parents=True)
    for name in [name for name, _, _ in names] + ["CHANGES.md"]:
        link_or_copy(release / name, fresh / latest_name(name, context.stamp))
    write_checksums(fresh)
    shutil.rmtree(old, ignore_errors=True)
    if (dumps / LATEST).exists():
        (dumps / LATEST).rename(old)
    fresh.rename(dumps / LATEST)
    shutil.rmtree(old, ignore_errors=True)


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link to ``source`` at ``target``, or a copy where the file system refuses links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def distribution(context: Context, name: str, media_type: str, title: str) -> Distribution:
    """The Distribution of the release file ``name`` (relative to the release folder)."""
    path = context.release_dir / name
    return Distribution(
        path=path.relative_to(context.folder).as_posix(),
        media_type=media_type,
        compression=GZIP,
        size=path.stat().st_size,
        sha256=hash_file(path),
        title=title,
    )
