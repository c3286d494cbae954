"""`citynet load` never deletes what citynet didn't make, and the store survives crashes and other loads.

A load is stopped at a known moment with ``CITYNET_TEST_PAUSE=<stage>`` (it writes ``paused at
<stage>`` to stderr and sleeps), then killed with SIGKILL. The project it loads has one network more
than the store it replaces (``test-net``, with Leoben and Celje), so a store that answered from a
half-made version, or from the new one too early, would show it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from citynet import api
from citynet.errors import StoreError
from citynet.store.embedded import EmbeddedStore, update_store
from citynet.store.folder import current_data_dir, store_version

from .conftest import CITYNET, SEEDS, add_test_source, copy_project, invoke

# The networks' labels; the seed facts have OP-ACT and no Test Net.
ACTIVE = "SELECT ?label WHERE { ?n a cn:Network ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def bigger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project: the seed facts plus one source stating one network more."""
    root = copy_project(tmp_path_factory.mktemp("bigger"))
    add_test_source(root)
    return root


@pytest.fixture(scope="module")
def seed_copy_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed-once") / "store"
    api.load(SEEDS, path)
    return path


@pytest.fixture
def store(seed_copy_source: Path, tmp_path: Path) -> Path:
    """A store of the seed graph that this test may change."""
    path = tmp_path / "store"
    shutil.copytree(seed_copy_source, path, symlinks=True)
    return path


def network_labels(store_dir: Path) -> list[str]:
    embedded = EmbeddedStore.open(store_dir)
    return [str(row["label"].value) for row in embedded.query(ACTIVE, prefixes=PREFIXES)]


PREFIXES = {"cn": "https://w3id.org/citynet/ontology#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


def listing(folder: Path) -> dict[str, bytes | str]:
    """Every path under ``folder`` with its bytes (files) or link target (symlinks)."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = os.readlink(path)
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = "<dir>"
    return found


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def start_load(root: Path, store_dir: Path, stage: str) -> subprocess.Popen:
    """A ``citynet load`` that stops at ``stage``; returns once it says it got there."""
    env = {**os.environ, "CITYNET_TEST_PAUSE": stage}
    process = subprocess.Popen(
        [*CITYNET, "load", "--store", str(store_dir), "--root", str(root)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stderr.readline()
    if line.strip() != f"paused at {stage}":
        process.kill()
        pytest.fail(f"the load did not pause at {stage}: {line}{process.stderr.read()}")
    return process


@pytest.fixture
def kill_after() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


# --- never delete what citynet did not make ------------------------------------------------------


def test_load_into_a_folder_of_the_users_touches_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "thesis.txt").write_bytes(b"thesis\n")
    before = listing(tmp_path)
    line = one_error_line(invoke("load", "--store", str(folder)))
    assert line == (
        f'Error: "{folder}" is not a citynet store: it holds files citynet did not write '
        f'(e.g. "thesis.txt") - nothing was changed; give --store a new or empty folder'
    )
    assert listing(tmp_path) == before


def test_load_onto_a_file_touches_nothing(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"my notes\n")
    line = one_error_line(invoke("load", "--store", str(target)))
    assert line.startswith(f'Error: "{target}" is a file, not a store folder')
    assert listing(tmp_path) == {"notes.txt": b"my notes\n"}


def test_a_store_of_an_older_citynet_is_left_alone(tmp_path: Path) -> None:
    old = tmp_path / "old"
    raw = ox.Store(str(old))
    raw.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    raw.flush()
    del raw
    before = listing(tmp_path)
    line = one_error_line(invoke("load", "--store", str(old)))
    assert "holds a store of an older citynet" in line and f'"{old}"' in line
    assert listing(tmp_path) == before


def test_store_dot_in_a_folder_with_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "thesis.txt").write_bytes(b"thesis\n")
    line = one_error_line(invoke("load", "--store", ".", "--root", str(SEEDS), cwd=tmp_path))
    assert line.startswith('Error: "." is not a citynet store')
    assert listing(tmp_path) == {"thesis.txt": b"thesis\n"}


def test_store_dot_in_an_empty_folder_loads_there(tmp_path: Path) -> None:
    result = invoke("load", "--store", ".", "--root", str(SEEDS), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "43 memberships" in result.stdout
    assert (tmp_path / ".citynet-store").is_file() and (tmp_path / "current").is_symlink()
    query = invoke("query", "partners", "--param", "network=RURAL", "--store", ".", cwd=tmp_path)
    assert query.returncode == 0 and "Vilnius" in query.stdout  # RURAL: Vilnius, partner (LT file)


def test_a_second_load_replaces_the_store_and_keeps_one_previous_version(store: Path) -> None:
    first = store_version(store)
    api.load(SEEDS, store)
    second = store_version(store)
    api.load(SEEDS, store)
    third = store_version(store)
    assert len({first, second, third}) == 3
    names = sorted(p.name for p in store.iterdir())
    assert names == sorted([".citynet-store", ".lock", "current", "previous", second, third])
    assert current_data_dir(store) == store / third


# --- read-only file system, full disk ------------------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs of our own (root only; skipped otherwise)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_load_onto_a_read_only_file_system_is_one_line(tmpfs: Path, seed_copy_source: Path) -> None:
    shutil.copytree(seed_copy_source, tmpfs / "store", symlinks=True)
    rows = network_labels(tmpfs / "store")
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    line = one_error_line(invoke("load", "--store", str(tmpfs / "store")))
    assert line.startswith(f'Error: cannot write the store "{tmpfs / "store"}": Read-only file system')
    new = one_error_line(invoke("load", "--store", str(tmpfs / "new")))
    assert new == f'Error: cannot write the store "{tmpfs / "new"}": Read-only file system'
    assert network_labels(tmpfs / "store") == rows  # still readable


def test_dump_on_a_full_disk_keeps_the_previous_file(tmpfs: Path, seed_copy_source: Path) -> None:
    subprocess.run(["mount", "-o", "remount,size=64k", str(tmpfs)], check=True)
    target = tmpfs / "dump.trig"
    target.write_bytes(b"# the previous dump\n")
    line = one_error_line(invoke("dump", "-o", str(target), store=seed_copy_source))
    assert line == f'Error: cannot write the dump to "{target}": No space left on device'
    assert listing(tmpfs) == {"dump.trig": b"# the previous dump\n"}


def test_dump_to_a_full_stdout_is_one_line(seed_copy_source: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*CITYNET, "dump", "--store", str(seed_copy_source)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the dump to stdout: No space left on device\n"


# --- locks, readers, crashes ---------------------------------------------------------------------


def test_a_second_load_fails_at_once_while_readers_see_the_old_store(
    store: Path, bigger: Path, kill_after: list
) -> None:
    before = network_labels(store)
    first = start_load(bigger, store, "filled")
    kill_after.append(first)
    started = time.monotonic()
    line = one_error_line(invoke("load", "--store", str(store)))
    assert time.monotonic() - started < 10
    assert line == (
        f'Error: the store "{store}" is being loaded by another citynet load (pid {first.pid}) '
        f"- wait for it to finish"
    )
    query = invoke("sparql", ACTIVE, "--format", "csv", store=store)
    assert query.returncode == 0, query.stderr
    assert "Test Net" not in query.stdout and "OP-ACT" in query.stdout
    assert network_labels(store) == before


STAGES = ["locked", "read", "filled", "checked", "compacted", "renamed"]


@pytest.mark.parametrize("stage", STAGES)
def test_kill_9_before_the_swap_leaves_the_old_store(
    stage: str, store: Path, bigger: Path, kill_after: list
) -> None:
    before = network_labels(store)
    version = store_version(store)
    assert "Test Net" not in before
    process = start_load(bigger, store, stage)
    kill_after.append(process)
    process.kill()
    process.wait()
    assert store_version(store) == version
    assert network_labels(store) == before
    api.load(bigger, store)  # the next load succeeds and clears what the killed one left
    assert network_labels(store) == sorted([*before, "Test Net"])
    leftovers = [p.name for p in store.iterdir() if p.name.startswith("staging-") or ".new-" in p.name]
    assert leftovers == []
    assert len([p for p in store.iterdir() if p.name.startswith("data-")]) == 2


def test_kill_9_after_the_swap_leaves_the_new_store(store: Path, bigger: Path, kill_after: list) -> None:
    before = network_labels(store)
    process = start_load(bigger, store, "swapped")
    kill_after.append(process)
    process.kill()
    process.wait()
    assert network_labels(store) == sorted([*before, "Test Net"])
    api.load(SEEDS, store)
    assert network_labels(store) == before
    assert not [p for p in store.iterdir() if p.name.startswith("staging-")]


def test_readers_during_loads_never_fail(store: Path, bigger: Path) -> None:
    before = network_labels(store)
    after = sorted([*before, "Test Net"])
    seen: list[list[str]] = []
    errors: list[str] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.append(network_labels(store))
            except (StoreError, OSError, RuntimeError) as exc:
                errors.append(repr(exc))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for root in (bigger, SEEDS):
            result = subprocess.run(
                [*CITYNET, "load", "--store", str(store), "--root", str(root)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, result.stderr
    finally:
        done.set()
        reader.join()
    assert errors == []
    assert len(seen) > 10
    assert all(rows in (before, after) for rows in seen)
    assert after in seen


def test_update_store_swaps_in_a_changed_copy(store: Path) -> None:
    old = store_version(store)
    reader = EmbeddedStore.open(store)
    label = '"Extra Net"@en'
    update_store(
        store,
        lambda s: s.update(
            f"INSERT DATA {{ <urn:x> a <{PREFIXES['cn']}Network> ; <{PREFIXES['rdfs']}label> {label} }}"
        ),
    )
    assert store_version(store) != old
    assert "Extra Net" in network_labels(store)
    assert "Extra Net" not in [str(r["label"].value) for r in reader.query(ACTIVE, prefixes=PREFIXES)]


def test_no_store_yet_is_one_line(tmp_path: Path) -> None:
    line = one_error_line(invoke("query", "partners", "--param", "network=RURAL", store=tmp_path / "none"))
    assert line == f'Error: no store at "{tmp_path / "none"}" - run `citynet load` first'


def test_a_failed_swap_leaves_no_new_version(
    store: Path, bigger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, version = network_labels(store), store_version(store)

    def fail(store_dir: Path, new: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("citynet.store.embedded.swap_current", fail)
    with pytest.raises(StoreError, match="Input/output error"):
        api.load(bigger, store)
    assert store_version(store) == version and network_labels(store) == before
    assert [p.name for p in store.iterdir() if p.name.startswith(("data-", "staging-"))] == [version]


def test_permission_denied_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores file modes, so the refusal a user would meet is simulated at os.mkdir."""

    def refuse(path: Any, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "mkdir", refuse)
    with pytest.raises(StoreError) as raised:
        api.load(SEEDS, tmp_path / "locked" / "store")
    assert str(raised.value) == f'cannot write the store "{tmp_path / "locked" / "store"}": Permission denied'
