"""The web links of a site's pages: the nodes' websites and the member-network edges' sources' URLs,
http(s) only, as ``[kind, url]`` pairs in each page's data.

>>> data = {"nodes": [{"id": "a"}], "edges": [{"from": "a", "to": "n"}]}
>>> add_links(data, ({"a": [["website", "https://a.eu"]]}, {}))
>>> data["nodes"][0]["links"], data["edges"][0]["links"]
([['website', 'https://a.eu']], [])
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from citynet.graphs.memberships import select
from citynet.rdf.sparqlfiles import read_sparql

SOURCE_URLS = read_sparql("citynet.site", "member-source-urls")
WEBSITES = read_sparql("citynet.site", "websites")
WEB_SCHEMES = ("http", "https")


def to_web_link(url: Any) -> str | None:
    """``url`` if it may become a link in a page: an http(s) URL with a host, nothing else.

    A ``javascript:`` or ``data:`` URL from a store would run in the page when clicked; it is shown
    as text instead (and the page's script checks again before it makes a link).

    >>> to_web_link("https://urbact.eu/rural"), to_web_link("javascript:alert(1)")
    ('https://urbact.eu/rural', None)
    >>> to_web_link("data:text/html,x"), to_web_link(" https://x.eu"), to_web_link("https://[::1/")
    (None, None, None)
    """
    text = str(url)
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    return text if "://" in text and parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None


def read_links(reader: Any) -> tuple[dict[str, list[list[str]]], dict[tuple[str, str], list[list[str]]]]:
    """The web links of the nodes (their websites) and of the member-network edges (their sources'
    URLs), http(s) only (:func:`to_web_link`)."""
    nodes: dict[str, list[list[str]]] = {}
    for row in select(reader, WEBSITES):
        if to_web_link(row["url"]):
            nodes.setdefault(str(row["node"]), []).append(["website", str(row["url"])])
    edges: dict[tuple[str, str], list[list[str]]] = {}
    for row in select(reader, SOURCE_URLS):
        if to_web_link(row["url"]):
            key = (str(row["member"]), str(row["network"]))
            edges.setdefault(key, []).append(["source", str(row["url"])])
    return (
        {n: sorted(links) for n, links in nodes.items()},
        {key: sorted(links) for key, links in edges.items()},
    )


def add_links(data: dict[str, Any], links: tuple[dict, dict]) -> None:
    """Put each node's and edge's web links into the page's data (``links``: ``[kind, url]`` pairs)."""
    nodes, edges = links
    for node in data["nodes"]:
        node["links"] = nodes.get(node["id"], [])
    for edge in data["edges"]:
        edge["links"] = edges.get((edge["from"], edge["to"]), [])
