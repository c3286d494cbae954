"""Real SPARQL servers on loopback for the tests: Oxigraph and OpenLink Virtuoso.

Each starts on free ports with its data in a temporary folder and stops when its context ends.
Outside CI a missing server program skips the test with the reason; with ``CI=true`` it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent


def need_program(name: str, path: str | None) -> str:
    """The program's path; skip (or, in CI, fail) when it is not installed."""
    if path and Path(path).exists():
        return path
    reason = f"{name} is not installed (scripts/setup.sh installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"server not up after {seconds} s: {log.read_text()[-2000:]}")


@contextmanager
def running(command: list[str], probe: str, folder: Path) -> Iterator[None]:
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    try:
        wait_until_up(probe, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oxigraph_server(folder: Path, *extra: str) -> Iterator[str]:
    """``oxigraph serve`` with the union default graph; yields its base URL."""
    program = need_program("oxigraph", shutil.which("oxigraph", path=str(VENV_BIN)))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        program,
        "serve",
        "--location",
        str(folder / "data"),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
        *extra,
    ]
    with running(command, f"{base}/query?query=ASK%7B%7D", folder):
        yield base


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = {http}
ServerRoot = {d}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""

# Let the anonymous SPARQL user update and use the Graph Store (test servers only).
VIRTUOSO_GRANTS = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[str]:
    """OpenLink Virtuoso (Debian's virtuoso-opensource) with updates allowed; yields its base URL."""
    program = need_program("virtuoso-t", shutil.which("virtuoso-t"))
    isql = need_program("isql-vt", shutil.which("isql-vt"))
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=http))
    base = f"http://127.0.0.1:{http}"
    with running([program, "+foreground", "+configfile", str(ini)], f"{base}/sparql?query=ASK%7B%7D", folder):
        subprocess.run(
            [isql, str(sql), "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield base


# --- test doubles on loopback: a connection counter and scripted HTTP servers ------------------------


class Listener:
    """A loopback TCP listener counting the connections it is offered (it closes each at once).

    The SSRF tests point SERVICE clauses at it: ``count`` must stay 0.
    """

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.count = 0
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:  # closed
                return
            self.count += 1
            connection.close()

    def close(self) -> None:
        self.sock.close()


class StubHandler(BaseHTTPRequestHandler):
    """A scripted server's handler: every method goes to :meth:`answer`; nothing is logged."""

    def answer(self) -> None:
        raise NotImplementedError

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reply(
        self, status: int, media: str, body: str | bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send(status, {"Content-Type": media, **(headers or {})}, body)

    def send(self, status: int, headers: dict[str, str], body: str | bytes) -> None:
        """Answer with exactly these headers (and Content-Length)."""
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.answer()

    def do_PUT(self) -> None:
        self.answer()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def stub_server(handler: type[StubHandler]) -> Iterator[ThreadingHTTPServer]:
    """Serve ``handler`` on a free loopback port in a thread; its base URL is ``server_url(server)``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def server_url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


# --- Apache httpd, for the published site's rules -------------------------------------------------------

APACHE_MODULES = Path("/usr/lib/apache2/modules")
APACHE_CONF = """\
ServerRoot "{state}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{state}/httpd.pid"
ErrorLog "{state}/error.log"
DefaultRuntimeDir "{state}"
LogLevel warn
{modules}
TypesConfig /etc/mime.types
DocumentRoot "{folder}"
<Directory />
    Require all denied
    AllowOverride None
</Directory>
<Directory "{folder}">
    Require all granted
</Directory>
Alias "/.apache-up" "{state}/up.txt"
<Location "/.apache-up">
    Require all granted
</Location>
{conf}
"""
APACHE_MODULE_NAMES = ("mpm_event", "authz_core", "mime", "negotiation", "dir", "alias", "rewrite", "headers")


@contextmanager
def apache_server(folder: Path, conf: str) -> Iterator[str]:
    """Debian's Apache httpd in the foreground on a free loopback port, ``folder`` its DocumentRoot
    and ``conf`` (directives) added to a configuration of its own (no system configuration: the
    modules of :data:`APACHE_MODULE_NAMES`; its pid file and error log in a temporary folder);
    yields its base URL, ``http://127.0.0.1:PORT``."""
    program = need_program("apache2 (Debian's apache2)", shutil.which("apache2", path="/usr/sbin:/usr/bin"))
    with tempfile.TemporaryDirectory(prefix="apache-") as name:
        state = Path(name)
        (state / "up.txt").write_text("up\n")
        port = free_port()
        modules = "\n".join(
            f'LoadModule {module}_module "{APACHE_MODULES}/mod_{module}.so"' for module in APACHE_MODULE_NAMES
        )
        config = APACHE_CONF.format(state=state, port=port, modules=modules, folder=folder, conf=conf)
        (state / "httpd.conf").write_text(config)
        with running(
            [program, "-f", str(state / "httpd.conf"), "-DFOREGROUND"],
            f"http://127.0.0.1:{port}/.apache-up",
            state,
        ):
            yield f"http://127.0.0.1:{port}"
