"""Property tests: no query parameter and no SPARQL text ends in a traceback or a hang.

Generated inputs go through the real command in-process (click's CliRunner) over the seed store:
``citynet query NAME --param …`` with parameters of every shape, and ``citynet sparql TEXT`` with
the named queries' texts mutated (cut, brackets added, hostile strings spliced in: SERVICE to a
loopback listener, updates, control characters, deep nesting, string-doubling chains). Each case
must exit 0, or exit 1 with one ``Error: …`` line; never a traceback, never exit 2 (an internal
error), never a hang (``--timeout`` per case, and a stopped query counts as a failure here), and
the listener must never be contacted. ``CI=true`` runs 300 examples per test, else 25
(tests/conftest.py).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from citynet.cli import main
from citynet.query.queries import read_queries

from .conftest import ROOT
from .servers import Listener

QUERIES = read_queries(ROOT / "queries")
WITH_PARAMS = sorted(name for name, named in QUERIES.items() if named.params)
PER_CASE = 20  # seconds: the time bound of one case
TALLY = {"query": 0, "sparql": 0}
EXAMPLES = os.environ.get("CITYNET_EXAMPLES")  # a longer hunt: CITYNET_EXAMPLES=5000
hunt = settings(max_examples=int(EXAMPLES)) if EXAMPLES else settings()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    state = Listener()
    yield state
    state.close()


def stop_instead_of_exit(code: int) -> NoReturn:
    """In-process, a stopped query must not end the test run: raise what sys.exit raises."""
    raise SystemExit(code)


def run(args: list[str], store: Path) -> tuple[int, str, str]:
    """``citynet COMMAND --store STORE --timeout PER_CASE ARGS…`` in-process."""
    started = time.monotonic()
    with mock.patch("citynet.cli.query.end_process", stop_instead_of_exit):
        options = ["--store", str(store), "--timeout", str(PER_CASE)]
        result = CliRunner().invoke(
            main, [args[0], *options, *args[1:]], env={"CITYNET_MEMORY_LIMIT": "1000"}
        )
    assert time.monotonic() - started < PER_CASE + 5, args
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the property fails with it
    return result.exit_code, result.stdout, result.stderr


def check_outcome(code: int, stderr: str) -> None:
    """Exit 0 with nothing on stderr, or exit 1 with one ``Error:`` line that is not a hang."""
    assert "Traceback" not in stderr
    words = " ".join(re.findall("[a-z]{3,12}", stderr[7:])[:3])
    event(f"exit {code}" if code == 0 else f"exit {code}: {words}")
    if code == 0:
        assert stderr == ""
        return
    assert code == 1, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("Error: "), stderr
    assert "internal error" not in stderr
    assert "query stopped after" not in stderr  # the time bound was hit: a hang


# --- query parameters -------------------------------------------------------------------------------

SPECIAL_VALUES = [
    "",
    "nan",
    "inf",
    "-0",
    "99999999999",
    "2010",
    "0001",
    "\uff12\uff10\uff11\uff10",
    "=",
    "a=b",
    "OP-ACT",
    "Bytom",
    "Kraków",
    "KRAKOW",
    "https://w3id.org/citynet/id/network/op-act",
    "https://w3id.org/citynet/id/city/",
    "http://[::1/x",
    '<>"{}|^`\\',
    "\x1b[31m",
    "\t",
    "a\nb",
    "\x00",
    "\u202e",
    "\ufeff",
    "\U0001d518\U0001d52b",
    "' OR 1=1 --",
    '"} DROP ALL #',
    "?x",
    "$x",
]
values = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    st.text(max_size=40),
    st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape")),  # argv that is not UTF-8
    st.integers(min_value=990, max_value=3000).map(lambda n: "x" * n),
    st.integers().map(str),
    st.floats().map(str),
)
GOOD = {
    "network": ["OP-ACT", "URB-INCLUSION", "Cities@Heart", "https://w3id.org/citynet/id/network/op-act"],
    "city": ["Bytom", "Kraków", "krakow", "Leoben"],
    "year": ["2010", "2019", "1990"],
}
other_keys = st.one_of(
    st.sampled_from(["network", "city", "year", "country", "text", ""]), st.text(max_size=8)
)


@st.composite
def parameters(draw: st.DrawFn, name: str) -> list[str]:
    """``--param`` arguments for the query: mostly its own keys, some others, some without ``=``."""
    own = [p.name for p in QUERIES[name].params] if name in QUERIES else []
    pairs = []
    for _ in range(draw(st.integers(0, 3))):
        shape = draw(st.integers(0, 9))
        if shape == 0:
            pairs.append(draw(values))
            continue
        key = draw(st.sampled_from(own)) if own and shape > 2 else draw(other_keys)
        good = (
            GOOD.get(next((p.kind for p in QUERIES[name].params if p.name == key), ""), [])
            if name in QUERIES
            else []
        )
        value = draw(st.sampled_from(good)) if good and shape > 5 else draw(values)
        pairs.append(f"{key}={value}")
    return pairs


@hunt
@given(name=st.sampled_from([*WITH_PARAMS, "cities", "no-such-query"]), data=st.data())
@example(name="partners", data=None)
def test_any_query_parameters(seed_store: Path, name: str, data: st.DataObject | None) -> None:
    given_pairs = data.draw(parameters(name), label="params") if data else ["network=OP-ACT"]
    args = ["query", name]
    for pair in given_pairs:
        args += ["--param", pair]
    code, _, stderr = run(args, seed_store)
    TALLY["query"] += 1
    check_outcome(code, stderr)


# --- SPARQL texts --------------------------------------------------------------------------------------

HOSTILE = [
    "SERVICE <LISTENER> { ?s ?p ?o }",
    "SERVICE SILENT <LISTENER> { }",
    "SERVICE ?s { }",
    "SERVICE <file:///etc/passwd> { }",
    "DROP ALL",
    " ; DROP ALL",
    "INSERT DATA { <urn:a> <urn:b> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <LISTENER>",
    '"""',
    "'",
    "#",
    "\x00",
    "\x1b]52;c;aGk=\x07",
    "{" * 200,
    "(" * 200,
    ")" * 50,
    "}" * 50,
    "[",
    "<",
    ">",
    "\\u0000",
    "\udcff",
    'BIND(CONCAT("ab","ab") AS ?z1) BIND(CONCAT(?z1,?z1) AS ?z2) BIND(CONCAT(?z2,?z2) AS ?z3)',
    "FILTER(?a<?b)SERVICE<LISTENER>{}#>",
    "SERVICEex:x",
    "PREFIX service: <urn:x>",
    "LIMIT -1",
    "OFFSET 99999999999999999999",
    "VALUES ?x { 1 }",
    "GRAPH ?g { ?s ?p ?o }",
    "ORDER BY RAND()",
]


@st.composite
def sparql_texts(draw: st.DrawFn, listener_url: str) -> str:
    """A named query's text, mutated once to five times, or arbitrary text."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=200))
    text = QUERIES[draw(st.sampled_from(sorted(QUERIES)))].text
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        mutation = draw(st.sampled_from(["cut", "insert", "hostile", "drop", "repeat"]))
        if mutation == "cut":
            text = text[:at]
        elif mutation == "insert":
            text = text[:at] + draw(st.text(alphabet="{}()[]<>\"'#;.?$\\ \n", max_size=6)) + text[at:]
        elif mutation == "hostile":
            hostile = draw(st.sampled_from(HOSTILE)).replace("LISTENER", listener_url)
            text = f"{text[:at]} {hostile} {text[at:]}"
        elif mutation == "drop":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        else:
            text = text[:at] + text[at : at + 30] * draw(st.integers(2, 4)) + text[at + 30 :]
    return text


@hunt
@given(data=st.data())
def test_any_sparql_text(seed_store: Path, listener: Listener, data: st.DataObject) -> None:
    text = data.draw(sparql_texts(listener.url), label="text")
    code, _, stderr = run(["sparql", "--", text], seed_store)  # "--": a text may start with "-"
    TALLY["sparql"] += 1
    check_outcome(code, stderr)
    assert listener.count == 0, text


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_answers_unmutated(seed_store: Path, name: str) -> None:
    """The seeds of the mutations answer: by `citynet sparql`, or with their example parameters."""
    named = QUERIES[name]
    if named.params:
        examples = [f"{p.name}={p.example}" for p in named.params if p.example is not None]
        args = ["query", name, *[arg for pair in examples for arg in ("--param", pair)]]
    else:
        args = ["sparql", named.text]
    code, stdout, stderr = run([args[0], "--format", "csv", *args[1:]], seed_store)
    assert (code, stderr) == (0, "")
    assert re.match(r"^\w", stdout)


def test_report_the_tally(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints how many generated cases ran in this session (seen with -s or in CI logs)."""
    with capsys.disabled():
        print(f"\ngenerated cases run: query parameters {TALLY['query']}, SPARQL texts {TALLY['sparql']}")
