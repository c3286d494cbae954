"""Write a fact file (:class:`citynet.sources.model.FactFile`) as YAML that ``read_fact_file`` reads back.

Importers write ``graph/imported/<id>.yaml`` with it: regenerated, never hand-edited, diffable
(keys in a fixed order, one member a line).
"""

from __future__ import annotations

from citynet.sources.model import FactFile


def write_fact_file(facts: FactFile, header: str = "") -> str:
    """The YAML text of ``facts``, ``header`` (comment lines) first."""
    raise NotImplementedError("issue 17: the fact file writer")
