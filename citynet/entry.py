"""The ``citynet`` console script: :func:`citynet.cli.main`, with a Ctrl-C that comes while the
commands' modules are still loading (rdflib, networkx, pyoxigraph: a second or more on a busy
machine) ending as one once they are loaded ends: ``Error: interrupted``, exit 130, no traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Load the commands and run the one asked for."""
    try:
        from citynet.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted\n")
        sys.exit(130)
    run()
