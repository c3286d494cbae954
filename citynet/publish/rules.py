"""The redirect rules of the published site: w3id.org's ``.htaccess`` and ``README.md``, and the same
rules as an Apache configuration for a publisher who serves the folder itself.

A *thing* (``…/id/city/3094802``, ``…/vocab/role/partner``, ``…/ontology``) answers ``303 See Other``
to its document in the format the ``Accept`` header asks for (``…/id/city/3094802.ttl``), HTML when
there is no header, ``*/*`` or a browser's; ``406 Not Acceptable`` when no format is acceptable
(``image/png``); always with ``Vary: Accept`` and a ``Link: <…>; rel="alternate"`` per document. The
things under ``id/`` and ``vocab/`` have :data:`THING_FORMATS`; the ontology (and so its terms,
``…/ontology#Network``: a client does not send the fragment) has :data:`ONTOLOGY_FORMATS`, the
files :mod:`citynet.publish.ontology` writes (RDF/XML for the ontology tools, no TriG). A document
(its IRI ends in a format's extension) and every other file is served as it is: on w3id.org by a
``302`` to the same path on the host.

What w3id.org's ``.htaccess`` can do is what mod_rewrite can: match the ``Accept`` header with
regular expressions, not compare q-values as numbers. The rules sort its media ranges into weight
tiers (full weight, then ``q=0.9`` down to ``q=0.1``, then any other weight above 0) and, in the
first tier that names one, take the first format in the order of
:data:`citynet.store.resources.FORMATS` (HTML first, so ``*/*`` and a browser's wildcards give
HTML). That is :func:`citynet.store.resources.choose_format`, what ``citynet serve`` answers, except
when two weights share their first decimal (``q=0.55`` against ``q=0.5``: the format order decides)
and when a more specific range weighs HTML below a wildcard that admits it (``text/turtle, */*,
text/*;q=0.1, application/*;q=0.1``: HTML all the same, where ``citynet serve`` gives Turtle).
It cannot see whether the document exists on the host (a ``303`` to a ``404``).

Apache's own negotiation (mod_negotiation, type maps or MultiViews) compares q-values exactly, but
it serves the chosen file in place, a ``200`` at the thing's IRI, which makes the thing and its
document one; and it breaks ties by the variants' ``qs`` and size, not as ``citynet serve`` does.
So the self-hosted configuration uses the same rules, and answers ``404`` for a thing without a
document.

>>> rules = negotiation_rules()
>>> [ext for ext, _ in rules[0]]
['html', 'ttl', 'nt', 'jsonld', 'trig']
>>> import re
>>> def pick(accept):
...     return next(ext for tier in rules for ext, rule in tier if re.search(rule, accept, re.I))
>>> pick("text/turtle;q=0.5, application/ld+json"), pick("text/html,*/*;q=0.8"), pick("*/*")
('jsonld', 'html', 'html')
>>> pick("application/rdf+xml, text/rdf;q=0.6, application/n-triples, text/turtle, */*;q=0.1")
'ttl'
>>> [ext for ext, _ in negotiation_rules(ONTOLOGY_FORMATS)[0]]
['html', 'ttl', 'nt', 'jsonld', 'owl']
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import jinja2
import pyoxigraph as ox

from citynet.errors import PublishError
from citynet.publish.context import Context
from citynet.rdf.namespaces import CN, SKOS
from citynet.store.resources import FORMATS

W3ID_TARGET = "https://citynet-eu.github.io/citynet/"  # where GitHub Pages serves the published folder
WILDCARDS = (
    "*/*",
    "text/*",
    "application/*",
)  # the ranges that admit HTML (text/html, application/xhtml+xml)
WEIGHTS = (
    ("full weight (no q, or q=1)", r"\s*(;(?![^,]*q=0)[^,]*)?(,|$)"),
    *((f"q=0.{digit}", rf"\s*;[^,]*q=0\.{digit}") for digit in range(9, 0, -1)),
    ("any other q above 0", r"\s*;[^,]*q=0\.0*[1-9]"),
)
# A thing's documents (id/..., vocab/...): extension -> media types, the first the one served
THING_FORMATS = {ext: media for ext, (media, _) in FORMATS.items()}
# The ontology's, as citynet.publish.ontology writes them: no TriG, RDF/XML for the ontology tools
ONTOLOGY_FORMATS = {
    **{ext: THING_FORMATS[ext] for ext in ("html", "ttl", "nt", "jsonld")},
    "owl": ("application/rdf+xml",),
}
# Besides the documents: what else the folder holds, and its type
FILE_TYPES = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
    "application/n-quads": "nq",
    "application/rdf+xml": "owl rdf",
    "application/sparql-query": "rq",
    "text/csv": "csv",
    "application/json": "json",
    "text/markdown": "md",
    "application/gzip": "gz",
}
# The classes whose first IRI the README gives as an example for w3id.org's link checker
EXAMPLES = tuple(str(term) for term in (CN.City, CN.Network, CN.Membership, SKOS.Concept))


def write_rules(context: Context, w3id_target: str | None = None) -> list[str]:
    """Write ``.htaccess`` and ``README.md`` (for the w3id.org folder of the base) and
    ``apache/citynet.conf`` under ``context.folder``; return their paths, relative to it.

    ``w3id_target`` is where the published folder is served (:data:`W3ID_TARGET` by default);
    the w3id.org rules redirect there. Raises PublishError when it is not an absolute http(s)
    URL ending in ``/``.

    >>> import datetime as dt, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> context = Context(ox.Store(), "https://w3id.org/citynet/", dt.date(2026, 12, 4), folder)
    >>> write_rules(context, "https://example.org/citynet/")
    ['.htaccess', 'README.md', 'apache/citynet.conf']
    >>> rules = (folder / ".htaccess").read_text()
    >>> "RewriteRule ^(id|vocab)/ https://example.org/citynet/%{ENV:CN_DOC}.ttl [R=303,L]" in rules
    True
    >>> 'Alias "/citynet" "${CITYNET_FOLDER}"' in (folder / "apache" / "citynet.conf").read_text()
    True
    """
    target = w3id_target or W3ID_TARGET
    check_target(target)
    templates = open_templates()
    values = {
        "base": context.base,
        "path": urlsplit(context.base).path or "/",
        "request_path": re.escape(urlsplit(context.base).path or "/"),
        "target": target,
        "release": context.release.isoformat(),
        "things": describe_negotiation(THING_FORMATS),
        "ontology": describe_negotiation(ONTOLOGY_FORMATS),
        "extensions": "|".join(dict.fromkeys([*THING_FORMATS, *ONTOLOGY_FORMATS])),
        "file_types": FILE_TYPES,
        "examples": find_examples(context),
    }
    written = {
        ".htaccess": "htaccess.j2",
        "README.md": "w3id-readme.md.j2",
        "apache/citynet.conf": "apache.conf.j2",
    }
    for name, template in written.items():
        path = context.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = templates.get_template(template).render(values)
        path.write_text(re.sub(r"\n{3,}", "\n\n", text), encoding="utf-8")
    return list(written)


def check_target(target: str) -> None:
    """Raise PublishError unless ``target`` is an absolute http(s) URL ending in ``/``."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.netloc or not target.endswith("/"):
        raise PublishError(
            f'w3id target "{target}" is not an absolute http(s) URL ending in "/" - '
            "give the URL the published folder is served at, e.g. https://citynet-eu.github.io/citynet/"
        )
    if any(char in target for char in ' "\\$%'):
        raise PublishError(
            f'w3id target "{target}" holds a space, quote, "\\", "$" or "%" - give a plain URL'
        )


def describe_negotiation(formats: dict[str, tuple[str, ...]]) -> dict:
    """What the templates need to negotiate among ``formats``: the tiers (label and rules) and each
    format's extension and media type, for the ``Link`` headers."""
    return {
        "tiers": list(zip((label for label, _ in WEIGHTS), negotiation_rules(formats), strict=True)),
        "links": [(ext, media[0]) for ext, media in formats.items()],
    }


def negotiation_rules(formats: dict[str, tuple[str, ...]] = THING_FORMATS) -> list[list[tuple[str, str]]]:
    """Per weight tier (:data:`WEIGHTS`), each format's extension and the regular expression (PCRE,
    for ``RewriteCond %{HTTP_ACCEPT}``, case-insensitive) that matches an ``Accept`` header naming
    one of its media types (HTML: or a wildcard) at that weight."""
    return [
        [
            (ext, accept_pattern(media + (WILDCARDS if ext == "html" else ()), weight))
            for ext, media in formats.items()
        ]
        for _, weight in WEIGHTS
    ]


def accept_pattern(names: tuple[str, ...], weight: str) -> str:
    """The regular expression matching an ``Accept`` header that lists one of ``names`` at ``weight``.

    >>> accept_pattern(("application/ld+json",), r"\\s*;[^,]*q=0\\.5")
    '(^|,)\\\\s*(application/ld\\\\+json)\\\\s*;[^,]*q=0\\\\.5'
    """
    alternatives = "|".join(re.sub(r"([+*.])", r"\\\1", name) for name in names)
    return rf"(^|,)\s*({alternatives}){weight}"


def find_examples(context: Context) -> list[str]:
    """One IRI of each class of :data:`EXAMPLES` (the first in IRI order) under the base, and the
    ontology's IRI."""
    found = []
    for cls in EXAMPLES:
        query = (
            f"SELECT (MIN(STR(?s)) AS ?first) WHERE {{ ?s a {ox.NamedNode(cls)} "
            f"FILTER(STRSTARTS(STR(?s), {ox.Literal(context.base)})) }}"
        )
        first = next(iter(context.store.query(query)))["first"]
        if first is not None:
            found.append(first.value)
    return [*found, context.base + "ontology"]


def open_templates() -> jinja2.Environment:
    """The rules' templates (plain text: Apache configuration and Markdown, nothing escaped)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citynet.publish", "templates/rules"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
