"""Typed errors: library code raises these, only the CLI turns them into ``Error: …`` lines."""

from __future__ import annotations


class CitynetError(Exception):
    """Base class of every error citynet reports to a user.

    >>> str(CitynetError("store is locked"))
    'store is locked'
    """


class FactError(CitynetError):
    """A fact file is malformed or states something impossible.

    >>> str(FactError("budget must not be negative", "graph/x.yaml", 12, "budget.value"))
    'graph/x.yaml:12: budget.value: budget must not be negative'
    """

    def __init__(self, message: str, path: str, line: int | None = None, field: str = "") -> None:
        self.message, self.path, self.line, self.field = message, path, line, field
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")

    def __reduce__(self) -> tuple:
        """Pickle with the constructor's arguments (the load reads files in worker processes).

        >>> import pickle
        >>> str(pickle.loads(pickle.dumps(PlaceError("not found", "x.yaml", 3, "city"))))
        'x.yaml:3: city: not found'
        """
        return (self.__class__, (self.message, self.path, self.line, self.field))


class PlaceError(FactError):
    """A city could not be resolved to exactly one gazetteer place."""


class ProjectError(CitynetError):
    """A project folder given with ``--project`` or ``$CITYNET_PROJECT`` has no ``graph/`` folder."""


class ValidationError(CitynetError):
    """The built graph does not conform to the SHACL shapes."""


class StoreError(CitynetError):
    """The store cannot be opened, read or written."""


class QueryError(CitynetError):
    """A query is unknown, malformed, or its parameters are wrong."""


class EndpointError(CitynetError):
    """A SPARQL endpoint cannot be reached, refuses, fails or answers something unreadable."""


class SiteError(CitynetError):
    """The browsable site cannot be written."""


class TableError(CitynetError):
    """A table to import (CSV, TSV, xlsx, ods) or its mapping cannot be read as expected.

    >>> str(TableError("expected a date like 2015/09/15", "k.xlsx", "Calls", 7, "Start Date"))
    'k.xlsx: sheet "Calls" row 7 column "Start Date": expected a date like 2015/09/15'
    """

    def __init__(
        self, message: str, path: str, sheet: str | None = None, row: int | None = None, column: str = ""
    ) -> None:
        self.message, self.path, self.sheet, self.row, self.column = message, path, sheet, row, column
        where = [f'sheet "{sheet}"'] if sheet else []
        where += [f"row {row}"] if row else []
        where += [f'column "{column}"'] if column else []
        super().__init__(f"{path}: {' '.join(where)}: {message}" if where else f"{path}: {message}")

    def __reduce__(self) -> tuple:
        return (self.__class__, (self.message, self.path, self.sheet, self.row, self.column))


class PublishError(CitynetError):
    """The linked-data site of ``citynet publish`` cannot be written."""


class ExtractError(CitynetError):
    """A document that cannot be read for extraction, or a bad extraction request: one line."""


class ReviewError(CitynetError):
    """A proposal or a decisions file that cannot be reviewed or accepted: one line."""
