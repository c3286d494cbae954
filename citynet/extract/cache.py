"""Files citynet builds once and keeps, so that later runs start fast: ``.citynet/cache/`` of a project.

A cached file is named ``<name>-<key>.<ext>``: the key is a digest of everything the file was built
from (versions, sources), so a changed source gives another name and the old file is never read
again. A file is written whole to a temporary file in the same folder and then renamed over its
name (``os.replace``), so a reader sees the old file, the new one or none, never a part; writing it
removes the files of the same name under other keys, so the folder holds one file per name. Every
failure (a folder that cannot be made or written, a full disk) only means nothing is cached: the
caller builds what it needs as if there were no cache. Only citynet writes into this folder.

A project inside the installed package (the data citynet ships) has no cache: it is not written to.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp()) / "cache"
>>> key = digest_key("gazetteer", 1, b"labels")
>>> write_cached(folder, "demo", key, "bin", lambda out: out.write(b"built")) is not None
True
>>> read_cached(folder, "demo", key, "bin"), read_cached(folder, "demo", digest_key("other"), "bin")
(b'built', None)
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from citynet.errors import CitynetError
from citynet.project import BUNDLED, find_project

FOLDER = Path(".citynet") / "cache"


def find_cache_dir(root: Path | str | None = None) -> Path | None:
    """The cache folder of the project at ``root`` (the found project if None); None for the data
    citynet ships inside its installed package, or when there is no such project.

    >>> find_cache_dir(Path("/")) is None  # no graph/ there: no project, no cache
    True
    """
    try:
        project = find_project(root)
    except CitynetError:
        return None
    return None if project.root.resolve() == BUNDLED.resolve() else project.root / FOLDER


def digest_key(*parts: object) -> str:
    """A short digest of the parts (strings, numbers, bytes), to name a cached file by.

    >>> key = digest_key("a", 1)
    >>> len(key), key == digest_key("a", 1), key == digest_key("a1")
    (24, True, False)
    """
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode()
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:24]


def hash_files(paths: list[Path]) -> bytes:
    """The sha256 of the files' names and contents, in the order given (OSError if one is unreadable)."""
    digest = hashlib.sha256()
    for path in paths:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.digest()


def name_file(folder: Path, name: str, key: str, ext: str) -> Path:
    return folder / f"{name}-{key}.{ext}"


def read_cached(folder: Path | None, name: str, key: str, ext: str) -> bytes | None:
    """The bytes cached under ``name`` and ``key``; None when there are none (or they do not read)."""
    if folder is None:
        return None
    try:
        return name_file(folder, name, key, ext).read_bytes()
    except OSError:
        return None


def write_cached(
    folder: Path | None, name: str, key: str, ext: str, write: Callable[[IO[bytes]], object]
) -> Path | None:
    """Cache what ``write`` writes to the file it is given under ``name`` and ``key``, whole or not at
    all, and remove ``name``'s files of other keys; the file, or None when it could not be written."""
    if folder is None:
        return None
    path = name_file(folder, name, key, ext)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
    except OSError:  # a file where the folder should be, a read-only disk: run without a cache
        return None
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.replace(temporary, path)
    except OSError:  # a full disk: no cache this time
        return None
    finally:
        Path(temporary).unlink(missing_ok=True)  # gone already once it is renamed
    remove_others(folder, name, path, ext)
    return path


def remove_others(folder: Path, name: str, kept: Path, ext: str) -> None:
    """Remove the cached files of ``name`` other than ``kept`` (those of older keys; a key has no
    hyphen, so ``index-extra-<key>`` is another name's file)."""
    for old in folder.glob(f"{name}-*.{ext}"):
        if old != kept and "-" not in old.name[len(name) + 1 : -len(ext) - 1]:
            try:
                old.unlink(missing_ok=True)
            except OSError:  # another process's file it may not remove: left, never read
                continue
