"""How citynet talks HTTP to a SPARQL server: URLs checked, deadlines, capped reads, faults described.

Used by :mod:`citynet.store.remote`; nothing here knows SPARQL results beyond their media types.
"""

from __future__ import annotations

import ast
import contextlib
import email.utils
import html
import http.client
import math
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, TypeVar

import pyoxigraph as ox
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from citynet.errors import CitynetError, EndpointError

MAX_TIMEOUT = 86_400.0  # seconds: a day; above, threading's waits overflow
MAX_BODY = 1 << 30  # bytes of one reply
CHUNK = 1 << 20
# An Authorization value: a token-like word (a digit or base64's + / =, or long), not "Basic realm"
TOKEN_LIKE = r"(?:(?=[^\s\"',;]*[0-9+/=])[^\s\"',;]{4,}|[^\s\"',;]{20,})"
AUTH_HEADER = re.compile(r"\b(Basic|Bearer|Digest)\s+" + TOKEN_LIKE, re.IGNORECASE)
PROJECTION = re.compile(
    r"""(?P<skip><[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*)
    | (?P<var>[?$]\w+) | (?P<word>[A-Za-z_]\w*)
    | (?P<open>\() | (?P<close>\)) | (?P<brace>\{) | (?P<star>\*)""",
    re.VERBOSE,
)

USER_AGENT = (
    f"citynet/{version('citynet')} (https://w3id.org/citynet; knowledge graph of city networks)"
    f" SPARQLWrapper/{version('SPARQLWrapper')}"
)
POST_ABOVE = 1800  # URL-encoded query length above which a query goes by POST (GET hits HTTP 414)
RETRYABLE = {429, 502, 503, 504}
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
T = TypeVar("T")


@dataclass(frozen=True)
class Retry:
    """How often and how patiently to retry a retryable fault."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt: int, asked: float | None) -> float:
        """Seconds to wait before attempt ``attempt + 1``: the server's wish or exponential backoff.

        >>> Retry().delay(1, None), Retry().delay(3, None), Retry().delay(1, 99.0)
        (1.0, 4.0, 30.0)
        """
        wanted = asked if asked is not None else self.base_delay * 2 ** (attempt - 1)
        return min(wanted, self.max_delay)


@dataclass(frozen=True)
class Fault:
    """What went wrong with one request."""

    message: str
    retryable: bool = False
    wait: float | None = None


def parse_seconds(value: str, name: str, error: type[CitynetError] = EndpointError) -> float:
    """A time limit given as text (``name`` says where): seconds above 0, at most a day; else ``error``.

    >>> parse_seconds("2.5", "--timeout")
    2.5
    >>> parse_seconds("inf", "--timeout")
    Traceback (most recent call last):
    citynet.errors.EndpointError: --timeout is "inf" - expected a number of seconds above 0, at most 86400
    """
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
        shown = value if len(value) <= 40 and value.isprintable() else repr(value[:40])
        raise error(f'{name} is "{shown}" - expected a number of seconds above 0, at most {MAX_TIMEOUT:.0f}')
    return seconds


def read_timeout(env: dict[str, str] | os._Environ) -> float:
    """Seconds to wait for an answer: ``CITYNET_TIMEOUT``, else 60.

    >>> read_timeout({"CITYNET_TIMEOUT": "5"}), read_timeout({})
    (5.0, 60.0)
    >>> read_timeout({"CITYNET_TIMEOUT": "nan"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    citynet.errors.EndpointError: CITYNET_TIMEOUT is "nan" - expected a number of seconds above 0, ...
    """
    return parse_seconds(env.get("CITYNET_TIMEOUT", "60"), "CITYNET_TIMEOUT")


def strip_userinfo(url: str) -> str:
    """The URL without ``user:password@``, for messages.

    >>> strip_userinfo("http://dba:secret@localhost:8890/sparql"), strip_userinfo("http://a:b@[::1/q")
    ('http://localhost:8890/sparql', 'http://[::1/q')
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # malformed (an IPv6 bracket left open): cut what looks like userinfo
        return re.sub(r"^([^:/?#]*://)[^/?#]*@", r"\1", url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def check_url(url: str, what: str = "endpoint") -> str:
    """The URL, if it is a well-formed http(s) URL with a host.

    >>> check_url("http://[::1]:7878/query")
    'http://[::1]:7878/query'
    >>> check_url("http://[::1/query")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    citynet.errors.EndpointError: endpoint "http://[::1/query" is not a valid URL (Invalid IPv6 URL) - ...
    """
    shown = strip_userinfo(url)
    shown = shown if len(shown) <= 200 and shown.isprintable() else repr(shown[:200])
    problem = ""
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in range
    except ValueError as exc:
        problem = f" ({exc})"
    else:
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problem = " (an http or https URL with a host is expected)"
        elif not url.isprintable() or " " in url:
            problem = " (it holds spaces or control characters)"
    if problem:
        raise EndpointError(
            f'{what} "{shown}" is not a valid URL{problem} - give e.g. http://localhost:7878/query'
        )
    return url


def projected_variables(text: str) -> list[str] | None:
    """The variables a SELECT query asks for, in order; None when it does not say (``SELECT *``,
    not a SELECT query).

    >>> projected_variables('PREFIX a: <x:> SELECT ?city (COUNT(?n) AS ?networks) WHERE { ?n a:p ?city }')
    ['city', 'networks']
    >>> projected_variables("SELECT * { ?s ?p ?o }"), projected_variables("ASK { ?s ?p ?o }")
    (None, None)
    """
    found: list[str] = []
    depth, after_as, selecting = 0, False, False
    for match in PROJECTION.finditer(text):
        kind, value = match.lastgroup, match.group()
        if not selecting:
            selecting = kind == "word" and value.upper() == "SELECT"
            if kind == "brace" or (kind == "word" and value.upper() in ("ASK", "CONSTRUCT", "DESCRIBE")):
                return None
        elif kind == "star" and depth == 0:
            return None
        elif kind in ("open", "close"):
            depth += 1 if kind == "open" else -1
        elif kind == "word":
            if depth == 0 and value.upper() in ("WHERE", "FROM"):
                break
            after_as = value.upper() == "AS"
        elif kind == "var" and (after_as or depth == 0):
            found.append(value[1:])
            after_as = False
        elif kind == "brace":
            break
    return found or None


class Deadline:
    """A request's total time limit: when it passes, the connections the request opened are shut,
    so that a read blocked on a server sending one byte a second returns at once.

    Each connection is watched from the moment its TCP connection exists (before a TLS handshake,
    which a server may drip too) through a duplicate of its socket: shutting the duplicate shuts
    the connection, and closing it when the request is over leaves the connection alone.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def connect(
        self,
        address: tuple[str, int],
        timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        """``socket.create_connection``, watched."""
        sock = socket.create_connection(address, timeout, source_address)
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                shut(sock)
        return sock

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                shut(sock)

    def handlers(self) -> list[urllib.request.BaseHandler]:
        """urllib handlers whose connections this deadline watches."""
        deadline = self

        class Connection(http.client.HTTPConnection):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._create_connection = deadline.connect

        class SecureConnection(http.client.HTTPSConnection):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._create_connection = deadline.connect

        class Handler(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> Any:
                return self.do_open(Connection, req)

        class SecureHandler(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> Any:
                return self.do_open(SecureConnection, req, context=self._context)

        return [Handler(), SecureHandler()]


def shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def read_capped(response: Any, limit: int = MAX_BODY) -> bytes:
    """A reply's body, refused past ``limit`` bytes (read in chunks, not allocated at once)."""
    chunks, size = [], 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise EndpointError(f"the reply is over {limit // 2**20} MB - ask a smaller question")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds, given as seconds or as an HTTP date.

    >>> parse_retry_after("7"), parse_retry_after(None), parse_retry_after("soon")
    (7.0, None, None)
    """
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def excerpt(body: bytes | str, limit: int = 160) -> str:
    """The first meaningful line of a reply body, without markup.

    >>> excerpt(b"<html><title>502 Bad Gateway</title></html>")
    '502 Bad Gateway'
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    text = title.group(1) if title else re.sub(r"<[^>]+>", " ", text)
    lines = [line.strip() for line in html.unescape(text).splitlines() if line.strip()]
    first = lines[0] if lines else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


def describe_http(endpoint: str, status: int, reason: str, body: bytes, headers: Any) -> Fault:
    """A fault for an HTTP error status."""
    said = excerpt(body)
    said = f": {said}" if said else ""
    where = f'the endpoint "{endpoint}"'
    if status in (401, 403):
        return Fault(
            f"{where} refused access (HTTP {status}){said} - set CITYNET_ENDPOINT_USER and "
            "CITYNET_ENDPOINT_PASSWORD, or CITYNET_ENDPOINT_TOKEN"
        )
    if 300 <= status < 400:
        location = strip_userinfo(headers.get("Location", "") if headers else "") or "elsewhere"
        return Fault(
            f'{where} redirected the request to "{location}" (HTTP {status}) - nothing was done; '
            "check the URL and the credentials"
        )
    if status == 404:
        return Fault(f"{where} answered HTTP 404 Not Found - check that the URL is the SPARQL endpoint's")
    if status == 429:
        asked = parse_retry_after(headers.get("Retry-After") if headers else None)
        after = f", retry after {asked:.0f} s" if asked is not None else ""
        return Fault(f"{where} is rate-limiting us (HTTP 429{after}) - wait and try again later", True, asked)
    if status in RETRYABLE:
        return Fault(
            f"{where} failed with HTTP {status} {reason}{said} - the server is down or "
            "overloaded; try again later",
            True,
            parse_retry_after(headers.get("Retry-After") if headers else None),
        )
    if 400 <= status < 500:
        return Fault(f"{where} rejected the request with HTTP {status} {reason}{said} - check the query")
    return Fault(f"{where} failed with HTTP {status} {reason}{said} - see the server's log")


def describe(endpoint: str, exc: BaseException) -> Fault:
    """A fault for any exception raised while talking to the endpoint."""
    context = exc.__context__ if isinstance(exc, SPARQLWrapperException) else exc
    if isinstance(context, urllib.error.HTTPError):
        body = sparqlwrapper_body(exc) if isinstance(exc, SPARQLWrapperException) else read_body(context)
        return describe_http(endpoint, context.code, context.reason or "", body, context.headers)
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return Fault(
            f'the endpoint "{endpoint}" did not answer in time - raise CITYNET_TIMEOUT '
            "(seconds, default 60) or ask a smaller question"
        )
    if isinstance(reason, ConnectionRefusedError):
        return Fault(
            f'cannot reach the endpoint "{endpoint}" (connection refused) - check the URL '
            "and that the server is running"
        )
    if isinstance(reason, (ConnectionResetError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return Fault(f'the endpoint "{endpoint}" dropped the connection - try again later', True)
    return Fault(f'cannot reach the endpoint "{endpoint}" ({reason}) - check the URL and the network')


def sparqlwrapper_body(exc: SPARQLWrapperException) -> bytes:
    """The reply body SPARQLWrapper folded into its exception's message."""
    _, sep, tail = str(exc).partition("Response:\n")
    if not sep:
        return b""
    try:
        body = ast.literal_eval(tail.strip())
    except (ValueError, SyntaxError):
        return tail.encode()
    return body if isinstance(body, bytes) else str(body).encode()


def read_body(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except (OSError, http.client.HTTPException):
        return b""


def to_boolean(results: Any) -> Any:
    """An ASK answer as a boolean, also when sent as a one-cell table (Virtuoso's ``__ASK_RETVAL``)."""
    if isinstance(results, ox.QueryBoolean):
        return results
    rows = list(results)
    value = bool(rows) and rows[0][0] is not None and rows[0][0].value in ("1", "true")
    answer = b'{"head": {}, "boolean": true}' if value else b'{"head": {}, "boolean": false}'
    return ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
