"""`citynet sparql` and `citynet query` are read-only, local unless allowed, bounded and stoppable.

Real parts throughout: the seed store, a real Oxigraph server (writable, as a careless publisher
would run it), a loopback listener that counts every connection made to it, and `citynet` run as
a process where a signal, a crash or a time limit is what is tested. The bad-input corpus
(``tests/bad_input/sparql/`` and ``tests/bad_input/params/``) runs in-process with CliRunner.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from citynet import api
from citynet.cli import main
from citynet.errors import QueryError

from .conftest import CITYNET, ROOT, invoke, run_cli
from .servers import StubHandler, oxigraph_server, server_url, stub_server

CORPUS = Path(__file__).parent / "bad_input"
SPARQL_CASES = sorted((CORPUS / "sparql").glob("*.rq"))
PARAM_CASES = sorted((CORPUS / "params").glob("*.txt"))
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3543^3 rows
READ_ONLY = "- SPARQL Update is refused: this is a read-only query command/endpoint\n"
SECRET = "s3cret-pw"  # in the corpus's URLs with userinfo; never to be shown


@dataclass
class Endpoint:
    """A loopback SPARQL endpoint that records the connections made to it and answers one row."""

    url: str = ""
    connections: list[str] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Endpoint]:
    state = Endpoint()
    row = {"s": {"type": "uri", "value": "urn:listener"}}
    body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [row]}})

    class Handler(StubHandler):
        def answer(self) -> None:
            self.read_body()
            self.reply(200, "application/sparql-results+json", body)

    with stub_server(Handler) as server:
        server.verify_request = lambda request, address: state.connections.append(address[0]) or True  # type: ignore
        state.url = f"{server_url(server)}/sparql"
        yield state


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real, writable Oxigraph server holding three triples; yields its base URL."""
    with oxigraph_server(tmp_path_factory.mktemp("writable")) as base:
        data = "INSERT DATA { <urn:a> <urn:p> 1 . <urn:b> <urn:p> 2 . GRAPH <urn:g> { <urn:c> <urn:p> 3 } }"
        post(f"{base}/update", {"update": data})
        yield base


def post(url: str, form: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def count_triples(base: str) -> int:
    """Every triple on the server: its default graph is the union of all graphs."""
    answer = post(f"{base}/query", {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    return int(json.loads(answer)["results"]["bindings"][0]["n"]["value"])


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1 and stderr.startswith("Error: "), stderr
    return stderr


# --- updates: refused before anything is sent -------------------------------------------------

UPDATES = [
    ("DROP ALL", '"DROP" '),
    ("CLEAR DEFAULT", '"CLEAR" '),
    ("DELETE WHERE { ?s ?p ?o }", '"DELETE" '),
    ('INSERT DATA { <urn:x> <urn:p> "hacked" }', '"INSERT" '),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", '"WITH" '),
    ("PREFIX ex: <urn:ex:> DROP GRAPH <urn:g>", '"DROP" '),
]


@pytest.mark.parametrize(("update", "word"), UPDATES)
def test_an_update_sends_nothing_to_a_writable_server(writable_server: str, update: str, word: str) -> None:
    assert count_triples(writable_server) == 3
    result = invoke("sparql", update, "--endpoint", f"{writable_server}/query")
    assert result.returncode == 1
    assert one_error_line(result.stderr) == f"Error: {word}{READ_ONLY}"
    assert count_triples(writable_server) == 3


def test_the_update_test_can_fail(writable_server: str) -> None:
    """The same server does change when an update reaches it, so the counts above prove something."""
    before = count_triples(writable_server)
    post(f"{writable_server}/update", {"update": "INSERT DATA { <urn:d> <urn:p> 4 }"})
    assert count_triples(writable_server) == before + 1
    post(f"{writable_server}/update", {"update": "DELETE DATA { <urn:d> <urn:p> 4 }"})
    assert count_triples(writable_server) == before


@pytest.mark.parametrize("update", ["DROP ALL", "SELECT * { ?s ?p ?o } ;\nDROP ALL"])
def test_an_update_opens_no_connection(listener: Endpoint, update: str) -> None:
    result = invoke("sparql", update, "--endpoint", listener.url)
    assert result.returncode == 1
    one_error_line(result.stderr)
    assert listener.connections == []


# --- SERVICE: refused unless --allow-service names the host -----------------------------------


def service_query(url: str) -> str:
    return f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"


def test_service_on_the_store_is_refused_and_nothing_connects(listener: Endpoint, seed_store: Path) -> None:
    result = invoke("sparql", service_query(listener.url), store=seed_store)
    assert result.returncode == 1
    assert one_error_line(result.stderr) == (
        f'Error: SERVICE <{listener.url}> is refused (line 1): host "127.0.0.1" is not allowed - give '
        "--allow-service 127.0.0.1 to allow it\n"
    )
    assert listener.connections == []


def test_service_through_a_server_is_refused_and_nothing_connects(
    listener: Endpoint, writable_server: str
) -> None:
    result = invoke("sparql", service_query(listener.url), "--endpoint", f"{writable_server}/query")
    assert result.returncode == 1
    assert 'host "127.0.0.1" is not allowed' in one_error_line(result.stderr)
    assert listener.connections == []
    # The server does call the listener when the query reaches it: the refusal above is what stopped it.
    post(f"{writable_server}/query", {"query": service_query(listener.url)})
    assert listener.connections == ["127.0.0.1"]


def test_an_allowed_service_is_called(listener: Endpoint, seed_store: Path) -> None:
    result = invoke(
        "sparql",
        service_query(listener.url),
        "--allow-service",
        "127.0.0.1",
        "--format",
        "csv",
        store=seed_store,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["s", "urn:listener"]
    assert listener.connections == ["127.0.0.1"]


def test_an_allowed_service_is_called_through_a_server(listener: Endpoint, writable_server: str) -> None:
    result = invoke(
        "sparql",
        service_query(listener.url),
        "--allow-service",
        "127.0.0.1",
        "--format",
        "csv",
        "--endpoint",
        f"{writable_server}/query",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["s", "urn:listener"]
    assert listener.connections == ["127.0.0.1"]


def test_allowing_another_host_still_refuses_this_one(listener: Endpoint, seed_store: Path) -> None:
    result = invoke(
        "sparql", service_query(listener.url), "--allow-service", "query.wikidata.org", store=seed_store
    )
    assert result.returncode == 1
    assert 'host "127.0.0.1" is not allowed' in one_error_line(result.stderr)
    assert listener.connections == []


def test_an_allowed_service_that_fails_is_one_line(seed_store: Path) -> None:
    """Oxigraph refuses port 1 itself; its OSError (no errno) is the query's failure, not a write's."""
    result = invoke(
        "sparql", service_query("http://127.0.0.1:1/sparql"), "--allow-service", "127.0.0.1", store=seed_store
    )
    assert result.returncode == 1
    assert one_error_line(result.stderr).startswith("Error: the query failed: The port 1 is not allowed")


# --- runaway queries: Ctrl-C, --timeout, CITYNET_TIMEOUT, the memory cap ----------------------


def start(*args: str, store: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [*CITYNET, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CITYNET_STORE": str(store), **(env or {})},
        preexec_fn=limit_memory,
    )


def limit_memory() -> None:
    """A safety net on a shared machine: no test process may map more than 8 GB."""
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))


def finish(process: subprocess.Popen, seconds: float = 30) -> tuple[int, str, float]:
    started = time.monotonic()
    _, stderr = process.communicate(timeout=seconds)
    return process.returncode, stderr, time.monotonic() - started


def test_ctrl_c_stops_a_runaway_query_at_once(seed_store: Path) -> None:
    process = start("sparql", CROSS_JOIN, store=seed_store)
    time.sleep(2)  # evaluating: the count takes hours
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    code, stderr, seconds = finish(process)
    assert (code, stderr) == (130, "Error: interrupted\n")
    assert seconds < 3


def test_ctrl_c_stops_a_query_waiting_for_an_endpoint(seed_store: Path) -> None:
    with socket.socket() as silent:  # takes connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        process = start("query", "partners", "-p", "network=OP-ACT", "--endpoint", url, store=seed_store)
        time.sleep(2)
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        code, stderr, seconds = finish(process)
    assert (code, stderr) == (130, "Error: interrupted\n")
    assert seconds < 3


@pytest.mark.parametrize(
    ("option", "env", "said"),
    [
        (["--timeout", "2"], {}, "--timeout"),
        ([], {"CITYNET_TIMEOUT": "2"}, "CITYNET_TIMEOUT"),
    ],
)
def test_a_time_limit_stops_a_runaway_query(
    seed_store: Path, option: list[str], env: dict[str, str], said: str
) -> None:
    started = time.monotonic()
    code, stderr, _ = finish(start("sparql", CROSS_JOIN, *option, store=seed_store, env=env))
    assert (code, stderr) == (1, f"Error: query stopped after 2 s ({said})\n")
    assert 2 <= time.monotonic() - started < 10


def test_a_quick_query_under_a_time_limit_answers(seed_store: Path) -> None:
    result = run_cli(
        "sparql",
        "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a cn:Membership }",
        "--timeout",
        "30",
        "--format",
        "csv",
        store=seed_store,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "43"]


def concat_bomb(links: int = 40) -> str:
    """Each BIND doubles the string: 2 characters become 2^41, two terabytes."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(links))
    return f'SELECT (STRLEN(?x{links}) AS ?n) WHERE {{ BIND("ab" AS ?x0) {binds} }}'


def test_the_concat_bomb_ends_in_one_line_not_sigabrt(seed_store: Path) -> None:
    process = start("sparql", concat_bomb(), store=seed_store, env={"CITYNET_MEMORY_LIMIT": "300"})
    code, stderr, seconds = finish(process, 60)
    assert (code, stderr) == (
        1,
        "Error: query stopped: it needed more than 300 MB of memory "
        "(CITYNET_MEMORY_LIMIT, in MB) - ask for fewer or smaller results\n",
    )
    assert seconds < 30


def test_a_short_concat_chain_still_answers(seed_store: Path) -> None:
    result = run_cli("sparql", concat_bomb(10), "--format", "csv", store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", str(2 * 2**10)]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{" * 3000 + "}" * 3000,  # the stack overflow that killed the process
        "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 3000 + "}",  # SIGSEGV in the evaluator
    ],
)
def test_texts_that_crashed_the_engine_are_one_line(seed_store: Path, text: str) -> None:
    code, stderr, _ = finish(start("sparql", text, store=seed_store))
    assert code == 1
    one_error_line(stderr)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("nan", "a number of megabytes above 0"),
        ("-1", "a number of megabytes above 0"),
    ],
)
def test_a_wrong_memory_limit_is_one_line(seed_store: Path, value: str, expected: str) -> None:
    result = invoke("sparql", "ASK {}", store=seed_store, env={"CITYNET_MEMORY_LIMIT": value})
    assert result.returncode == 1
    expected_line = f'Error: CITYNET_MEMORY_LIMIT is "{value}" - expected {expected}\n'
    assert one_error_line(result.stderr) == expected_line


# --- query files ---------------------------------------------------------------------------------


def test_a_query_file_with_a_byte_order_mark_runs(seed_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "bom.rq"
    path.write_bytes(b"\xef\xbb\xbfSELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a cn:Membership }\n")
    result = invoke("sparql", str(path), "--format", "csv", store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "43"]


def test_a_folder_named_like_a_query_file(seed_store: Path, tmp_path: Path) -> None:
    (tmp_path / "q.rq").mkdir()
    result = invoke("sparql", str(tmp_path / "q.rq"), store=seed_store)
    assert result.returncode == 1
    expected = f'Error: query file "{tmp_path}/q.rq" is not a regular file - give a file\n'
    assert one_error_line(result.stderr) == expected


# --- the corpus -----------------------------------------------------------------------------------


def read_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """``# key: value`` lines at the top of a corpus file, and how many there are."""
    header: dict[str, str] = {}
    for count, line in enumerate(lines):
        found = re.match(r"# (expect|args): (.*)$", line)
        if not found:
            return header, count
        header[found.group(1)] = found.group(2)
    return header, len(lines)


def invoke_args(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def check_one_line(code: int, stdout: str, stderr: str, expect: str) -> None:
    assert code == 1, (stdout, stderr)
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1 and stderr.startswith("Error: "), stderr
    assert expect in stderr, stderr
    assert SECRET not in stderr and "\x1b" not in stderr


@pytest.mark.parametrize("path", SPARQL_CASES, ids=[p.stem for p in SPARQL_CASES])
def test_sparql_corpus(path: Path, seed_store: Path) -> None:
    header, _ = read_header(path.read_bytes().decode("utf-8", "replace").splitlines())
    args = ["sparql", str(path), *shlex.split(header.get("args", "")), "--store", str(seed_store)]
    check_one_line(*invoke_args(args), header["expect"])


@pytest.mark.parametrize("path", PARAM_CASES, ids=[p.stem for p in PARAM_CASES])
def test_params_corpus(path: Path, seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # where README.md is a file and no-such-query.rq is not
    lines = path.read_bytes().decode("utf-8", "surrogateescape").split("\n")[:-1]  # as argv arrives
    header, start_at = read_header(lines)
    check_one_line(*invoke_args([*lines[start_at:], "--store", str(seed_store)]), header["expect"])


def test_the_corpus_holds_thirty_cases_or_more() -> None:
    assert len(SPARQL_CASES) + len(PARAM_CASES) >= 30


def test_a_time_limit_bounds_a_named_query_on_a_silent_endpoint(seed_store: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        process = start("query", "cities", "--endpoint", url, "--timeout", "2", store=seed_store)
        code, stderr, _ = finish(process)
    late = "did not answer in time - raise CITYNET_TIMEOUT (seconds, default 60) or ask a smaller question"
    assert (code, stderr) == (1, f'Error: the endpoint "{url}" {late}\n')
    assert 2 <= time.monotonic() - started < 8


def test_a_named_query_file_is_checked_before_the_engine_parses_it(seed_store: Path, tmp_path: Path) -> None:
    deep = "#+ summary: too deep\nSELECT * WHERE " + "{" * 3000 + "}" * 3000 + "\n"
    (tmp_path / "deep.rq").write_text(deep, encoding="utf-8")
    with pytest.raises(QueryError, match=r"^the query nests \{ \( \[ deeper than 64 levels \(line 2\)"):
        api.query("deep", store_dir=seed_store, queries_dir=tmp_path)


def test_ctrl_c_while_the_commands_load_is_one_line() -> None:
    """A Ctrl-C before the commands are loaded (here: as click is imported) ends as one after."""
    interrupt = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'click':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from citynet.entry import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", interrupt, "queries"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (130, "Error: interrupted\n")
