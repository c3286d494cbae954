"""citynet: a knowledge graph of European cities and the cooperation networks they join.

The version lives in one place, ``pyproject.toml``; the installed package's metadata carries it here,
to ``citynet --version`` and to the User-Agent of requests to SPARQL endpoints.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("citynet")
except PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0+unknown"
