"""Serve the embedded store as a SPARQL 1.1 endpoint with Oxigraph's own server.

``oxigraph serve-read-only`` (the default) or ``oxigraph serve`` from the ``oxigraph`` package,
on the store as it is: its default graph holds the merge of the named graphs, which citynet's
queries read.
"""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

from citynet.errors import StoreError


def find_server() -> str:
    """The ``oxigraph`` program: beside this Python (a virtualenv) or on the PATH."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not found:
        raise StoreError('the Oxigraph server program "oxigraph" is not installed - pip install oxigraph')
    return found


def check_port(host: str, port: int) -> None:
    """Fail early, with a clear line, when the port is taken."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise StoreError(f"cannot listen on {host}:{port} ({exc.strerror}) - choose another --port") \
                from None


def check_store(store_dir: Path) -> None:
    if not (store_dir / "CURRENT").exists():
        raise StoreError(f'no store at "{store_dir}" - run `citynet load` first')


def build_command(store_dir: Path, host: str, port: int, read_only: bool = True,
                  timeout: int | None = None) -> list[str]:
    """The server's command line.

    >>> build_command(Path("s"), "127.0.0.1", 7878)[1:]
    ['serve-read-only', '--location', 's', '--bind', '127.0.0.1:7878']
    """
    command = [find_server(), "serve-read-only" if read_only else "serve", "--location", str(store_dir),
               "--bind", f"{host}:{port}"]
    return command + (["--timeout-s", str(timeout)] if timeout else [])
