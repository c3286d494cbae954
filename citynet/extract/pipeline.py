"""One document through every finder to its networks: the extractor, started once per run.

>>> from citynet.extract.model import Document
>>> extractor = Extractor(gazetteer=None, registry=Registry.of([]), find_places=lambda t, l, g: [])
>>> extractor.propose(Document("Nothing here.", "en", "0" * 64, "text/plain"))
[]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citynet.extract.assemble import Found, assemble_networks
from citynet.extract.model import Document, PlaceMention
from citynet.extract.names import find_networks
from citynet.extract.networks import KnownNetwork, Registry
from citynet.extract.programmes import find_programmes
from citynet.sources.model import Network


def no_countries(text: str, lang: str) -> list[Any]:
    return []


def no_references(text: str, lang: str, places: list[PlaceMention]) -> list[PlaceMention]:
    return []


@dataclass
class Extractor:
    """The gazetteer and the registry, loaded once, and the finders that use them."""

    gazetteer: Any
    registry: Registry
    find_places: Callable[[str, str, Any], list[PlaceMention]]
    find_countries: Callable[[str, str], list[Any]] = no_countries
    finders: list[Callable[[str, str], list[Any]]] = field(default_factory=list)
    find_references: Callable[[str, str, list[PlaceMention]], list[PlaceMention]] = no_references

    def find(self, document: Document) -> Found:
        text, lang = document.text, document.language
        places = self.find_places(text, lang, self.gazetteer)
        return Found(
            document,
            sorted(places + self.find_references(text, lang, places), key=lambda p: p.span.start),
            self.find_countries(text, lang),
            find_networks(text, lang, self.registry),
            find_programmes(text),
            [value for finder in self.finders for value in finder(text, lang)],
        )

    def propose(self, document: Document) -> list[Network]:
        return assemble_networks(self.find(document))


def start_extractor(root: Path | None, known: list[KnownNetwork]) -> Extractor:
    """The extractor with citynet's gazetteer (GeoNames, the graph's labels and pins; from the
    project's ``.citynet/cache/`` when it is current) and registry."""
    from citynet.extract import coreference, mentions, values  # the heavy modules: loaded at start

    return Extractor(
        gazetteer=mentions.load_gazetteer(root),
        registry=Registry.of(known),
        find_places=mentions.find_places,
        find_countries=mentions.find_countries,
        finders=[values.find_values],
        find_references=coreference.find_references,
    )
