"""The named queries as published resources: their text, their result on the release, examples.

:func:`write_queries` writes under ``queries/``: ``index.html`` (every named query: name, summary,
parameters) and per query ``<name>.rq`` (the file, byte for byte), ``<name>.json`` (SPARQL 1.1
results JSON) and ``<name>.csv`` (SPARQL 1.1 results CSV) — its result on this release — and
``<name>.html``. The query is read, checked, bound and run by the query stage's own functions, as
``citynet query`` runs it: a query with parameters runs with each parameter's documented example
(the ``example:`` of its ``#+ params:`` header, which ``citynet queries`` shows), or, where the
release has no such entity, a stand-in (:func:`pick_values`); the page says which value was used.
The results are written by Oxigraph's serialisers, the CSV from the JSON file read back, so the
query runs once and no result is held whole in memory, but for a query whose header declares its
rows' order (``#+ order:``), which is sorted first (:func:`citynet.query.output.write_results`).

A query page is a resource of its own, ``{base}queries/<name>``, described in its ``<head>`` as a
schema.org ``SoftwareSourceCode`` whose ``workExample`` is the result, a ``Dataset`` with the CSV
and JSON as ``DataDownload`` s; Jinja's ``tojson`` writes it (``<`` ``>`` ``&`` ``'`` escaped as
``\\u003c`` …, so no text closes the ``<script>`` block). schema.org is maintained (a release every
few months) and is what search engines and data catalogues read; the landing page describes the
dataset in it too. SPIN is a 2011 Member Submission no one maintains; SHACL's
``sh:SPARQLExecutable`` belongs to SHACL Advanced Features, a Working Group Note, read by SHACL
engines only. The JSON-LD's context is inline (``@vocab``), so a reader expands it offline.

>>> import datetime as dt, pyoxigraph as ox, tempfile
>>> from citynet.publish.context import Context
>>> folder = Path(tempfile.mkdtemp())
>>> (folder / "library").mkdir()
>>> _ = (folder / "library" / "two.rq").write_text("#+ summary: Two rows\\nSELECT ?n { VALUES ?n { 1 2 } }")
>>> context = Context(ox.Store(), "https://w3id.org/citynet/", dt.date(2026, 12, 4), folder / "pub")
>>> write_queries(context, folder / "library")
['queries/index.html', 'queries/two.csv', 'queries/two.html', 'queries/two.json', 'queries/two.rq']
>>> (folder / "pub" / "queries" / "two.csv").read_text().split()
['n', '1', '2']
"""

from __future__ import annotations

import os
import shlex
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2
import pyoxigraph as ox

from citynet.errors import CitynetError, PublishError, QueryError
from citynet.publish.context import Context
from citynet.publish.pages import open_templates
from citynet.publish.paths import BASE, check_segment, document_path, href  # noqa: F401 (BASE: doctests)
from citynet.query.lookup import KINDS as ENTITY_KINDS
from citynet.query.lookup import find_entity
from citynet.query.output import write_results
from citynet.query.queries import NamedQuery, bind_params, read_queries, run_query
from citynet.query.running import drop_tracebacks
from citynet.rdf.namespaces import PREFIXES
from citynet.rdf.sparqlguard import check_query
from citynet.rdf.sparqltext import add_prefixes, inject_values
from citynet.store.resources import LICENSE

MAX_WORKERS = 4  # queries run at once; each holds its own results only while it writes them
PREVIEW_ROWS = 20  # rows of the result shown on a query's page; the files hold them all
LOCAL_ENDPOINT = "http://localhost:7878/query"  # what `citynet serve` answers at by default
CODE_LICENSE = "https://spdx.org/licenses/MIT"  # the queries are citynet's code; results are data
SPARQL = "https://www.w3.org/TR/sparql11-query/"
STAND_IN = """SELECT ?entity WHERE { ?entity a ?class . OPTIONAL { ?link ?p ?entity } }
GROUP BY ?entity ORDER BY DESC(COUNT(?link)) ?entity LIMIT 1"""
RESULT_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
}
LINKED_KINDS = ("id", "vocab")  # an IRI base/id/<kind>/<x> or base/vocab/<scheme>/<x> has a document


@dataclass(frozen=True)
class Cell:
    """One value of a result row as the page shows it: its text, and a link when it has one."""

    text: str
    link: str | None = None


@dataclass
class Ran:
    """A named query as run for the release: the values used, the text run, the first rows."""

    query: NamedQuery
    used: dict[str, str]
    text: str  # the query as run: parameters bound by a VALUES block, prefixes declared
    variables: list[str] = field(default_factory=list)
    preview: list[list[Cell]] = field(default_factory=list)
    count: int = 0
    replaced: dict[str, str] = field(default_factory=dict)  # documented examples the release lacks


def write_queries(context: Context, queries_dir: Path) -> list[str]:
    """Write the named queries of ``queries_dir`` under ``context.folder/queries``, each run on
    ``context.store``; return the paths written, relative to the folder, sorted.

    Raises PublishError naming the query when one cannot be read, bound or run, or is not a SELECT.
    """
    try:
        queries = read_queries(queries_dir)
    except CitynetError as exc:
        raise PublishError(f"the named queries in {queries_dir} cannot be read: {exc}") from None
    folder = context.folder / "queries"
    folder.mkdir(parents=True, exist_ok=True)
    for named in queries.values():
        check_name(named.name, queries_dir)
        shutil.copyfile(queries_dir / f"{named.name}.rq", folder / f"{named.name}.rq")
    with ThreadPoolExecutor(max_workers=count_workers()) as pool:  # Oxigraph evaluates without the GIL
        ran = list(pool.map(lambda named: run_in_worker(context, named, folder), queries.values()))
    templates = open_templates()
    written = []
    for item in ran:
        page = render_query(templates, context, item)
        (folder / f"{item.query.name}.html").write_text(page, encoding="utf-8")
        written += [f"queries/{item.query.name}.{ext}" for ext in ("rq", "json", "csv", "html")]
    (folder / "index.html").write_text(render_index(templates, context, ran), encoding="utf-8")
    return sorted([*written, "queries/index.html"])


def count_workers() -> int:
    """Queries run at once: the processor cores this process may use, at most MAX_WORKERS.

    >>> 1 <= count_workers() <= MAX_WORKERS
    True
    """
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0))))


def check_name(name: str, queries_dir: Path) -> None:
    """Refuse a query whose name cannot be a file name on the site."""
    problem = check_segment(f"{name}.html")
    if problem:
        raise PublishError(f'query file "{queries_dir / name}.rq": its name {problem} - rename it')


def pick_examples(named: NamedQuery) -> dict[str, str]:
    """The documented example of each parameter that has one; a required one without is refused.

    >>> from citynet.query.queries import Param
    >>> pick_examples(NamedQuery("q", "", "", [Param("year", "year", "a year", example="2014")]))
    {'year': '2014'}
    >>> pick_examples(NamedQuery("q", "", "", [Param("city", "city", "a city")]))
    Traceback (most recent call last):
    citynet.errors.PublishError: query "q": parameter "city" has no example - add one to its #+ params: header
    """
    for param in named.params:
        if param.required and param.example is None:
            raise PublishError(
                f'query "{named.name}": parameter "{param.name}" has no example - '
                "add one to its #+ params: header"
            )
    return {p.name: p.example for p in named.params if p.example is not None}


def pick_values(store: ox.Store, named: NamedQuery) -> tuple[dict[str, str], dict[str, str]]:
    """The values a query runs with, and the documented examples among them the release lacks.

    Each parameter takes its documented example; where that names no single entity of the kind in
    this release (a synthetic graph has no OP-ACT), the kind's most linked entity stands in, by IRI.
    """
    kinds = {param.name: param.kind for param in named.params}
    used, replaced = pick_examples(named), {}
    for name, example in used.items():
        if kinds[name] not in ENTITY_KINDS:
            continue
        try:
            find_entity(store, kinds[name], example)
        except QueryError:
            used[name] = find_stand_in(store, named, kinds[name])
            replaced[name] = example
    return used, replaced


def find_stand_in(store: ox.Store, named: NamedQuery, kind: str) -> str:
    """The IRI of the entity of the kind that most triples point at (the first by IRI of a tie)."""
    solutions = run_query(store, STAND_IN, {ox.Variable("class"): ox.NamedNode(str(ENTITY_KINDS[kind]))})
    for solution in solutions:
        return solution["entity"].value
    raise PublishError(f'query "{named.name}": this release has no {kind} to run it with')


def run_in_worker(context: Context, named: NamedQuery, folder: Path) -> Ran:
    """:func:`run_named` in a worker thread; an error leaves it without the frames it held, as
    Oxigraph's results may be dropped only by their own thread (:func:`drop_tracebacks`)."""
    try:
        return run_named(context, named, folder)
    except BaseException as exc:  # raised again, in the main thread, by the pool's map
        raise drop_tracebacks(exc) from None


def run_named(context: Context, named: NamedQuery, folder: Path) -> Ran:
    """Run one named query on the release's store; write its JSON and CSV results."""
    try:
        check_query(named.text)
        used, replaced = pick_values(context.store, named)
        substitutions = bind_params(context.store, named, used)
        solutions = run_query(context.store, named.text, substitutions)
    except PublishError:
        raise
    except CitynetError as exc:
        raise PublishError(f'query "{named.name}" cannot be run for the release: {exc}') from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise PublishError(f'query "{named.name}" is not a SELECT query - only tables are published')
    ran = Ran(
        named, used, add_prefixes(inject_values(named.text, substitutions), PREFIXES), replaced=replaced
    )
    json_file = folder / f"{named.name}.json"
    with json_file.open("wb") as output:  # in the order the header declares, as `citynet query` writes it
        write_results(solutions, "json", output, named.order, f'query "{named.name}"')
    with json_file.open("rb") as source, (folder / f"{named.name}.csv").open("wb") as output:
        ox.parse_query_results(source, format=RESULT_FORMATS["json"][0]).serialize(
            output, format=RESULT_FORMATS["csv"][0]
        )
    with json_file.open("rb") as source:
        read_preview(ran, ox.parse_query_results(source, format=RESULT_FORMATS["json"][0]), context.base)
    return ran


def read_preview(ran: Ran, solutions: ox.QuerySolutions, base: str) -> None:
    """Keep the variables, the first rows as cells and the number of rows."""
    ran.variables = [variable.value for variable in solutions.variables]
    page = f"queries/{ran.query.name}"
    for solution in islice(solutions, PREVIEW_ROWS):
        ran.preview.append([to_cell(solution[v], base, page) for v in ran.variables])
    ran.count = len(ran.preview) + sum(1 for _ in solutions)


def to_cell(term: ox.Term | None, base: str, page: str) -> Cell:
    """A result value as shown: an IRI with a document on the site links to it, any other http(s) IRI
    to itself; a literal or a blank node is text.

    >>> to_cell(ox.NamedNode("https://w3id.org/citynet/id/city/3094802"), BASE, "queries/q")
    Cell(text='https://w3id.org/citynet/id/city/3094802', link='../id/city/3094802.html')
    >>> to_cell(ox.NamedNode("javascript:alert(1)"), BASE, "queries/q")
    Cell(text='javascript:alert(1)', link=None)
    >>> to_cell(ox.Literal("Kraków", language="pl"), BASE, "queries/q"), to_cell(None, BASE, "q")
    (Cell(text='Kraków', link=None), Cell(text='', link=None))
    """
    if term is None:
        return Cell("")
    if not isinstance(term, ox.NamedNode):
        return Cell(term.value)
    return Cell(term.value, to_link(term.value, base, page))


def to_link(iri: str, base: str, page: str) -> str | None:
    """Where a page links for ``iri``: its document on the site, the IRI itself, or nowhere.

    >>> to_link("https://w3id.org/citynet/id/org/a+b's-(x)", BASE, "queries/q")
    "../id/org/a+b's-(x).html"
    >>> to_link("https://w3id.org/citynet/id/city/1/geometry", BASE, "queries/q")
    'https://w3id.org/citynet/id/city/1/geometry'
    """
    if iri.startswith(base) and "#" not in iri:
        try:
            path = document_path(iri, base)
        except PublishError:
            path = ""
        parts = path.split("/")
        if len(parts) == 3 and parts[0] in LINKED_KINDS:
            return href(page, path, "html")
    return iri if iri.startswith(("http://", "https://")) else None


def describe_query(context: Context, ran: Ran) -> dict[str, Any]:
    """The query page's resource in schema.org: the query as source code, its result as a Dataset."""
    iri = f"{context.base}queries/{ran.query.name}"
    release = context.release.isoformat()
    return {
        "@context": {"@vocab": "https://schema.org/"},
        "@id": iri,
        "@type": "SoftwareSourceCode",
        "name": ran.query.name,
        "description": ran.query.summary,
        "programmingLanguage": {"@type": "ComputerLanguage", "name": "SPARQL 1.1", "url": SPARQL},
        "encodingFormat": "application/sparql-query",
        "text": ran.query.text,
        "license": CODE_LICENSE,
        "workExample": {
            "@id": f"{iri}#result-{release}",
            "@type": "Dataset",
            "name": f"{ran.query.name}: its result on the release of {release}",
            "description": describe_used(ran) or ran.query.summary,
            "isBasedOn": {"@id": iri},
            "datePublished": release,
            "license": LICENSE,
            "variableMeasured": ran.variables,
            "distribution": [
                {"@type": "DataDownload", "contentUrl": f"{iri}.{ext}", "encodingFormat": media}
                for ext, (_, media) in RESULT_FORMATS.items()
            ],
        },
    }


def describe_used(ran: Ran) -> str:
    """The example values the query ran with, as one line.

    >>> describe_used(Ran(NamedQuery("q", "", ""), {"network": "OP-ACT"}, ""))
    'run with network = OP-ACT'
    """
    return "run with " + ", ".join(f"{k} = {v}" for k, v in ran.used.items()) if ran.used else ""


def write_examples(context: Context, ran: Ran) -> dict[str, str]:
    """The shell and Python lines that run the query: ``citynet query``, curl, SPARQLWrapper.

    >>> import datetime as dt
    >>> context = Context(None, BASE, dt.date(2026, 12, 4), Path("pub"))
    >>> examples = write_examples(context, Ran(NamedQuery("partners", "", ""), {"network": "OP-ACT"}, ""))
    >>> examples["citynet"], examples["curl"]
    ('citynet query partners --param network=OP-ACT --format csv', "curl -H 'Accept: text/csv' \
--data-urlencode query@partners.rq http://localhost:7878/query")
    """
    name = ran.query.name
    endpoint = context.sparql_endpoint or LOCAL_ENDPOINT
    params = "".join(f" --param {shlex.quote(f'{k}={v}')}" for k, v in ran.used.items())
    python = "\n".join(
        [
            "from pathlib import Path",
            "",
            "from SPARQLWrapper import JSON, SPARQLWrapper",
            "",
            f"endpoint = SPARQLWrapper({endpoint!r})",
            f"endpoint.setQuery(Path({name + '.rq'!r}).read_text(encoding='utf-8'))",
            "endpoint.setReturnFormat(JSON)",
            'for row in endpoint.queryAndConvert()["results"]["bindings"]:',
            '    print({name: value["value"] for name, value in row.items()})',
        ]
    )
    return {
        "citynet": f"citynet query {shlex.quote(name)}{params} --format csv",
        "curl": (
            "curl -H 'Accept: text/csv' --data-urlencode "
            f"{shlex.quote(f'query@{name}.rq')} {shlex.quote(endpoint)}"
        ),
        "python": python,
    }


def render_query(templates: jinja2.Environment, context: Context, ran: Ran) -> str:
    """The HTML of one query's page."""
    name = ran.query.name
    return templates.get_template("queries/query.html").render(
        ran=ran,
        params=[(p, ran.used.get(p.name)) for p in ran.query.params],
        iri=f"{context.base}queries/{name}",
        files={ext: href(f"queries/{name}", f"queries/{name}", ext) for ext in ("rq", "csv", "json")},
        index=href(f"queries/{name}", "queries/index", "html"),
        home=href(f"queries/{name}", "index", "html"),
        release=context.release.isoformat(),
        endpoint_given=context.sparql_endpoint is not None,
        examples=write_examples(context, ran),
        jsonld=describe_query(context, ran),
        shown=min(PREVIEW_ROWS, ran.count),
    )


def render_index(templates: jinja2.Environment, context: Context, ran: list[Ran]) -> str:
    """The HTML of ``queries/index.html``: every named query with its summary and parameters."""
    return templates.get_template("queries/index.html").render(
        queries=[(item, href("queries/index", f"queries/{item.query.name}", "html")) for item in ran],
        home=href("queries/index", "index", "html"),
        release=context.release.isoformat(),
        base=context.base,
    )
