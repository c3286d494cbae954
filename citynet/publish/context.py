"""What every part of ``citynet publish`` is given: the store, the base, the release, the folder.

Each part is a function ``write_<part>(context) -> …`` that writes files under ``context.folder``
(the staging folder, swapped in at the end) and returns what the later parts need to know.

>>> import datetime as dt, pyoxigraph as ox
>>> context = Context(ox.Store(), "https://w3id.org/citynet/", dt.date(2026, 12, 4), Path("pub"))
>>> context.stamp, context.release_dir
('20261204', PosixPath('pub/dumps/2026-12-04'))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


@dataclass(frozen=True)
class Context:
    """One run of ``citynet publish``."""

    store: ox.Store
    base: str  # the IRI the site covers, ending in "/": https://w3id.org/citynet/
    release: dt.date
    folder: Path  # the staging folder being written
    previous: Path | None = None  # the previous release's folder (dumps/YYYY-MM-DD), if any
    sparql_endpoint: str | None = None  # announced in VoID and on the landing page when given
    site_url: str | None = None  # where `citynet visualize`'s pages are: documents link to them

    @property
    def stamp(self) -> str:
        """The release date as the dump file names have it: 20261204."""
        return self.release.strftime("%Y%m%d")

    @property
    def release_dir(self) -> Path:
        """Where this release's dumps go: dumps/2026-12-04 under the folder."""
        return self.folder / "dumps" / self.release.isoformat()


@dataclass(frozen=True)
class Distribution:
    """One file of a release, as DCAT and VoID describe it."""

    path: str  # relative to the published folder: dumps/2026-12-04/citynet-20261204.nq.gz
    media_type: str  # application/n-quads
    compression: str | None  # application/gzip, or None
    size: int  # bytes
    sha256: str
    title: str  # "All graphs, sorted canonical N-Quads (gzip)"
