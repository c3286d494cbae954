"""A partnership graph as a pyvis ``Network``, for Jupyter notebooks, drawn as the site draws it.

``to_pyvis(graph)`` takes any graph ``citynet.api.build_network`` returns and gives a
``pyvis.network.Network`` with citynet's colours (a country's region's, networks black), shapes (cities
dots, organisations squares, networks diamonds), lead partners starred and ringed in gold, a
tooltip per node and edge, and a legend of the countries drawn as a heading.

Its HTML needs no network: vis-network is written inline (``cdn_resources="in_line"``), and the
Bootstrap CSS and script pyvis's template loads from a CDN whatever the setting (pyvis issues
#228, #229) are left out (:class:`OfflineNetwork`); the page uses no Bootstrap component unless a
filter or select menu is asked for, which this module never does.

>>> import networkx as nx
>>> graph = nx.Graph()
>>> graph.add_node("city/1", label="Gent", kind="city", country="BE")
>>> graph.add_node("network/x", label="REFILL <b>", kind="network")
>>> graph.add_edge("city/1", "network/x", role="lead partner")
>>> net = to_pyvis(graph)
>>> sorted(node["label"] for node in net.nodes)
['Gent ★', 'REFILL <b>']
>>> html = net.generate_html()
>>> "cdn.jsdelivr.net" in html, "vis-network" in html, "Belgium" in net.heading
(False, True, True)
"""

from __future__ import annotations

import html
import re

import networkx as nx
from pyvis.network import Network

from citynet.site.style import find_leads, list_legend, to_vis_data

CDN = re.compile(r"<(link|script)\b[^>]*cdn\.jsdelivr\.net/npm/bootstrap[^>]*>(\s*</script>)?", re.DOTALL)


class OfflineNetwork(Network):
    """pyvis's ``Network`` whose HTML loads nothing from the web (see the module's text)."""

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        """pyvis's page without the Bootstrap it fetches from a CDN."""
        return CDN.sub("", super().generate_html(name, local, notebook))


def to_pyvis(
    graph: nx.Graph, height: str = "600px", width: str = "100%", notebook: bool = True
) -> OfflineNetwork:
    """A pyvis network of ``graph`` in citynet's style; ``net.show("graph.html")`` in a notebook."""
    data = to_vis_data(graph, find_leads(graph), {})
    net = OfflineNetwork(height=height, width=width, notebook=notebook, cdn_resources="in_line")
    for node in data["nodes"]:
        tooltip = "\n".join(" ".join(str(part) for part in line) for line in node["info"])
        net.add_node(
            node["id"],
            label=node["label"],
            title=tooltip or node["name"],
            shape=node["shape"],
            size=node["size"],
            color=node["color"],
            borderWidth=node["borderWidth"],
        )
    for edge in data["edges"]:
        tooltip = "\n".join(" ".join(str(part) for part in line) for line in edge["info"])
        colour = edge.get("color", data["edgeStyle"])  # a lead's own colour, else the page's default
        net.add_edge(edge["from"], edge["to"], width=edge["width"], color=colour, title=tooltip)
    net.heading = write_legend(graph)
    return net


def write_legend(graph: nx.Graph) -> str:
    """The legend as HTML (pyvis writes its heading unescaped, so every name is escaped here).

    >>> write_legend(nx.Graph())
    '<small>● city ■ organisation ◆ network ★ lead partner</small>'
    """
    swatches = " ".join(
        f'<span style="color:{entry["colour"]}">●</span> {html.escape(entry["name"])}'
        for entry in list_legend(graph)
    )
    kinds = "● city ■ organisation ◆ network ★ lead partner"
    return f"<small>{kinds}{'<br>' + swatches if swatches else ''}</small>"
