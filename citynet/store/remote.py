"""A SPARQL 1.1 endpoint as the store: queries through SPARQLWrapper, updates, Graph Store uploads.

A :class:`RemoteStore` answers ``query()`` like :class:`citynet.store.embedded.EmbeddedStore`, with
pyoxigraph result objects, so every reading command runs unchanged against a server.

Faults become one :class:`EndpointError` line naming the endpoint, the status and what to do.
Rate limits (429, honouring ``Retry-After``), 502/503/504 and dropped connections are retried
with exponential backoff a bounded number of times; nothing else is. Credentials come only from
the environment (``CITYNET_ENDPOINT_USER``/``_PASSWORD`` with ``CITYNET_ENDPOINT_AUTH`` basic or
digest, or ``CITYNET_ENDPOINT_TOKEN`` for a bearer token) and are masked in every message, in
every form a reply may echo them: the password, the token, ``user:password`` in base64 (what a
Basic ``Authorization`` header carries), the URL's userinfo.

Each request has a total deadline (``CITYNET_TIMEOUT``, default 60 s): a socket's own timeout
bounds each read, so a server dripping one byte a second would hold it forever; at the deadline a
timer shuts the request's sockets. Replies are read up to MAX_BODY bytes.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from citynet.errors import EndpointError
from citynet.rdf.sparqlfiles import read_sparql
from citynet.rdf.sparqltext import add_prefixes, inject_values
from citynet.store.transport import (
    AUTH_HEADER,
    POST_ABOVE,
    RESULT_TYPES,
    USER_AGENT,
    Deadline,
    Retry,
    T,
    check_url,
    describe,
    excerpt,
    projected_variables,
    read_capped,
    read_timeout,
    strip_userinfo,
    to_boolean,
)

COUNT_QUADS = read_sparql("citynet.store", "count-quads")


@dataclass(frozen=True)
class Credentials:
    """Who we are to the endpoint; read from the environment, never printed.

    >>> Credentials.from_env({"CITYNET_ENDPOINT_TOKEN": "s3cret"}).secrets()
    ['s3cret']
    >>> "s3cret" in repr(Credentials(token="s3cret"))
    False
    """

    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    scheme: str = "basic"
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Credentials:
        env = os.environ if env is None else env
        scheme = env.get("CITYNET_ENDPOINT_AUTH", "basic").lower()
        if scheme not in ("basic", "digest"):
            raise EndpointError(f'CITYNET_ENDPOINT_AUTH is "{scheme}" - expected basic or digest')
        return cls(
            env.get("CITYNET_ENDPOINT_USER"),
            env.get("CITYNET_ENDPOINT_PASSWORD"),
            scheme,
            env.get("CITYNET_ENDPOINT_TOKEN"),
        )

    def secrets(self) -> list[str]:
        """Every form of the secrets a reply might echo, longest first.

        >>> Credentials("ana", "pa55").secrets()
        ['YW5hOnBhNTU=', 'YW5hOnBhNTU', 'ana:pa55', 'pa55']
        """
        forms = {self.password, self.token, urllib.parse.quote(self.password or "", safe="")}
        if self.user and self.password:
            pair = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            forms |= {pair, pair.rstrip("="), f"{self.user}:{self.password}"}
        return sorted((f for f in forms if f), key=lambda f: (-len(f), f))

    def headers(self) -> dict[str, str]:
        """Authorization headers for basic and bearer schemes (digest needs a handshake)."""
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user and self.password and self.scheme == "basic":
            pair = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return {"Authorization": f"Basic {pair}"}
        return {}


TRANSPORT_ERRORS = (SPARQLWrapperException, urllib.error.URLError, OSError, http.client.HTTPException)


@dataclass
class RemoteStore:
    """A SPARQL 1.1 endpoint answering like :class:`citynet.store.embedded.EmbeddedStore`.

    >>> RemoteStore("http://localhost:7878/query").update_endpoint
    'http://localhost:7878/update'
    """

    endpoint: str
    update_endpoint: str | None = None
    graph_store: str | None = None
    timeout: float = field(default_factory=lambda: read_timeout(os.environ))
    retry: Retry = field(default_factory=Retry)
    credentials: Credentials = field(default_factory=Credentials.from_env)
    hidden: list[str] = field(default_factory=list, repr=False)  # passwords the URLs held

    def __post_init__(self) -> None:
        check_url(self.endpoint)
        for url, what in ((self.update_endpoint, "update endpoint"), (self.graph_store, "Graph Store")):
            if url is not None:
                check_url(url, what)
        self._take_userinfo()
        if self.update_endpoint is None and self.endpoint.endswith("/query"):
            self.update_endpoint = self.endpoint[: -len("query")] + "update"  # Oxigraph, Fuseki

    def query(
        self,
        text: str,
        prefixes: dict[str, str] | None = None,
        substitutions: dict[ox.Variable, ox.Term] | None = None,
    ) -> Any:
        """Run a query; SELECT/ASK give pyoxigraph results, CONSTRUCT/DESCRIBE a list of triples."""
        text = inject_values(add_prefixes(text, prefixes), substitutions)  # run_query already binds
        wrapper = self._wrapper(self.endpoint, text)
        graph_query = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph_query else JSON)
        body, content_type = self._attempt(lambda deadline: self._fetch(wrapper, deadline))
        if graph_query:
            return self._parse_triples(body, content_type)
        results = self._parse_results(body, content_type)
        if wrapper.queryType == "ASK":
            return to_boolean(results)
        problem = self._check_variables(results, projected_variables(text))
        del results  # not kept alive by the frames of a traceback: see citynet.query.running.drop_tracebacks
        if problem:
            raise EndpointError(self._mask(problem))
        return self._parse_results(body, content_type)  # checked to the end: a fresh iterator

    def update(self, text: str, prefixes: dict[str, str] | None = None) -> None:
        """Run a SPARQL 1.1 Update request (one request, one transaction on most servers)."""
        if not self.update_endpoint:
            raise EndpointError(f'no update endpoint for "{self.safe_endpoint}" - give --update-endpoint')
        wrapper = self._wrapper(self.update_endpoint, add_prefixes(text, prefixes))
        wrapper.setMethod(POST)
        self._attempt(lambda deadline: self._write(wrapper._createRequest(), deadline))

    def send_graph(self, graph: str, turtle: bytes, replace: bool) -> None:
        """Upload triples to one graph with the Graph Store Protocol: PUT replaces, POST adds."""
        if not self.graph_store:
            raise EndpointError("no Graph Store endpoint - give --graph-store")
        url = f"{self.graph_store}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(
            url,
            data=turtle,
            method="PUT" if replace else "POST",
            headers={
                "Content-Type": "text/turtle; charset=utf-8",
                "User-Agent": USER_AGENT,
                **self.credentials.headers(),
            },
        )
        self._attempt(lambda deadline: self._write(request, deadline))

    def count_quads(self) -> int:
        solutions = self.query(COUNT_QUADS)
        return int(next(iter(solutions))["n"].value)

    @property
    def safe_endpoint(self) -> str:
        return strip_userinfo(self.endpoint)

    def _wrapper(self, url: str, text: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url, agent=USER_AGENT)
        wrapper.setQuery(text)
        wrapper.setTimeout(max(1, round(self.timeout)))
        if len(urllib.parse.quote(text)) > POST_ABOVE:
            wrapper.setMethod(POST)
        creds = self.credentials
        if creds.token:
            wrapper.addCustomHttpHeader("Authorization", f"Bearer {creds.token}")
        elif creds.user and creds.password:
            wrapper.setCredentials(creds.user, creds.password)
            if creds.scheme == "digest":
                wrapper.setHTTPAuth(DIGEST)
        return wrapper

    def _fetch(self, wrapper: SPARQLWrapper, deadline: Deadline) -> tuple[bytes, str]:
        """The request SPARQLWrapper builds (protocol, headers), sent under the deadline."""
        response = self._open(wrapper._createRequest(), deadline)
        return read_capped(response), response.headers.get("Content-Type", "")

    def _take_userinfo(self) -> None:
        """``http://user:password@host/…``: urllib cannot send it; the credentials of the
        environment win, else the URL's are used, and the URLs keep no secret."""
        userinfo = [
            urllib.parse.urlsplit(u)
            for u in (self.endpoint, self.update_endpoint, self.graph_store)
            if u and "@" in urllib.parse.urlsplit(u).netloc
        ]
        if not userinfo:
            return
        creds = self.credentials
        if not (creds.token or creds.user or creds.password) and userinfo[0].password is not None:
            user, password = (
                urllib.parse.unquote(userinfo[0].username or ""),
                urllib.parse.unquote(userinfo[0].password),
            )
            self.credentials = Credentials(user, password, creds.scheme)
        self.hidden = [urllib.parse.unquote(p.password) for p in userinfo if p.password]
        self.endpoint = strip_userinfo(self.endpoint)
        self.update_endpoint = self.update_endpoint and strip_userinfo(self.update_endpoint)
        self.graph_store = self.graph_store and strip_userinfo(self.graph_store)

    def _write(self, request: urllib.request.Request, deadline: Deadline) -> None:
        """Send a write and check its reply as far as the protocols promise anything: a write
        redirected elsewhere (urllib turns a redirected POST into a GET) or answered with a login
        form stored nothing."""
        response = self._open(request, deadline)
        body = read_capped(response)
        where = f'the endpoint "{self.safe_endpoint}"'
        if response.geturl() != request.full_url:
            raise EndpointError(
                self._mask(
                    f'{where} redirected the write to "{strip_userinfo(response.geturl())}" - nothing was '
                    "stored; check the URL and the credentials"
                )
            )
        if re.search(rb"<input[^>]+type\s*=\s*[\"']?password", body, re.IGNORECASE):
            raise EndpointError(
                self._mask(
                    f'{where} answered the write with a login page ("{excerpt(body)}") - nothing was stored; '
                    "set CITYNET_ENDPOINT_USER and CITYNET_ENDPOINT_PASSWORD or CITYNET_ENDPOINT_TOKEN"
                )
            )

    def _open(self, request: urllib.request.Request, deadline: Deadline) -> Any:
        handlers = deadline.handlers()
        creds = self.credentials
        if creds.scheme == "digest" and creds.user and creds.password and not creds.token:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, request.full_url, creds.user, creds.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        return urllib.request.build_opener(*handlers).open(request, timeout=self.timeout)

    def _attempt(self, call: Callable[[Deadline], T]) -> T:
        """Call under a deadline, retrying retryable faults with backoff; any other fault is one
        EndpointError."""
        for attempt in range(1, self.retry.attempts + 1):
            deadline = Deadline(self.timeout)
            try:
                with deadline:
                    result = call(deadline)
                if not deadline.expired:
                    return result
                fault = describe(self.safe_endpoint, TimeoutError())
            except TRANSPORT_ERRORS as exc:
                fault = describe(self.safe_endpoint, TimeoutError() if deadline.expired else exc)
            if not fault.retryable or attempt == self.retry.attempts:
                tries = f" (gave up after {attempt} attempts)" if attempt > 1 else ""
                raise EndpointError(self._mask(fault.message + tries)) from None
            time.sleep(self.retry.delay(attempt, fault.wait))
        raise AssertionError("unreachable")

    def _mask(self, message: str) -> str:
        """The message without any secret: ours in every form, any Authorization value, userinfo."""
        for secret in sorted({*self.credentials.secrets(), *self.hidden}, key=len, reverse=True):
            message = message.replace(secret, "***")
        return AUTH_HEADER.sub(lambda m: f"{m.group(1)} ***", message)

    def _check_variables(self, results: Any, asked: list[str] | None) -> str:
        """What is wrong with the results, or "": read to the end (a malformed row shows here, not
        in the caller), the variables answered compared with those the query asked for."""
        try:
            for _ in results:
                pass
        except (SyntaxError, ValueError) as exc:
            return (
                f'the endpoint "{self.safe_endpoint}" sent a malformed SPARQL results document '
                f"({str(exc).splitlines()[0]}) - the server or a proxy is broken; try another endpoint"
            )
        answered = [v.value for v in results.variables]
        if asked is None or set(answered) == set(asked):
            return ""
        extra = " ".join(f"?{v}" for v in answered if v not in asked) or "none"
        missing = " ".join(f"?{v}" for v in asked if v not in answered) or "none"
        return (
            f'the endpoint "{self.safe_endpoint}" answered other variables than the query asked for '
            f"(not asked: {extra[:200]}; missing: {missing[:200]}) - the server or a proxy is broken"
        )

    def _parse_results(self, body: bytes, content_type: str) -> Any:
        media = content_type.split(";")[0].strip().lower()
        fmt = RESULT_TYPES.get(media)
        if fmt is None:
            what = (
                f'an HTML page ("{excerpt(body)}")'
                if "html" in media or body.lstrip()[:1] == b"<"
                else f'"{media or "no content type"}"'
            )
            raise EndpointError(
                f'the endpoint "{self.safe_endpoint}" sent {what} instead of SPARQL '
                "results - check that the URL is the SPARQL endpoint's"
            )
        try:
            return ox.parse_query_results(body, format=fmt)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(
                f'the endpoint "{self.safe_endpoint}" sent a malformed SPARQL results '
                f"document ({str(exc).splitlines()[0]}) - the server or a proxy is "
                "broken; try another endpoint"
            ) from None

    def _parse_triples(self, body: bytes, content_type: str) -> list[ox.Triple]:
        media = content_type.split(";")[0].strip().lower()
        fmt = ox.RdfFormat.from_media_type(media)
        if fmt is None:
            raise EndpointError(f'the endpoint "{self.safe_endpoint}" sent "{media}" instead of RDF')
        try:
            return [q.triple for q in ox.parse(body, format=fmt)]
        except SyntaxError as exc:
            raise EndpointError(
                f'the endpoint "{self.safe_endpoint}" sent malformed RDF ({str(exc).splitlines()[0]})'
            ) from None
