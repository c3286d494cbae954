"""Write files and folders so that a failure never destroys what was there, nor what citynet didn't write.

- :func:`atomic_write`: a file is written to a temporary file beside it and renamed over it, so a
  full disk or a crash leaves the previous file as it was.
- :func:`claim_folder`: a folder citynet writes must be missing, empty, or made by citynet (it holds
  a marker file listing what citynet wrote there). A citynet-made folder holding anything else is
  refused too: citynet never deletes a file it did not write, and won't mix them with its own.
- :func:`replace_folder`: a folder is built beside its target and swapped in, so a failure leaves
  the previous folder as it was.

>>> import tempfile
>>> base = Path(tempfile.mkdtemp())
>>> with replace_folder(base / "site") as staging:
...     _ = (staging / "index.html").write_text("<p>hello</p>")
>>> sorted(p.name for p in (base / "site").iterdir()), read_manifest(base / "site")
(['.citynet-site', 'index.html'], ['index.html'])
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from citynet.errors import SiteError

SITE_MARKER = ".citynet-site"
OLD_SITE = {"index.html", "lib/citynet.js", "lib/citynet.css"}  # a site citynet wrote before the marker


@contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Write ``path`` through a temporary file beside it, renamed over it once complete.

    On any failure (a full disk: OSError) the temporary file is removed and ``path`` is untouched.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "out.txt"
    >>> _ = path.write_text("old")
    >>> try:
    ...     with atomic_write(path, "w") as handle:
    ...         _ = handle.write("half")
    ...         raise OSError(28, "No space left on device")
    ... except OSError:
    ...     pass
    >>> path.read_text(), sorted(p.name for p in path.parent.iterdir())
    ('old', ['out.txt'])
    >>> with atomic_write(path, "w") as handle:
    ...     _ = handle.write("new")
    >>> path.read_text()
    'new'
    """
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def read_manifest(folder: Path, marker: str = SITE_MARKER) -> list[str] | None:
    """The files citynet wrote into ``folder`` (from its marker), or None if it has no marker."""
    try:
        data = json.loads((folder / marker).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise SiteError(
            f'cannot read "{folder / marker}": {exc} - remove the folder or choose another'
        ) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        raise SiteError(
            f'"{folder / marker}" is not a list of files citynet wrote - remove the folder or choose another'
        )
    return files


def list_files(folder: Path) -> list[str]:
    """Every file and symlink under ``folder``, relative, sorted (folders themselves left out).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "lib").mkdir(); _ = (folder / "lib" / "a.js").write_text("")
    >>> list_files(folder)
    ['lib/a.js']
    """
    found = []
    for parent, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if Path(parent, d).is_symlink()]:
            found.append(Path(parent, name).relative_to(folder).as_posix())
    return sorted(found)


def claim_folder(folder: Path, marker: str = SITE_MARKER) -> None:
    """Raise SiteError unless citynet may replace ``folder``: missing, empty, or made by citynet and
    holding only what citynet wrote there. Nothing is touched either way.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "thesis.txt").write_text("mine")
    >>> claim_folder(folder)
    Traceback (most recent call last):
    citynet.errors.SiteError: "..." holds files citynet did not write (thesis.txt) - nothing was changed; ...
    """
    if not folder.exists() and not folder.is_symlink():
        return
    if not folder.is_dir() or folder.is_symlink():
        raise SiteError(
            f'"{folder}" is not a folder citynet made - nothing was changed; give -o a new or empty folder'
        )
    if Path.cwd().resolve().is_relative_to(folder.resolve()):
        raise SiteError(f'"{folder}" is the current folder or holds it - give -o a folder inside it')
    try:
        present = list_files(folder)
    except OSError as exc:
        raise SiteError(f'cannot read "{folder}": {exc.strerror or exc}') from None
    written = set(read_manifest(folder, marker) or []) | {marker}
    unknown = [name for name in present if name not in written]
    if present and marker not in present and set(present) >= OLD_SITE:
        raise SiteError(
            f'"{folder}" holds a site of an older citynet, without the marker {marker} - '
            f"nothing was changed; remove it yourself (rm -r) or give -o a new folder"
        )
    if present and (marker not in present or unknown):
        shown = ", ".join((unknown or present)[:3]) + (", …" if len(unknown or present) > 3 else "")
        raise SiteError(
            f'"{folder}" holds files citynet did not write ({shown}) - nothing was changed; '
            f"move them out or give -o a new or empty folder"
        )


def remove_written(folder: Path, files: list[str]) -> None:
    """Remove the listed files and the folders left empty; anything else stays."""
    for name in files:
        (folder / name).unlink(missing_ok=True)
    for parent, _, _ in sorted(os.walk(folder), key=lambda item: -len(item[0])):
        with suppress(OSError):  # not empty: something citynet did not write stays
            Path(parent).rmdir()


def remove_stale_staging(target: Path, marker: str) -> None:
    """Remove the staging folders killed runs left beside ``target`` (only those holding the marker)."""
    for entry in target.parent.glob(f".{target.name}.staging-*"):
        if entry.is_dir() and not entry.is_symlink() and (entry / marker).exists():
            remove_written(entry, [*list_files(entry)])


def write_manifest(folder: Path, marker: str, files: list[str]) -> None:
    """The marker: which files citynet wrote into ``folder``."""
    text = json.dumps({"citynet-site": 1, "files": files}, indent=1) + "\n"
    (folder / marker).write_text(text, encoding="utf-8")


def swap_in(staging: Path, target: Path, marker: str) -> None:
    """Put ``staging`` where ``target`` is; an old citynet folder is renamed aside, then removed."""
    if not target.exists():
        os.rename(staging, target)
        return
    old_files = read_manifest(target, marker)
    if old_files is None:  # an empty folder
        os.replace(staging, target)
        return
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(retired, target)
        raise
    remove_written(retired, [*old_files, marker])


@contextmanager
def replace_folder(target: Path, marker: str = SITE_MARKER) -> Iterator[Path]:
    """Yield a staging folder beside ``target``; once the block ends without error, swap it in.

    ``target`` is first claimed (:func:`claim_folder`). On an error the staging folder is removed
    and ``target`` stays as it was. OSError is the caller's to report.
    """
    claim_folder(target, marker)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target, marker)
    staging = target.with_name(f".{target.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        write_manifest(staging, marker, [])
        yield staging
        write_manifest(staging, marker, [name for name in list_files(staging) if name != marker])
        swap_in(staging, target, marker)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
