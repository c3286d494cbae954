"""What every command shares: the `citynet` group, common options, errors turned into `Error:` lines."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from citynet.api import escape_controls
from citynet.errors import CitynetError

store_option = click.option(
    "--store",
    "store",
    metavar="DIR",
    envvar="CITYNET_STORE",
    help="Store folder [env CITYNET_STORE; default .citynet/store].",
)
project_option = click.option(
    "--project",
    "--root",
    "project",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder holding graph/ [env CITYNET_PROJECT; default: the current folder if it has "
    "graph/, else the data citynet ships].",
)
endpoint_option = click.option(
    "--endpoint",
    "endpoint",
    metavar="URL",
    envvar="CITYNET_ENDPOINT",
    help="Read from this SPARQL 1.1 endpoint instead of the store [env CITYNET_ENDPOINT].",
)


def reader_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--store DIR`` and ``--endpoint URL``: where a reading command reads from."""
    return store_option(endpoint_option(command))


def fail(message: str, code: int = 1) -> None:
    """Exit with ``code`` after one ``Error: …`` line on stderr; control characters (an escape
    sequence in a label, a newline) are shown as escapes, never sent to the terminal raw."""
    click.echo(f"Error: {escape_controls(message)[:2000]}", err=True)
    sys.exit(code)


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that the exit's flush of a broken or full stdout is quiet."""
    with contextlib.suppress(OSError, ValueError):  # not a real file: a test runner's capture
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def describe_failure(exc: OSError, writing: bool) -> str:
    """One line for an OSError no library call turned into a CitynetError.

    >>> describe_failure(OSError(28, "No space left on device"), True)
    'cannot write the output: No space left on device'
    >>> describe_failure(PermissionError(13, "Permission denied", "/x"), False)
    'cannot use "/x": Permission denied'
    """
    reason = exc.strerror or str(exc) or type(exc).__name__
    if writing or exc.filename is None:
        return f"cannot {'write the output' if writing else 'read or write'}: {reason}"
    return f'cannot use "{exc.filename}": {reason}'


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every failure into one ``Error: …`` line on stderr, never a traceback.

    A CitynetError (a user's mistake) and an OSError exit 1, Ctrl-C 130 (``Error: interrupted``),
    a closed pipe (``citynet dump | head``) 1 quietly; anything else is a bug in citynet: one
    line ``Error: internal error (…) - please report`` and exit 2.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        writing = False
        try:
            result = command(*args, **kwargs)
            writing = True
            sys.stdout.flush()  # a full disk shows here, not at exit
            return result
        except CitynetError as exc:
            if isinstance(exc.__context__, BrokenPipeError):  # the reader left: nothing to say
                silence_stdout()
                sys.exit(1)
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            silence_stdout()
            sys.exit(1)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except OSError as exc:
            silence_stdout()
            fail(describe_failure(exc, writing or exc.errno in (28, 32)))
        except Exception as exc:  # the last resort: a bug, still one line and no traceback
            fail(f"internal error ({type(exc).__name__}: {exc}) - please report", 2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="citynet")
def main() -> None:
    """citynet: a knowledge graph of European cities and their cooperation networks.

    \b
    Example:
      citynet load && citynet query partners --param network=OP-ACT
    """
