"""Read YAML keeping line numbers, with strict, surprise-free scalars.

Dates stay strings (``2015-02-30`` is reported by the fact reader, not crashed on by PyYAML),
only ``true``/``false`` are booleans (``NO`` is Norway, not False), and duplicate keys are errors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from citynet.errors import FactError


class LineDict(dict):
    """A mapping that remembers the line of each key.

    >>> d = read_yaml_text("a: 1\\nb: 2\\n", "x.yaml")
    >>> d.key_lines["b"]
    2
    """

    line: int = 0
    key_lines: dict[str, int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built with it
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp",
                                                             "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml_text(text: str, path: str) -> Any:
    """Parse YAML text; a syntax error becomes a one-line :class:`FactError` with the line."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem_mark
        at_end = "stream end" in str(exc.problem) or (problem is not None
                                                      and problem.index >= len(text.rstrip()))
        # an unclosed bracket is found at the end of the file: point at its opening instead
        mark = (exc.context_mark if at_end else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise FactError(f"malformed YAML: {exc.problem}", path, line) from None
    except yaml.YAMLError as exc:
        raise FactError(f"malformed YAML: {exc}", path) from None


def read_yaml(path: Path) -> Any:
    """Read and parse one YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FactError(f"cannot read: {exc}", str(path)) from None
    return read_yaml_text(text, str(path))
