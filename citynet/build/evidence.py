"""The evidence behind extracted facts as RDF: W3C Web Annotations in the source's named graph.

Each piece of evidence (:class:`~citynet.sources.model.Evidence`) is an ``oa:Annotation`` whose
body is the fact (a membership, a network, a call) and whose target is the words that state it:
an ``oa:SpecificResource`` of the source (``oa:hasSource``) with an ``oa:TextQuoteSelector``
(``oa:exact``, the quote) and an ``oa:TextPositionSelector`` (``oa:start``, ``oa:end``: character
offsets into the extracted text the source keeps). The field it supports is its
``dcterms:subject``, its confidence ``itsrdf:taConfidence`` (W3C ITS 2.0), and the rule that
found it a ``prov:SoftwareAgent`` it is ``prov:wasAttributedTo``. Every node has an IRI under the
base, made from the source, the fact and the evidence's place in the list, so loading twice gives
the same quads.

>>> import io
>>> from citynet.build.quads import Builder
>>> from citynet.sources.model import Evidence
>>> b = Builder(io.StringIO())
>>> fact = b.ids.membership("cities-of-change", "city/460413")
>>> found = [Evidence("member", "Daugavpils", 7, 17, "r", 1)]
>>> add_evidence(b.ids, b.graph(b.ids.source("s")), fact, "s", found)
>>> print(b.out.getvalue().splitlines()[3])  # doctest: +NORMALIZE_WHITESPACE
<https://w3id.org/citynet/id/evidence/s/membership/cities-of-change/city/460413/1/quote>
<http://www.w3.org/ns/oa#exact> "Daugavpils" <https://w3id.org/citynet/id/source/s> .
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import quote

from rdflib import URIRef

from citynet.rdf.namespaces import DCTERMS, ITSRDF, OA, PAV, PROV, RDF, RDFS, SPDX, XSD, Ids
from citynet.rdf.terms import lit
from citynet.sources.model import Evidence, SourceEntry


class Sink(Protocol):
    """A named graph being written (:class:`citynet.build.quads.GraphSink`)."""

    def add(self, triple: tuple[Any, Any, Any]) -> None: ...


def add_evidence(
    ids: Ids,
    g: Sink,
    fact: URIRef,
    source: str,
    evidence: list[Evidence],
    counts: dict[str, int] | None = None,
) -> None:
    """Each piece of evidence ``source`` gives for ``fact``, as an annotation in the graph ``g``.

    ``counts`` (pieces of evidence already numbered, by fact) goes on from there: two members of a
    file that are one membership (two spellings of one city) keep all their evidence apart.
    """
    counts = {} if counts is None else counts
    first = counts.get(str(fact), 0) + 1
    counts[str(fact)] = first - 1 + len(evidence)
    for index, found in enumerate(evidence, first):
        a = ids.evidence(source, fact, index)
        target, exact, position = URIRef(f"{a}/target"), URIRef(f"{a}/quote"), URIRef(f"{a}/position")
        g.add((a, RDF.type, OA.Annotation))
        g.add((a, OA.hasTarget, target))
        g.add((exact, RDF.type, OA.TextQuoteSelector))
        g.add((exact, OA.exact, lit(found.quote)))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, lit(str(found.start), datatype=XSD.nonNegativeInteger)))
        g.add((position, OA.end, lit(str(found.end), datatype=XSD.nonNegativeInteger)))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, ids.source(source)))
        g.add((target, OA.hasSelector, exact))
        g.add((target, OA.hasSelector, position))
        g.add((a, OA.hasBody, fact))
        g.add((a, OA.motivatedBy, OA.describing))
        g.add((a, DCTERMS.subject, lit(found.field)))
        g.add((a, ITSRDF.taConfidence, lit(repr(float(found.confidence)), datatype=XSD.double)))
        g.add((a, PROV.wasAttributedTo, add_rule(ids, g, found.rule)))


def add_rule(ids: Ids, g: Sink, rule: str) -> URIRef:
    """The rule or feature that found evidence, as a software agent: ``id:extraction-rule/<rule>``.

    >>> import io
    >>> from citynet.build.quads import Builder
    >>> b = Builder(io.StringIO())
    >>> add_rule(b.ids, b.graph(b.ids.source("s")), "cue:pl:lider")
    rdflib.term.URIRef('https://w3id.org/citynet/id/extraction-rule/cue:pl:lider')
    >>> add_rule(b.ids, b.graph(b.ids.source("s")), "count/lv ok")
    rdflib.term.URIRef('https://w3id.org/citynet/id/extraction-rule/count:lv%20ok')
    """
    node = ids.iri(f"extraction-rule/{quote(rule.replace('/', ':'), safe=':')}")  # one path segment
    g.add((node, RDF.type, PROV.SoftwareAgent))
    g.add((node, RDFS.label, lit(rule)))
    return node


def add_retrieval(g: Sink, s: URIRef, entry: SourceEntry) -> None:
    """When an extracted source was read (``pav:retrievedOn``) and the sha256 of its bytes (SPDX).

    >>> import io
    >>> from citynet.build.quads import Builder
    >>> b = Builder(io.StringIO())
    >>> add_retrieval(b.graph(b.ids.graph("sources")), b.ids.source("s"), SourceEntry("s", "T", "pl", 1))
    >>> b.out.getvalue()
    ''
    """
    if entry.retrieved:
        g.add((s, PAV.retrievedOn, lit(entry.retrieved, datatype=XSD.date)))
    if entry.sha256:
        checksum = URIRef(f"{s}/checksum")
        g.add((s, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, lit(entry.sha256, datatype=XSD.hexBinary)))
