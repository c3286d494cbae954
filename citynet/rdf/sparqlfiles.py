"""The SPARQL citynet's own code runs, read from ``.rq`` files shipped inside the package.

Each stage keeps its queries next to its code, in a ``sparql/`` folder of its own package:
``citynet/graphs/sparql/memberships.rq`` is read by ``citynet/graphs/memberships.py``. A query and
the code that reads its columns change together, so they sit together, and the folder names show
which stage asks what. The reader lives here, in the lowest stage, so that every stage (the
sources and the store too) can use it without importing upwards.

The files are linted like the named queries of ``queries/`` (``tests/test_internal_queries.py``):
each opens with a ``#+ summary:`` line, parses, passes the query guard and uses only ``cn:`` terms
the ontology declares. They declare no prefixes: the code runs them with
:data:`citynet.rdf.namespaces.PREFIXES`, as before. A query whose text is built from values (a
graph IRI, the quads of an update, a SHACL constraint) stays in Python.

>>> print(read_sparql("citynet.graphs", "source-graphs"))
#+ summary: The named graphs that are sources (typed cn:Source)
SELECT DISTINCT ?g WHERE { ?g a cn:Source }
<BLANKLINE>
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

FOLDER = "sparql"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def read_sparql(package: str, name: str) -> str:
    """The text of ``<package>/sparql/<name>.rq``; a wrong name fails at import of the caller."""
    return (resources.files(package) / FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def find_sparql_files(root: Path = PACKAGE_ROOT) -> list[Path]:
    """Every internal query file of the package under ``root``, sorted.

    >>> names = [path.relative_to(PACKAGE_ROOT).as_posix() for path in find_sparql_files()]
    >>> "graphs/sparql/memberships.rq" in names
    True
    """
    return sorted(root.glob(f"*/{FOLDER}/*.rq"))
