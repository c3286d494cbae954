"""Serve the embedded store as a read-only SPARQL 1.1 endpoint that can face the internet.

Read-only (the default) is citynet's own server: waitress (a production WSGI server in pure
Python) in front of a small WSGI application of the SPARQL 1.1 Protocol's query operation at
``/query`` (GET ``?query=``, POST ``application/x-www-form-urlencoded``, POST
``application/sparql-query``), results by content negotiation. Every request passes these, in
order, and fails with one plain-text line and the status in brackets:

- the body is at most ``max_body`` bytes (waitress answers [413]); at most 50 connections are
  open and one idle for ``client_timeout`` seconds is closed (slow clients);
- an update (``/update``, an ``update=`` parameter, an update form in the query) is refused [403];
- :func:`citynet.rdf.sparqlguard.check_query`: size, nesting, tokens, no SERVICE but to an allowed
  host [400]; the result format is negotiated before anything runs [406];
- the query runs in a worker process of :mod:`citynet.store.querypool`: at most ``workers`` at once,
  a few more wait, the rest are refused with ``Retry-After`` [503]; past ``timeout`` seconds the
  worker is killed and replaced [503]; results past ``max_result_bytes``, a query past the
  worker's memory limit or one that crashes the worker [500]; the server stays up.

Oxigraph's own server (``oxigraph serve-read-only``) was used before: it evaluates ``SERVICE``
(a caller could make the server request any URL, loopback and private addresses included), its
time limit stopped neither a COUNT nor a streaming cross join, and one request of 3,000 nested
``{`` killed it. There is no writable mode (``--writable`` ran ``oxigraph serve`` until
2026-12-04): the store has one writer, which keeps the merged default graph true, and Oxigraph's
server wrote named graphs past it; to update over HTTP, ``citynet push`` to a SPARQL server.

Next to ``/query`` (when ``pages`` are given, as ``citynet serve`` does): ``/id/…``,
``/vocab/…`` and ``/ontology`` dereference as the published site does (:mod:`citynet.store.deref`),
and ``/`` is a SPARQL query page (:mod:`citynet.store.pages`). Every answer allows any origin
to read it (CORS); ``OPTIONS`` answers a preflight.
"""

from __future__ import annotations

import logging
import signal
import socket
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import waitress

from citynet.errors import QueryError, StoreError
from citynet.rdf.sparqlguard import UpdateError, read_form
from citynet.store.accept import negotiate
from citynet.store.querypool import Answer, Job, Pool, PoolError

RESULTS = [
    ("application/sparql-results+json", "application/json"),
    ("application/sparql-results+xml", "application/xml"),
    ("text/csv",),
    ("text/tab-separated-values",),
]
GRAPHS = [
    ("application/n-triples",),
    ("text/turtle", "application/turtle", "application/x-turtle"),
    ("application/rdf+xml",),
]
READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"
RETRY_AFTER = "5"
CORS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
    ("Access-Control-Expose-Headers", "Link, Location, Retry-After"),
    ("Access-Control-Max-Age", "86400"),
]


@dataclass(frozen=True)
class Limits:
    """What one query and one client may take."""

    workers: int = 2
    timeout: float = 30
    max_result_bytes: int = 50_000_000
    memory: int = 4 << 30
    max_body: int = 1_000_000
    connections: int = 50
    client_timeout: int = 60
    allow_service: tuple[str, ...] = ()


def read_request(environ: dict) -> tuple[str | None, str | None]:
    """The query text and any update text of a SPARQL Protocol request (QueryError if malformed)."""
    method = environ.get("REQUEST_METHOD", "GET")
    params = parse_form(environ.get("QUERY_STRING", ""))
    if method == "POST":
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        media = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if media == "application/sparql-query":
            return decode(body), None
        if media == "application/sparql-update":
            return None, decode(body)
        if media != "application/x-www-form-urlencoded":
            raise QueryError(
                f'unsupported content type "{media}" - POST application/sparql-query or '
                "application/x-www-form-urlencoded"
            )
        params = {**params, **parse_form(decode(body))}
    return params.get("query"), params.get("update")


def parse_form(text: str) -> dict[str, str]:
    """Form or URL parameters; a parameter given twice is refused.

    >>> parse_form("query=ASK%7B%7D&format=json")
    {'query': 'ASK{}', 'format': 'json'}
    """
    params: dict[str, str] = {}
    try:
        pairs = urllib.parse.parse_qsl(
            text, keep_blank_values=True, strict_parsing=False, errors="strict", max_num_fields=100
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise QueryError(f"malformed parameters ({exc})") from None
    for name, value in pairs:
        if name in params and name in ("query", "update"):
            raise QueryError(f'the parameter "{name}" is given twice - give one')
        params[name] = value
    return params


def decode(body: bytes) -> str:
    """A request body as UTF-8 text (QueryError if it isn't)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"the request is not UTF-8 (byte {exc.start}) - send UTF-8 text") from None


@dataclass(frozen=True)
class Reply:
    """An answer with headers of its own (a redirect's ``Location``, a document's ``Link``)."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def error(cls, status: int, message: str, *headers: tuple[str, str]) -> Reply:
        """A one-line plain-text error.

        >>> Reply.error(404, "no such thing").body
        b'no such thing\\n'
        """
        return cls(status, "text/plain; charset=utf-8", f"{message}\n".encode(), headers)


Handler = Callable[[dict], Reply | None]  # a reply for the paths it serves, None for the others
Handlers = Callable[[Pool, "Limits"], tuple[Handler, ...]]  # makes them once the workers run


class QueryApp:
    """The WSGI application: ``/query`` answers queries, ``/update`` refuses, ``/`` says where;
    ``handlers`` answer the paths they serve first (dereferencing, the query page)."""

    def __init__(self, pool: Pool, limits: Limits, handlers: tuple[Handler, ...] = ()) -> None:
        self.pool, self.limits, self.handlers = pool, limits, handlers

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "OPTIONS":  # a CORS preflight, or a client asking what is allowed
            start_response("204 No Content", [*CORS, ("Allow", "GET, HEAD, POST, OPTIONS")])
            return [b""]
        for handler in self.handlers:
            reply = handler(environ)
            if reply is not None:
                return self.send(reply, start_response)
        return self.send(self.route(environ), start_response)

    def send(self, reply: Reply, start_response: Callable) -> Iterable[bytes]:
        """Start the response: the reply's headers, CORS, and no content sniffing."""
        headers = [
            ("Content-Type", reply.content_type),
            ("Content-Length", str(len(reply.body))),
            *reply.headers,
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Expose-Headers", "Link, Location, Retry-After"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if reply.status == 503:
            headers.append(("Retry-After", RETRY_AFTER))
        if reply.status == 405 and not any(name == "Allow" for name, _ in headers):
            headers.append(("Allow", "GET, POST"))
        start_response(f"{reply.status} {STATUS.get(reply.status, '')}".strip(), headers)
        return [reply.body]

    def route(self, environ: dict) -> Reply:
        """The SPARQL endpoint's own paths (their answers vary with ``Accept``)."""
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/update":
            answer = Answer.error(403, READ_ONLY)
        elif path == "/":
            answer = Answer(200, "text/plain; charset=utf-8", b"citynet read-only SPARQL endpoint: /query\n")
        elif path != "/query":
            answer = Answer.error(404, f'no such page "{path[:80]}" - the SPARQL endpoint is /query')
        elif method not in ("GET", "POST"):
            answer = Answer.error(405, f"{method} is not allowed - GET or POST a query")
        else:
            answer = self.answer(environ)
        return Reply(answer.status, answer.content_type, answer.body, (("Vary", "Accept"),))

    def answer(self, environ: dict) -> Answer:
        """Read, check, negotiate and run one query."""
        try:
            text, update = read_request(environ)
            if update is not None:
                return Answer.error(403, READ_ONLY)
            if text is None:
                return Answer.error(400, 'no query - give one in the "query" parameter')
            form = read_form(text, self.limits.allow_service)
        except UpdateError as exc:
            return Answer.error(403, str(exc))
        except QueryError as exc:
            return Answer.error(400, str(exc))
        offers = GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else RESULTS
        media = negotiate(environ.get("HTTP_ACCEPT", ""), offers)
        if media is None:
            names = ", ".join(offer[0] for offer in offers)
            return Answer.error(
                406, f"cannot answer a {form} query in the accepted types - accept one of {names}"
            )
        try:
            return self.pool.run(Job(text, media, self.limits.max_result_bytes))
        except PoolError as exc:
            return Answer.error(exc.status, str(exc))


STATUS = {
    200: "OK",
    303: "See Other",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def stop_on_signals() -> list[int]:
    """Make SIGINT and SIGTERM raise KeyboardInterrupt, even where SIGINT was ignored (a command
    started with ``&``); returns the list the signals received are appended to."""
    received: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    return received


@dataclass
class Endpoint:
    """A running read-only endpoint: the pool of workers and the waitress server."""

    pool: Pool
    server: object
    url: str
    quads: int

    def run(self) -> bool:
        """Serve until Ctrl-C or SIGTERM (True) or until the server stops on its own (False).

        waitress swallows KeyboardInterrupt, so the signals are told apart here.
        """
        signals = stop_on_signals()
        try:
            self.server.run()  # type: ignore[attr-defined]
        except KeyboardInterrupt:
            signals.append(signal.SIGINT)
        return bool(signals)

    def close(self) -> None:
        self.server.close()  # type: ignore[attr-defined]
        self.pool.close()


def open_endpoint(
    store_dir: Path, host: str, port: int, limits: Limits, pages: Handlers | None = None
) -> Endpoint:
    """Start the workers, check that they read the store, and bind the server (not yet serving)."""
    check_port(host, port)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # requests waiting for a thread: not news
    pool = Pool(store_dir, limits.workers, 4 * limits.workers, limits.timeout, limits.memory)
    try:
        quads = pool.check()
        server = waitress.create_server(
            QueryApp(pool, limits, pages(pool, limits) if pages else ()),
            host=host,
            port=port,
            threads=5 * limits.workers + 2,
            connection_limit=limits.connections,
            channel_timeout=limits.client_timeout,
            cleanup_interval=max(1, limits.client_timeout // 4),
            max_request_body_size=limits.max_body,
            ident="citynet",
            asyncore_use_poll=True,
            clear_untrusted_proxy_headers=True,
        )
    except OSError as exc:
        pool.close()
        raise StoreError(f"cannot listen on {host}:{port} ({exc.strerror}) - choose another --port") from None
    except BaseException:
        pool.close()
        raise
    shown = f"[{host}]" if ":" in host else host
    return Endpoint(pool, server, f"http://{shown}:{port}/query", quads)


def check_port(host: str, port: int) -> None:
    """Fail early, with a clear line, when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise StoreError(
                f"cannot listen on {host}:{port} ({exc.strerror}) - choose another --port"
            ) from None


def serve_read_only(
    store_dir: Path,
    host: str,
    port: int,
    limits: Limits,
    ready: Callable[[str, int], None],
    pages: Handlers | None = None,
) -> None:
    """Serve the store read-only until Ctrl-C or SIGTERM; ``ready(url, quads)`` once it listens.

    Raises StoreError when the server stops on its own.
    """
    endpoint = open_endpoint(store_dir, host, port, limits, pages)
    ready(endpoint.url, endpoint.quads)
    try:
        stopped = endpoint.run()
    finally:
        endpoint.close()
    if not stopped:
        raise StoreError("the server stopped on its own")
