"""Run the parts of ``citynet publish`` in a staging folder and swap it in: all or nothing.

The target is missing, empty, or a folder ``citynet publish`` wrote before (it holds the marker
``.citynet-publication`` listing its files); anything else is refused, and so is a release date
the target already has. The dated releases already in the target (``dumps/YYYY-MM-DD/``) are
carried into the new folder as they are (hard links), never rewritten; the newest one before this
release is what ``CHANGES.md`` compares with. Everything else is written anew.

>>> check_base("https://w3id.org/citynet/")
'https://w3id.org/citynet/'
>>> check_base("w3id.org/citynet")
Traceback (most recent call last):
citynet.errors.PublishError: --base "w3id.org/citynet" is not an absolute http(s) IRI - ...
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from citynet.errors import PublishError, SiteError
from citynet.folders import claim_folder, replace_folder
from citynet.publish.context import Context, Distribution

MARKER = ".citynet-publication"
RELEASE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Published:
    """What ``citynet publish`` wrote: the folder, the release, its files by part."""

    folder: Path
    release: dt.date
    previous: dt.date | None
    distributions: list[Distribution] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # part -> files written


def check_base(base: str) -> str:
    """The base IRI, checked: absolute http(s), with a host, ending in ``/``."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PublishError(
            f'--base "{base}" is not an absolute http(s) IRI - give one like https://w3id.org/citynet/'
        )
    if not base.endswith("/"):
        raise PublishError(f'--base "{base}" must end with "/" (the IRIs are {base}/id/…) - give {base}/')
    return base


def list_releases(target: Path) -> list[dt.date]:
    """The dated releases a published folder holds, oldest first."""
    dumps = target / "dumps"
    if not dumps.is_dir() or not (target / MARKER).is_file():
        return []
    names = [p.name for p in dumps.iterdir() if RELEASE.match(p.name) and p.is_dir()]
    return sorted(dt.date.fromisoformat(name) for name in names)


def check_target(target: Path, release: dt.date) -> dt.date | None:
    """Refuse a target citynet may not write or a release it holds; the previous release, if any."""
    try:
        claim_folder(target, MARKER)
    except SiteError as exc:
        raise PublishError(str(exc)) from None
    parent = next((p for p in [target, *target.parents] if p.exists()), Path("."))
    if not parent.is_dir():
        raise PublishError(f'"{parent}" is a file, not a folder - give -o a folder')
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PublishError(f'cannot write into "{parent}" - give -o a folder you can write')
    releases = list_releases(target)
    if release in releases:
        raise PublishError(
            f'release {release.isoformat()} exists in "{target / "dumps"}" - releases are never '
            "overwritten; give --release another date"
        )
    earlier = [date for date in releases if date < release]
    return earlier[-1] if earlier else None


def carry_releases(target: Path, staging: Path) -> None:
    """Hard-link (or copy) the dated releases of ``target`` into ``staging``."""
    for date in list_releases(target):
        name = date.isoformat()
        shutil.copytree(target / "dumps" / name, staging / "dumps" / name, copy_function=link_or_copy)


def link_or_copy(source: str, destination: str) -> None:
    """A hard link where the file system allows one, else a copy."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def count_files(folder: Path) -> int:
    """The files under ``folder``."""
    return sum(len(files) for _, _, files in os.walk(folder))


Part = Callable[[Context, Published], object]


def publish_folder(store: ox.Store, target: Path, settings: dict, parts: list[tuple[str, Part]]) -> Published:
    """Write the publication into a staging folder, part by part, and swap it in for ``target``.

    ``settings`` holds Context's fields other than store, folder and previous (base, release, …);
    each part is called with the context and what was published so far (it may append
    distributions). OSError becomes PublishError; nothing is left half-written either way.
    """
    release = settings["release"]
    previous = check_target(target, release)
    published = Published(target, release, previous)
    try:
        with replace_folder(target, MARKER) as staging:
            carry_releases(target, staging)
            before = count_files(staging) - 1  # the marker
            older = staging / "dumps" / previous.isoformat() if previous else None
            context = Context(store=store, folder=staging, previous=older, **settings)
            for name, part in parts:
                part(context, published)
                now = count_files(staging) - 1
                published.files[name], before = now - before, now
    except OSError as exc:
        where = f' "{exc.filename}"' if exc.filename else ""
        raise PublishError(f"cannot write the publication{where}: {exc.strerror or exc}") from None
    return published
