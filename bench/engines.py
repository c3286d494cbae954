"""The engines a benchmark compares, each answering a named query's text with bound parameters.

- ``citynet``: citynet's own path on its on-disk store: the named query is found, its parameters
  resolved from names (``bind_params``) and bound, and the rows converted and put in the order
  its header declares (``answer_named``: ``to_rows``, then ``#+ order:``), as a user gets them.
- ``oxigraph-disk`` / ``oxigraph-memory``: raw pyoxigraph on the same quads (the named graphs and
  their merge in the default graph), bulk-loaded on disk or in memory, with the parameters given as
  terms. These and the others below run the text as given: a query that declares its order in its
  header (``#+ order:``) rather than by ORDER BY comes from them unsorted (``comparable`` ignores order).
- ``rdflib``: rdflib's in-memory ``Dataset`` and SPARQL engine, with ``initBindings``.
- ``server``: the Oxigraph server over HTTP, through citynet's ``RemoteStore``.

Every engine's rows go through the same conversion (SPARQL JSON results -> pyoxigraph ->
``to_rows``), so the answers can be compared cell for cell.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from citynet.query.queries import NamedQuery, answer_named, bind_params, run_query, to_rows
from citynet.rdf.namespaces import PREFIXES
from citynet.store.embedded import EmbeddedStore
from citynet.store.folder import MARKER, current_data_dir
from citynet.store.remote import Credentials, RemoteStore


def parse_term(text: str) -> ox.Term:
    """A term written in N-Triples, e.g. ``<https://…>`` or ``"2014"^^<…#integer>``."""
    quad = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    return quad.object


def comparable(query: NamedQuery, rows: list[dict[str, Any]]) -> list[tuple]:
    """Rows as sorted tuples, GROUP_CONCAT cells as sorted lists, floats rounded: for comparing."""
    lists = query.lists

    def cell(key: str, value: Any) -> Any:
        if key in lists and isinstance(value, str):
            return tuple(sorted(value.split(lists[key])))
        return round(value, 9) if isinstance(value, float) else value

    return sorted((tuple((k, cell(k, v)) for k, v in row.items()) for row in rows), key=repr)


class Engine:
    name = ""

    def answer(self, query: NamedQuery, params: dict[str, str], terms: dict[str, str]) -> list[dict]:
        raise NotImplementedError


class Citynet(Engine):
    name = "citynet"

    def __init__(self, store: Path) -> None:
        self.reader = EmbeddedStore.open(store)

    def answer(self, query: NamedQuery, params: dict[str, str], terms: dict[str, str]) -> list[dict]:
        return answer_named(self.reader, query, bind_params(self.reader, query, params))[1]


class RawOxigraph(Engine):
    def __init__(self, nquads: Path | None = None, store: Path | None = None) -> None:
        self.name = "oxigraph-disk" if store else "oxigraph-memory"
        if store:  # a raw Oxigraph folder, or citynet's store: the Oxigraph folder of its version in use
            folder = current_data_dir(store) if (store / MARKER).exists() else store
            self.store = ox.Store.read_only(str(folder))
        else:
            self.store = ox.Store()
            self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)

    def answer(self, query: NamedQuery, params: dict[str, str], terms: dict[str, str]) -> list[dict]:
        substitutions = {ox.Variable(k): parse_term(v) for k, v in terms.items()}
        return to_rows(self.store.query(query.text, prefixes=PREFIXES, substitutions=substitutions))[1]


class Rdflib(Engine):
    name = "rdflib"

    def __init__(self, nquads: Path) -> None:
        from rdflib import Dataset

        self.dataset = Dataset()  # its default graph: the merge, as citynet's
        self.dataset.parse(nquads, format="nquads")

    def answer(self, query: NamedQuery, params: dict[str, str], terms: dict[str, str]) -> list[dict]:
        from rdflib import Literal, URIRef

        bindings = {}
        for name, text in terms.items():
            term = parse_term(text)
            bindings[name] = (
                URIRef(term.value)
                if isinstance(term, ox.NamedNode)
                else Literal(term.value, datatype=URIRef(term.datatype.value))
            )
        result = self.dataset.query(query.text, initNs=PREFIXES, initBindings=bindings)
        data = io.BytesIO(result.serialize(format="json"))
        return to_rows(ox.parse_query_results(data.getvalue(), format=ox.QueryResultsFormat.JSON))[1]


class Server(Engine):
    name = "server"

    def __init__(self, url: str) -> None:
        self.remote = RemoteStore(url, credentials=Credentials(), timeout=3600)

    def answer(self, query: NamedQuery, params: dict[str, str], terms: dict[str, str]) -> list[dict]:
        substitutions = {ox.Variable(k): parse_term(v) for k, v in terms.items()}
        return to_rows(run_query(self.remote, query.text, substitutions))[1]
