"""The ``citynet`` command. Each sub-command parses options, calls the library, prints.

One module per group of verbs: :mod:`citynet.cli.store` (load, dump, push, serve, enrich),
:mod:`citynet.cli.query` (queries, query, sparql), :mod:`citynet.cli.graphs` (analyze, export,
visualize); :mod:`citynet.cli.common` holds the group itself and what the commands share.
"""

from citynet.cli import extract, find, graphs, importing, publish, query, review, store  # noqa: F401  (each module adds its commands)
from citynet.cli.common import main

__all__ = ["main"]
