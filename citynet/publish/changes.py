"""``CHANGES.md``: the triples a release added and removed since the previous one, per class and graph.

Computed from the two releases' sorted N-Quads dumps (:mod:`citynet.publish.dumps`) by a merge of
the two sorted streams, one subject at a time, so memory holds one subject's quads whatever the
size of the graph. Per class: triples of the merged graph (a triple several graphs state counts
once) whose subject has that class (``rdf:type``) in the release that holds the triple; a subject
with several classes counts under each. Per source graph: the triples that graph states.

>>> import gzip, tempfile
>>> old = '<urn:a> <urn:p> "1" <urn:g> .\\n<urn:b> <urn:p> "1" <urn:g> .\\n'
>>> new = '<urn:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:C> <urn:g> .\\n'
>>> with tempfile.TemporaryDirectory() as folder:
...     for name, text in (("old.nq.gz", old), ("new.nq.gz", new)):
...         _ = (Path(folder) / name).write_bytes(gzip.compress(text.encode()))
...     by_class, by_graph = count_changes(Path(folder) / "old.nq.gz", Path(folder) / "new.nq.gz")
>>> by_class, by_graph
({'<urn:C>': [1, 0], '(no class)': [0, 2]}, {'<urn:g>': [1, 2]})
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from citynet.errors import PublishError
from citynet.publish.context import Context
from citynet.rdf.namespaces import RDF
from citynet.store.resources import PREFIXES

RDF_TYPE = f"<{RDF.type}>"
NO_CLASS = "(no class)"
Quads = set[tuple[str, str]]  # (a triple's N-Triples text without " .", its graph's N-Triples term)
Counts = dict[str, list[int]]  # name -> [added, removed]


def write_changes(context: Context, dump: Path) -> None:
    """Write ``CHANGES.md`` beside ``dump``: what changed since ``context.previous``'s dump."""
    target = dump.parent / "CHANGES.md"
    heading = f"# citynet {context.release.isoformat()}: changes\n\n"
    if context.previous is None:
        target.write_text(heading + "First release: there is no earlier one to compare with.\n", "utf-8")
        return
    earlier = sorted(context.previous.glob("citynet-*.nq.gz"))
    if len(earlier) != 1:
        raise PublishError(
            f'the previous release "{context.previous}" holds {len(earlier)} citynet-*.nq.gz files, '
            "not one - name the folder of a release citynet publish wrote"
        )
    try:
        by_class, by_graph = count_changes(earlier[0], dump)
    except (OSError, EOFError, ValueError) as exc:  # not gzip, cut short, not UTF-8, not N-Quads
        raise PublishError(f'cannot read the previous release\'s dump "{earlier[0]}": {exc}') from None
    target.write_text(heading + render_changes(context, earlier[0], by_class, by_graph), "utf-8")


def count_changes(old: Path, new: Path) -> tuple[Counts, Counts]:
    """Triples added and removed between two sorted N-Quads dumps, per class and per graph.

    A merge of the two sorted files, one subject at a time, so memory holds one subject's quads.
    Per class: triples of the merged graph (a triple several graphs state counts once) whose
    subject has the class in the release that holds the triple. Per graph: that graph's triples.
    """
    by_class: Counts = {}
    by_graph: Counts = {}
    for before, after in pair_subjects(read_subjects(old), read_subjects(new)):
        for column, quads, other in ((0, after, before), (1, before, after)):
            for _, graph in quads - other:
                by_graph.setdefault(graph, [0, 0])[column] += 1
            triples = {triple for triple, _ in quads} - {triple for triple, _ in other}
            if triples:
                for name in classes_of(quads) or {NO_CLASS}:
                    by_class.setdefault(name, [0, 0])[column] += len(triples)
    return by_class, by_graph


def read_subjects(path: Path) -> Iterator[tuple[str, Quads]]:
    """A sorted N-Quads dump's quads grouped by subject: (subject, its quads), in subject order.

    In a bytewise-sorted file a subject's lines are adjacent ("<a> …" lines all sort before
    "<ab> …" ones, as ">" ends an IRI), and subjects come in the order Python compares them.
    """
    subject, quads = "", set()
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
        for line in lines:
            head, rest = line.split(" ", 1)
            if head != subject and quads:
                if head < subject:
                    raise PublishError(f'"{path}" is not sorted: {head} comes after {subject}')
                yield subject, quads
                quads = set()
            subject = head
            triple, graph = rest.rstrip("\n").removesuffix(" .").rsplit(" ", 1)
            quads.add((f"{head} {triple}", graph))
    if quads:
        yield subject, quads


def pair_subjects(
    old: Iterator[tuple[str, Quads]], new: Iterator[tuple[str, Quads]]
) -> Iterator[tuple[Quads, Quads]]:
    """Walk two subject-ordered streams together: each subject's old and new quads (empty if none)."""
    before, after = next(old, None), next(new, None)
    while before is not None or after is not None:
        if after is None or (before is not None and before[0] < after[0]):
            yield before[1], set()  # type: ignore[index]
            before = next(old, None)
        elif before is None or after[0] < before[0]:
            yield set(), after[1]
            after = next(new, None)
        else:
            yield before[1], after[1]
            before, after = next(old, None), next(new, None)


def classes_of(quads: Quads) -> set[str]:
    """The classes the quads give their subject (the objects of its rdf:type triples)."""
    found = set()
    for triple, _ in quads:
        _, predicate, value = triple.split(" ", 2)
        if predicate == RDF_TYPE:
            found.add(value)
    return found


def render_changes(context: Context, earlier: Path, by_class: Counts, by_graph: Counts) -> str:
    """CHANGES.md after its heading: the comparison, then a table per class and per graph."""
    added = sum(counts[0] for counts in by_graph.values())
    removed = sum(counts[1] for counts in by_graph.values())
    text = (
        f"Against release {earlier.parent.name} "
        f"(`{earlier.name}`): {added} {'quad' if added == 1 else 'quads'} added and {removed} removed "
        "across the named graphs.\n\n"
    )
    if not by_graph:
        return text + "No triple was added or removed.\n"
    text += (
        "## Per class\n\nTriples of the merged graph whose subject has the class (`rdf:type`); a "
        f"subject with several classes counts under each, one with none under {NO_CLASS}.\n\n"
    )
    text += render_table("Class", {compact(term, context.base): counts for term, counts in by_class.items()})
    text += "\n## Per source graph\n\nTriples each named graph states.\n\n"
    return text + render_table("Graph", {compact(term, context.base): c for term, c in by_graph.items()})


def render_table(first: str, counts: Counts) -> str:
    """A Markdown table of added and removed counts, one row per name in name order."""
    rows = [f"| {first} | Added | Removed |\n", "| --- | ---: | ---: |\n"]
    for name in sorted(counts):
        rows.append(f"| {name} | {counts[name][0]} | {counts[name][1]} |\n")
    return "".join(rows)


def compact(term: str, base: str) -> str:
    """An N-Triples IRI as a table shows it: a prefixed name, a path under the base, or the IRI."""
    if term == NO_CLASS:
        return term
    iri = term.removeprefix("<").removesuffix(">")
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"`{prefix}:{iri[len(namespace) :]}`"
    return f"`{iri.removeprefix(base)}`"
