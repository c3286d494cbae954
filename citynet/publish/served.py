"""The HTML page ``citynet serve`` answers for a thing: the publication's page, from the description alone.

The server's workers read the store; its front process holds only the description a worker sent
back. So the page is made from a store of that description's triples: the thing's facts by
source, the links both ways, labelled where the description has the label (a linked thing without
one is shown by its short name, the source graphs by their IRIs' last segment).

>>> import pyoxigraph as ox
>>> from citynet.rdf.namespaces import RDFS
>>> from citynet.store.resources import Description
>>> city = ox.NamedNode("https://w3id.org/citynet/id/city/1")
>>> found = Description(city.value, [ox.Triple(city, ox.NamedNode(RDFS.label), ox.Literal("Gent <b>"))])
>>> "Gent &lt;b&gt;" in render_served(found, "https://w3id.org/citynet/")
True
"""

from __future__ import annotations

import pyoxigraph as ox

from citynet.publish.pages import Lookup, render_page
from citynet.store.resources import Description


def render_served(found: Description, base: str) -> str:
    """The page of ``found``, its labels and sources read from its own triples."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in found.triples)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in found.incoming)
    for graph, triples in found.graphs.items():
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return render_page(found, Lookup(store, base))
