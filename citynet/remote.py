"""A SPARQL 1.1 endpoint as the store (work in progress: filled in by issue 3)."""

from __future__ import annotations

from dataclasses import dataclass

from citynet.errors import CitynetError


@dataclass
class RemoteStore:
    """A SPARQL endpoint answering like :class:`citynet.store.EmbeddedStore`."""

    endpoint: str

    def query(self, text: str, prefixes: dict[str, str] | None = None, substitutions=None):
        raise CitynetError("remote endpoints are not supported yet")
