"""A release's dumps, read back by other programs: raptor's ``rapper`` parses the N-Quads, TriG and
Turtle, PyLD expands the JSON-LD, GNU ``sha256sum -c`` checks the checksums, ``gzip -l`` the headers.

Expected values come from graph/sources.yaml (five sources, so five source graphs beside the
gazetteer, the ontology and the source register) and graph/krakow-urb-inclusion.yaml (the member
line ``{city: Turin, written: Turynem, country: IT, role: partner}`` of URB-INCLUSION: a
membership with its type, network, member and role, and Turin as the page names it: a cn:City in
IT with the Polish label "Turynem" - seven quads in Kraków's graph).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld

from citynet.errors import PublishError
from citynet.publish import dumps
from citynet.publish.context import Context
from citynet.publish.dumps import write_dumps
from citynet.store.embedded import EmbeddedStore, count_merged, merge_into_default
from tests.conftest import invoke

BASE = "https://w3id.org/citynet/"
ID = BASE + "id/"
KRAKOW = ox.NamedNode(ID + "source/krakow-urb-inclusion")
TURIN = ox.NamedNode(ID + "city/3165524")
TURIN_MEMBERSHIP = ox.NamedNode(ID + "membership/urb-inclusion/city/3165524")
RELEASE = dt.date(2026, 12, 4)
GRAPH_FILES = [
    "graphs/celje-cities-at-heart.ttl.gz",
    "graphs/daugavpils-cities-of-change.ttl.gz",
    "graphs/gazetteer.ttl.gz",
    "graphs/krakow-urb-inclusion.ttl.gz",
    "graphs/ontology.ttl.gz",
    "graphs/silesia-urbact-ii.ttl.gz",
    "graphs/sources.ttl.gz",
    "graphs/urbact-lt-transfer-networks.ttl.gz",
]
WHOLE = ["citynet-20261204.nq.gz", "citynet-20261204.trig.gz", "citynet-20261204.jsonld.gz"]


@pytest.fixture(scope="module")
def store(seed_store: Path) -> ox.Store:
    return EmbeddedStore.open(seed_store).store


@pytest.fixture(scope="module")
def published(store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> tuple[Context, list]:
    """The seed graph's release 2026-12-04, written once for the module's read-only tests."""
    context = Context(store, BASE, RELEASE, tmp_path_factory.mktemp("pub"))
    return context, write_dumps(context)


def named_quads(store: ox.Store) -> int:
    """The quads of the store's named graphs: the store's size less its merged default graph."""
    return len(store) - count_merged(store)


def gunzip(path: Path, target: Path) -> Path:
    target.write_bytes(gzip.decompress(path.read_bytes()))
    return target


def rapper_count(path: Path, syntax: str) -> int:
    """What raptor's rapper says it parsed (it checks the syntax; exit 0 only when it parsed)."""
    done = subprocess.run(
        ["rapper", "-i", syntax, "-c", str(path), BASE], capture_output=True, text=True, check=True
    )
    return int(re.search(r"Parsing returned (\d+) (?:triples|statements)", done.stderr).group(1))


def test_the_release_holds_the_files_the_layout_names(published: tuple[Context, list]) -> None:
    context, distributions = published
    found = context.release_dir.rglob("*")
    files = sorted(p.relative_to(context.release_dir).as_posix() for p in found if p.is_file())
    assert files == sorted(["CHANGES.md", "SHA256SUMS", *WHOLE, *GRAPH_FILES])
    assert [d.path for d in distributions] == [f"dumps/2026-12-04/{name}" for name in WHOLE + GRAPH_FILES]
    media = [d.media_type for d in distributions]
    assert media == ["application/n-quads", "application/trig", "application/ld+json"] + ["text/turtle"] * 8
    assert {d.compression for d in distributions} == {"application/gzip"}
    for d in distributions:
        path = context.folder / d.path
        assert d.size == path.stat().st_size > 0
        done = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True)
        assert d.sha256 == done.stdout.split()[0]


@pytest.mark.parametrize(("name", "syntax"), [(WHOLE[0], "nquads"), (WHOLE[1], "trig")])
def test_rapper_parses_every_quad_of_the_named_graphs(
    published: tuple[Context, list], store: ox.Store, tmp_path: Path, name: str, syntax: str
) -> None:
    context, _ = published
    assert rapper_count(gunzip(context.release_dir / name, tmp_path / "dump"), syntax) == named_quads(store)


def test_rapper_parses_each_graphs_turtle_with_that_graphs_triples(
    published: tuple[Context, list], store: ox.Store, tmp_path: Path
) -> None:
    context, _ = published
    graph = {"gazetteer": "graph", "ontology": "graph", "sources": "graph"}
    for name in GRAPH_FILES:
        slug = name.removeprefix("graphs/").removesuffix(".ttl.gz")
        iri = ox.NamedNode(f"{ID}{graph.get(slug, 'source')}/{slug}")
        expected = sum(1 for _ in store.quads_for_pattern(None, None, None, iri))
        assert expected > 0
        assert rapper_count(gunzip(context.release_dir / name, tmp_path / "g.ttl"), "turtle") == expected


def test_the_nquads_are_sorted_bytewise_unique_and_make_the_merged_graph_again(
    published: tuple[Context, list], store: ox.Store
) -> None:
    context, _ = published
    lines = gzip.decompress((context.release_dir / WHOLE[0]).read_bytes()).split(b"\n")
    assert lines.pop() == b""  # the file ends with a newline
    assert lines == sorted(set(lines))
    assert all(line.endswith(b"> .") and not line.startswith(b"_:") for line in lines)  # no blank node
    again = ox.Store()
    again.bulk_load(b"\n".join(lines), format=ox.RdfFormat.N_QUADS)
    merge_into_default(again, list(again))
    assert (len(again), count_merged(again)) == (len(store), count_merged(store))


def test_the_json_ld_expanded_by_pyld_holds_the_nquads_quads(published: tuple[Context, list]) -> None:
    context, _ = published
    document = gzip.decompress((context.release_dir / WHOLE[2]).read_bytes())
    quads = jsonld.to_rdf(jsonld.expand(json.loads(document)), {"format": "application/n-quads"})
    from_jsonld = set(ox.parse(quads.encode(), format=ox.RdfFormat.N_QUADS))
    nquads = gzip.decompress((context.release_dir / WHOLE[0]).read_bytes())
    from_nquads = set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    assert len(from_nquads) > 2000
    assert from_jsonld == from_nquads


def test_sha256sum_checks_the_release_and_latest(published: tuple[Context, list]) -> None:
    context, _ = published
    for folder in (context.release_dir, context.folder / "dumps" / "latest"):
        done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        names = [line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()]
        assert names == sorted(names) and len(names) == 12  # CHANGES.md, 3 whole dumps, 8 graphs
    latest = (context.folder / "dumps" / "latest" / "SHA256SUMS").read_text()
    assert "  citynet.nq.gz\n" in latest and "20261204" not in latest


def test_latest_is_the_release_under_undated_names_not_symlinks(published: tuple[Context, list]) -> None:
    context, _ = published
    latest = context.folder / "dumps" / "latest"
    for name in [*WHOLE, *GRAPH_FILES, "CHANGES.md"]:
        copy = latest / name.replace("citynet-20261204.", "citynet.")
        assert not copy.is_symlink()
        assert copy.read_bytes() == (context.release_dir / name).read_bytes()


def test_the_gzip_headers_hold_no_time_and_no_name(published: tuple[Context, list]) -> None:
    context, _ = published
    for path in context.release_dir.rglob("*.gz"):
        header = path.read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08" and header[3] & 0x08 == 0  # deflate, no FNAME flag
        assert header[4:8] == b"\0\0\0\0"  # mtime 0
    done = subprocess.run(
        ["gzip", "-lv", str(context.release_dir / WHOLE[0])], capture_output=True, text=True, check=True
    )
    assert "defla" in done.stdout


WRITE_AGAIN = """
import datetime as dt, sys
from pathlib import Path
from citynet.publish.context import Context
from citynet.publish.dumps import write_dumps
from citynet.store.embedded import EmbeddedStore
store = EmbeddedStore.open(Path(sys.argv[1])).store
write_dumps(Context(store, "https://w3id.org/citynet/", dt.date(2026, 12, 4), Path(sys.argv[2])))
"""


def test_the_same_graph_gives_the_same_bytes_in_another_process(
    published, seed_store: Path, tmp_path: Path
) -> None:
    """Another process (other hash seeds, another open of the store) writes the same bytes."""
    context, _ = published
    subprocess.run([sys.executable, "-c", WRITE_AGAIN, str(seed_store), str(tmp_path)], check=True)
    again = tmp_path / "dumps" / "2026-12-04"
    files = [path for path in context.release_dir.rglob("*") if path.is_file()]
    assert len(files) == 13
    for path in files:
        name = path.relative_to(context.release_dir)
        assert (again / name).read_bytes() == path.read_bytes(), name


def test_the_first_release_says_so(published: tuple[Context, list]) -> None:
    context, _ = published
    assert (context.release_dir / "CHANGES.md").read_text() == (
        "# citynet 2026-12-04: changes\n\nFirst release: there is no earlier one to compare with.\n"
    )


def changed_copy(store: ox.Store) -> ox.Store:
    """The seed graph without Kraków's page naming Turin, and with one label more from a new source."""
    dropped = {TURIN_MEMBERSHIP, TURIN}
    named = [
        quad
        for quad in store
        if not isinstance(quad.graph_name, ox.DefaultGraph)
        and not (quad.graph_name == KRAKOW and quad.subject in dropped)
    ]
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
    named.append(ox.Quad(TURIN, label, ox.Literal("Torino", language="it"), ox.NamedNode(ID + "source/test")))
    copy = ox.Store()
    copy.extend(named)
    merge_into_default(copy, named)
    return copy


CHANGES = """# citynet 2026-12-11: changes

Against release 2026-12-04 (`citynet-20261204.nq.gz`): 1 quad added and 7 removed across the named graphs.

## Per class

Triples of the merged graph whose subject has the class (`rdf:type`); a subject with several classes \
counts under each, one with none under (no class).

| Class | Added | Removed |
| --- | ---: | ---: |
| `cn:City` | 1 | 1 |
| `cn:Membership` | 0 | 4 |

## Per source graph

Triples each named graph states.

| Graph | Added | Removed |
| --- | ---: | ---: |
| `id/source/krakow-urb-inclusion` | 0 | 7 |
| `id/source/test` | 1 | 0 |
"""


def test_changes_count_what_a_release_added_and_removed(store: ox.Store, published, tmp_path: Path) -> None:
    """Turin's membership (4 triples) leaves the merged graph; of Turin's own 3 quads in Kraków's
    graph only the label "Turynem" does (the gazetteer states its type and country too); the
    label "Torino" joins: cn:City +1 -1, cn:Membership -4; Kraków's graph -7, the new one +1."""
    first, _ = published
    shutil.copytree(first.folder / "dumps", tmp_path / "dumps")
    second = Context(changed_copy(store), BASE, dt.date(2026, 12, 11), tmp_path, previous=first.release_dir)
    write_dumps(second)
    assert (second.release_dir / "CHANGES.md").read_text() == CHANGES
    latest = tmp_path / "dumps" / "latest"
    assert (latest / "CHANGES.md").read_text() == CHANGES
    assert (latest / "graphs" / "test.ttl.gz").exists()
    assert (tmp_path / "dumps" / "2026-12-04" / "CHANGES.md").read_text().startswith("# citynet 2026-12-04")


def test_an_older_release_leaves_latest_alone(store: ox.Store, published, tmp_path: Path) -> None:
    first, _ = published
    shutil.copytree(first.folder / "dumps", tmp_path / "dumps")
    write_dumps(Context(changed_copy(store), BASE, dt.date(2026, 11, 1), tmp_path))
    latest = tmp_path / "dumps" / "latest"
    assert (latest / "CHANGES.md").read_text().startswith("# citynet 2026-12-04")
    assert (tmp_path / "dumps" / "2026-11-01" / "citynet-20261101.nq.gz").exists()


def test_no_changes_are_said_plainly(store: ox.Store, published, tmp_path: Path) -> None:
    first, _ = published
    context = Context(store, BASE, dt.date(2026, 12, 5), tmp_path, previous=first.release_dir)
    write_dumps(context)
    assert (context.release_dir / "CHANGES.md").read_text() == (
        "# citynet 2026-12-05: changes\n\nAgainst release 2026-12-04 (`citynet-20261204.nq.gz`): "
        "0 quads added and 0 removed across the named graphs.\n\nNo triple was added or removed.\n"
    )


def test_an_existing_release_is_refused_and_nothing_written(store: ox.Store, tmp_path: Path) -> None:
    context = Context(store, BASE, RELEASE, tmp_path)
    context.release_dir.mkdir(parents=True)
    (context.release_dir / "citynet-20261204.nq.gz").write_bytes(b"the first")
    message = (
        r'release 2026-12-04 exists in ".*/dumps" - releases are never overwritten; give --release '
        "another date"
    )
    with pytest.raises(PublishError, match=message):
        write_dumps(context)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["2026-12-04", "citynet-20261204.nq.gz", "dumps"]
    assert (context.release_dir / "citynet-20261204.nq.gz").read_bytes() == b"the first"


def one_graph_store(*graphs: str) -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode("urn:p")
    store.extend(ox.Quad(ox.NamedNode("urn:s"), p, ox.Literal(g), ox.NamedNode(g)) for g in graphs)
    return store


def test_graphs_sharing_a_last_segment_both_get_their_parent(tmp_path: Path) -> None:
    store = one_graph_store(ID + "source/ontology", ID + "graph/ontology", ID + "source/krakow")
    names = [d.path for d in write_dumps(Context(store, BASE, RELEASE, tmp_path))][3:]
    assert names == [
        "dumps/2026-12-04/graphs/graph-ontology.ttl.gz",
        "dumps/2026-12-04/graphs/krakow.ttl.gz",
        "dumps/2026-12-04/graphs/source-ontology.ttl.gz",
    ]


@pytest.mark.parametrize(
    ("graphs", "message"),
    [
        (
            ["https://a.example/source/x", "https://b.example/source/x"],
            "graphs https://a.example/source/x and https://b.example/source/x would both be dumped to "
            "graphs/source-x.ttl.gz - give one of them another last segment",
        ),
        ([ID + "graph/%2E%2E"], f'graph {ID}graph/%2E%2E cannot be a dump file name: ".." is empty, . or ..'),
    ],
)
def test_a_graph_without_a_file_name_is_refused_and_nothing_left(
    tmp_path: Path, graphs: list[str], message: str
) -> None:
    context = Context(one_graph_store(*graphs), BASE, RELEASE, tmp_path)
    with pytest.raises(PublishError, match=re.escape(message)):
        write_dumps(context)
    assert not context.release_dir.exists()
    assert not (tmp_path / "dumps" / "latest").exists()


def test_the_nquads_are_what_citynet_dump_writes_sorted(published, seed_store: Path, tmp_path: Path) -> None:
    context, _ = published
    done = invoke("dump", "--format", "nquads", "-o", str(tmp_path / "dump.nq"), store=seed_store)
    assert done.returncode == 0, done.stderr
    dumped = (tmp_path / "dump.nq").read_bytes().splitlines()
    assert gzip.decompress((context.release_dir / WHOLE[0]).read_bytes()).splitlines() == sorted(dumped)


@pytest.mark.parametrize(
    ("previous", "message"),
    [
        ("", r'the previous release ".*/2026-11-01" holds 0 citynet-\*.nq.gz files, not one'),
        ("<urn:b> <urn:p> <urn:o> <urn:g> .\n<urn:a> <urn:p> <urn:o> <urn:g> .\n", "is not sorted: <urn:a>"),
        ("<urn:a>\n", r"cannot read the previous release's dump \".*20261101.nq.gz\": not enough values"),
    ],
)
def test_a_previous_release_without_a_sorted_dump_is_refused(
    store: ox.Store, tmp_path: Path, previous: str, message: str
) -> None:
    earlier = tmp_path / "dumps" / "2026-11-01"
    earlier.mkdir(parents=True)
    if previous:
        (earlier / "citynet-20261101.nq.gz").write_bytes(gzip.compress(previous.encode()))
    context = Context(store, BASE, RELEASE, tmp_path, previous=earlier)
    with pytest.raises(PublishError, match=message):
        write_dumps(context)
    assert sorted(path.name for path in (tmp_path / "dumps").iterdir()) == ["2026-11-01"]


def test_what_sort_says_when_it_fails_is_the_error(
    store: ox.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GNU sort refuses a buffer size it cannot read: its own message names the failure."""
    monkeypatch.setattr(dumps, "SORT_BUFFER", "plenty")
    context = Context(store, BASE, RELEASE, tmp_path)
    with pytest.raises(
        PublishError, match=r"sort failed writing .*citynet-20261204\.nq\.gz.*invalid.*plenty"
    ):
        write_dumps(context)
    assert not context.release_dir.exists()
