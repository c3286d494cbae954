"""The import verbs: ``citynet import keep-eu`` and ``citynet import table`` (issue 17)."""

from __future__ import annotations

from pathlib import Path

from citynet.places.importing import ImportReport, import_exports, import_mapped
from citynet.project import find_writable_project


def import_keep_eu(files: list[Path], root: Path | None = None) -> list[ImportReport]:
    """Import keep.eu exports (an xlsx; or its per-sheet CSVs) as ``graph/imported/<id>.yaml`` each."""
    return import_exports(find_writable_project(root), [Path(f) for f in files])


def import_table(file: Path, mapping: Path, root: Path | None = None) -> list[ImportReport]:
    """Import any partner table (CSV, TSV, xlsx, ods) as its mapping says (see docs/importing.md)."""
    return import_mapped(find_writable_project(root), Path(file), Path(mapping))
