"""The ``citynet`` console script: :func:`citynet.cli.main`. A Ctrl-C while the commands' modules
are still loading (rdflib, networkx, pyoxigraph: a second or more on a busy machine) ends the way
it does once they are loaded (``citynet.cli.common.reports_errors``): ``Error: interrupted``, exit
130, no traceback. The line is written here, not by ``fail``: that module may be the one loading.
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
