"""Files citynet builds once and keeps, so that later runs start fast: ``.citynet/cache/`` of a project.

A cached file is named ``<name>-<key>.<ext>``: the key is a digest of everything the file was built
from (versions, sources), so a changed source gives another name and the old file is never read
again. A file is written whole to a temporary file in the same folder and then renamed over its
name (``os.replace``), so a reader sees the old file, the new one or none, never a part; writing it
removes the files of the same name under other keys, so the folder holds one file per name. Every
failure (a folder that cannot be made or written, a full disk) only means nothing is cached: the
caller builds what it needs as if there were no cache. Only citynet writes into this folder.

A project inside the installed package (the data citynet ships) has no cache: it is not written to.

This module sits below every stage (the ``[tool.importlinter]`` layers in ``pyproject.toml``, just
above :mod:`citynet.project` and :mod:`citynet.folders`, which it uses to find the project and to
write atomically), so that any stage can cache what it builds: :mod:`citynet.extract` its
gazetteer index and language model, :mod:`citynet.places` GeoNames' places.

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
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from citynet.errors import CitynetError
from citynet.folders import atomic_write
from citynet.project import BUNDLED, find_project

T = TypeVar("T")

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
        with atomic_write(path) as out:
            write(out)
    except OSError:  # a file where the folder should be, a read-only or full disk: no cache this time
        return None
    remove_others(folder, name, path, ext)
    return path


def read_or_build(
    folder: Path | None,
    name: str,
    key: str,
    parse: Callable[[bytes], T | None],
    build: Callable[[], T],
    write: Callable[[T, IO[bytes]], object],
    ext: str = "marshal",
) -> T:
    """What is cached under ``name`` and ``key``, else ``build()``'s value, cached by ``write``.

    ``parse`` turns the file's bytes back into the value; it gives None, never raising, for bytes
    that are not what ``write`` wrote (a corrupt or foreign file), which are then built again.

    >>> import marshal, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> built = []
    >>> def build():
    ...     built.append(1)
    ...     return {"a": 1}
    >>> [read_or_build(folder, "demo", "k", marshal.loads, build, marshal.dump) for _ in range(2)]
    [{'a': 1}, {'a': 1}]
    >>> len(built)  # built once, then read
    1
    """
    data = read_cached(folder, name, key, ext)
    found = parse(data) if data is not None else None
    if found is not None:
        return found
    value = build()
    write_cached(folder, name, key, ext, lambda out: write(value, out))
    return value


def remove_others(folder: Path, name: str, kept: Path, ext: str) -> None:
    """Remove the cached files of ``name`` other than ``kept`` (those of older keys; a key has no
    hyphen, so ``index-extra-<key>`` is another name's file)."""
    for old in folder.glob(f"{name}-*.{ext}"):
        if old != kept and "-" not in old.name[len(name) + 1 : -len(ext) - 1]:
            try:
                old.unlink(missing_ok=True)
            except OSError:  # another process's file it may not remove: left, never read
                continue
