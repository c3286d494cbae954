"""Write ``citynet/rdf/cn.py``, the closed ``cn:`` namespace, from ``ontology/citynet.ttl``.

Every class and property the ontology declares becomes one attribute of ``CN``; any other name
fails at import (``CN.Netwrk`` raises AttributeError). Rerun after editing the ontology:

    python scripts/generate_namespace.py            # rewrite citynet/rdf/cn.py
    python scripts/generate_namespace.py --check    # exit 1 when the module is out of date

``tests/test_namespaces.py`` regenerates the module and compares, so the two cannot drift.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "citynet.ttl"
MODULE = ROOT / "citynet" / "rdf" / "cn.py"
CN_IRI = "https://w3id.org/citynet/ontology#"
SECTIONS = (
    ("classes", OWL.Class),
    ("object properties", OWL.ObjectProperty),
    ("datatype properties", OWL.DatatypeProperty),
)

HEADER = '''"""The citynet ontology's terms, generated from ontology/citynet.ttl: do not edit.

Regenerate with ``python scripts/generate_namespace.py``; ``tests/test_namespaces.py`` fails when
this module and the ontology differ. A term the ontology does not declare fails at import:

>>> str(CN.Membership)
'https://w3id.org/citynet/ontology#Membership'
>>> CN.Netwrk
Traceback (most recent call last):
AttributeError: term 'Netwrk' not in namespace 'https://w3id.org/citynet/ontology#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace


class CN(DefinedNamespace):
    """The citynet ontology, closed: its classes and properties, each with its English label."""

    _NS = Namespace("{iri}")
    _fail = True
'''


def read_terms(ontology: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The ontology's ``cn:`` terms by kind: ``(section, [(local name, label), ...])``, sorted."""
    graph = Graph().parse(ontology, format="turtle")
    sections = []
    for title, kind in SECTIONS:
        terms = []
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(CN_IRI):
                labels = [str(label) for label in graph.objects(term, RDFS.label) if label.language == "en"]
                terms.append((str(term)[len(CN_IRI) :], min(labels, default="")))
        sections.append((title, sorted(terms, key=lambda pair: (pair[0].lower(), pair[0]))))
    return sections


def render(ontology: Path = ONTOLOGY) -> str:
    """The text of the namespace module for ``ontology``."""
    lines = [HEADER.replace("{iri}", CN_IRI)]
    for title, terms in read_terms(ontology):
        lines.append(f"\n    # {title}\n")
        lines.extend(f"    {name}: URIRef  # {label}\n" for name, label in terms)
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the module, or with ``--check`` only compare it; 0 when it is (now) up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if MODULE.read_text(encoding="utf-8") != text:
            print(
                f"{MODULE.relative_to(ROOT)} is out of date - run python scripts/generate_namespace.py",
                file=sys.stderr,
            )
            return 1
        return 0
    MODULE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
