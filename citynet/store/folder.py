"""The store folder's layout: its marker, its lock, its versions and the ``current`` symlink.

:mod:`citynet.store.embedded` describes the layout; this module makes and checks it. Nothing
here opens Oxigraph.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     check_replaceable(Path(folder) / "new")  # a missing folder may become a store
...     write_marker(Path(folder))
...     (Path(folder) / MARKER).is_file()
True
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from citynet.errors import StoreError

DEFAULT_STORE = Path(".citynet") / "store"


MARKER = ".citynet-store"


LOCK = ".lock"


CURRENT = "current"


PREVIOUS = "previous"


BUILT = "store"  # the version a load builds, inside its staging folder


STORE_FORMAT = 2


def find_store_dir(option: str | None = None) -> Path:
    """The store folder: ``--store``, else ``$CITYNET_STORE``, else ``.citynet/store``.

    >>> find_store_dir("/tmp/s")
    PosixPath('/tmp/s')
    """
    return Path(option or os.environ.get("CITYNET_STORE") or DEFAULT_STORE)


def pause_for_test(stage: str) -> None:
    """Stop here for good when ``$CITYNET_TEST_PAUSE`` names ``stage`` (tests kill the load here).

    It writes ``paused at <stage>`` to stderr first, so that a test knows the moment is reached.
    """
    if os.environ.get("CITYNET_TEST_PAUSE") == stage:
        os.write(sys.stderr.fileno(), f"paused at {stage}\n".encode())
        time.sleep(3600)


def describe_os_error(exc: OSError) -> str:
    """An OSError in a few words: its message without the file name, which the caller gives.

    >>> describe_os_error(OSError(30, "Read-only file system", "/mnt/x"))
    'Read-only file system'
    """
    return exc.strerror or str(exc)


def check_replaceable(store_dir: Path) -> None:
    """Raise StoreError unless ``store_dir`` is missing, empty, or holds citynet's marker.

    Nothing is created or changed: a load calls it before anything else.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "thesis.txt").write_text("mine")
    ...     check_replaceable(Path(folder))
    Traceback (most recent call last):
    citynet.errors.StoreError: ...
    """
    if not store_dir.exists() and not store_dir.is_symlink():
        return
    if not store_dir.is_dir():
        raise StoreError(f'"{store_dir}" is a file, not a store folder - give --store a new or empty folder')
    try:
        names = sorted(os.listdir(store_dir))
    except OSError as exc:
        raise StoreError(f'cannot read the store folder "{store_dir}": {describe_os_error(exc)}') from None
    if not names or MARKER in names:
        return
    if "CURRENT" in names and any(name.endswith(".sst") or name.startswith("MANIFEST") for name in names):
        raise StoreError(
            f'"{store_dir}" holds a store of an older citynet, without the marker {MARKER} - '
            f"remove it yourself (rm -r) and load again, or give --store a new folder"
        )
    raise StoreError(
        f'"{store_dir}" is not a citynet store: it holds files citynet did not write '
        f'(e.g. "{names[0]}") - nothing was changed; give --store a new or empty folder'
    )


def write_marker(store_dir: Path) -> None:
    """Write the marker that makes ``store_dir`` a citynet store (once; kept as it is after)."""
    marker = store_dir / MARKER
    if not marker.exists():
        marker.write_text(json.dumps({"citynet-store": STORE_FORMAT}) + "\n", encoding="utf-8")


def store_version(store_dir: Path) -> str:
    """The name of the version in use; every load (and update) changes it.

    Raises StoreError when there is no store at ``store_dir``.
    """
    try:
        return os.readlink(store_dir / CURRENT)
    except FileNotFoundError:
        if (store_dir / "CURRENT").exists() and not (store_dir / MARKER).exists():
            raise StoreError(
                f'"{store_dir}" holds a store of an older citynet - remove it yourself '
                f"(rm -r) and run `citynet load` again"
            ) from None
        raise StoreError(f'no store at "{store_dir}" - run `citynet load` first') from None
    except OSError as exc:
        raise StoreError(f'cannot read the store "{store_dir}": {describe_os_error(exc)}') from None


def current_data_dir(store_dir: Path) -> Path:
    """The Oxigraph folder of the version in use (see :func:`store_version`)."""
    return store_dir / store_version(store_dir)


def read_link(store_dir: Path, name: str) -> str | None:
    """The target of ``store_dir/name``, or None."""
    try:
        return os.readlink(store_dir / name)
    except OSError:
        return None


def swap_link(store_dir: Path, name: str, target: str) -> None:
    """Point ``store_dir/name`` at ``target`` atomically: a new symlink renamed over the old one."""
    fresh = store_dir / f"{name}.new-{os.getpid()}"
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(target)
    os.replace(fresh, store_dir / name)


def swap_current(store_dir: Path, version: str) -> None:
    """Make ``version`` the one in use; the one it replaces becomes ``previous``."""
    old = read_link(store_dir, CURRENT)
    if old is not None:
        swap_link(store_dir, PREVIOUS, old)
    swap_link(store_dir, CURRENT, version)


def remove_stale(store_dir: Path) -> None:
    """Remove what killed loads left (staging folders, new links) and versions but the current and
    the previous one (a reader may still be opening the previous one). Only under the lock."""
    keep = {read_link(store_dir, CURRENT), read_link(store_dir, PREVIOUS)}
    for entry in store_dir.iterdir():
        name = entry.name
        if name.startswith("staging-") or (name.startswith("data-") and name not in keep):
            shutil.rmtree(entry, ignore_errors=True)
        elif ".new-" in name and entry.is_symlink():
            entry.unlink(missing_ok=True)


def read_lock_holder(lock: Path) -> str:
    """The pid written in the lock file, or ``?``."""
    try:
        return lock.read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return "?"


@contextmanager
def hold_lock(store_dir: Path) -> Iterator[None]:
    """Hold the store's lock; another holder makes this a StoreError at once (no waiting)."""
    lock = store_dir / LOCK
    with lock.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f'the store "{store_dir}" is being loaded by another citynet load '
                f"(pid {read_lock_holder(lock)}) - wait for it to finish"
            ) from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


def make_stamp() -> str:
    """A version's stamp: UTC time to the microsecond and the pid (``data-<stamp>``)."""
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{now}-{os.getpid()}"


@contextmanager
def open_staging(store_dir: Path) -> Iterator[Path]:
    """Claim ``store_dir`` for a new version: check it, lock it, clean it; yield a staging folder.

    The staging folder (inside the store folder) is removed on the way out, whatever happens.
    """
    check_replaceable(store_dir)
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        write_marker(store_dir)
        with hold_lock(store_dir):
            remove_stale(store_dir)
            staging = store_dir / f"staging-{make_stamp()}"
            staging.mkdir()
            try:
                yield staging
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise StoreError(f'cannot write the store "{store_dir}": {describe_os_error(exc)}') from None
