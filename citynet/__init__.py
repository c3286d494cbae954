"""citynet: a knowledge graph of European cities and the cooperation networks they join.

The version lives in one place, ``pyproject.toml``; the installed package's metadata carries it here,
to ``citynet --version`` and to the User-Agent of requests to SPARQL endpoints.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("citynet")
except PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0+unknown"


def to_pyvis(graph: Any, **options: Any) -> Any:
    """A partnership graph as a pyvis ``Network`` in citynet's style: :func:`citynet.site.notebook.to_pyvis`
    (imported when called, so ``import citynet`` stays light)."""
    from citynet.site.notebook import to_pyvis as draw

    return draw(graph, **options)
