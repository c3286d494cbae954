"""Where a resource's documents go in the published folder, and how pages link to them.

An IRI under the base becomes a path: the part after the base, percent-decoded segment by
segment, so the file has the name a web server looks for (Apache and GitHub Pages decode the
request's path before they look for the file: ``/id/city/Frankfurt%20(Oder)`` is the file
``id/city/Frankfurt (Oder)``). A link to it encodes the same path again with one rule
(:func:`href`), so the IRI, the file and the link agree for names with ``( ) ' + : %`` in them.
An IRI ending in ``/`` (a SKOS scheme, ``…/vocab/role/``) has its documents at ``…/index.<ext>``.
The ontology's hash IRIs (``…/ontology#Network``) are documented by the ontology's document.

>>> document_path("https://w3id.org/citynet/id/city/3094802", BASE)
'id/city/3094802'
>>> document_path("https://w3id.org/citynet/id/org/frankfurt-%28oder%29", BASE)
'id/org/frankfurt-(oder)'
>>> document_path("https://w3id.org/citynet/vocab/role/", BASE)
'vocab/role/index'
>>> href("id/network/op-act", "id/org/a+b's-(x):y", "html")
"../org/a+b's-(x):y.html"
>>> href("index", "id/city/%20", "ttl")
'./id/city/%2520.ttl'
>>> document_path("https://w3id.org/citynet/id/a%2Fb", BASE)
Traceback (most recent call last):
citynet.errors.PublishError: https://w3id.org/citynet/id/a%2Fb cannot be a file name: segment "a/b" ...
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, unquote

from citynet.errors import PublishError
from citynet.store.resources import BASE  # noqa: F401 - the publication's default base, for api and doctests

SAFE = "/:@!$&'()*+,;=~"  # left as they are in links; everything else outside A-Z a-z 0-9 -._ is encoded
MAX_NAME = 200  # bytes in one segment, leaving room for an extension under the usual 255


def document_path(iri: str, base: str) -> str:
    """The path, relative to the published folder and without extension, of ``iri``'s documents.

    Raises PublishError when the IRI is not under ``base`` or cannot be a file name.
    """
    if not iri.startswith(base):
        raise PublishError(f"{iri} is not under the base {base} - it has no document here")
    rest = iri[len(base) :].split("#", 1)[0]
    if not rest or rest.endswith("/"):
        rest += "index"
    segments = [unquote(part, errors="strict") for part in rest.split("/")]
    for raw, segment in zip(rest.split("/"), segments, strict=True):
        problem = check_segment(segment)
        if problem:
            raise PublishError(
                f'{iri} cannot be a file name: segment "{segment or raw}" {problem} - '
                "give it an IRI whose path segments are plain names"
            )
    return "/".join(segments)


def check_segment(segment: str) -> str | None:
    """Why a decoded path segment cannot be a file name, or None."""
    if segment in ("", ".", ".."):
        return "is empty, . or .."
    if "/" in segment:
        return 'holds "/"'
    if "\x00" in segment or any(ord(char) < 32 for char in segment):
        return "holds a control character"
    if len(segment.encode()) > MAX_NAME:
        return f"is longer than {MAX_NAME} bytes"
    return None


def href(page: str, target: str, ext: str) -> str:
    """The relative link from the page at path ``page`` to ``target``'s document of ``ext``."""
    relative = posixpath.relpath(f"{target}.{ext}", posixpath.dirname(page) or ".")
    if not relative.startswith("../"):
        relative = "./" + relative  # a first segment with ":" would otherwise read as a scheme
    return quote(relative, safe=SAFE)
