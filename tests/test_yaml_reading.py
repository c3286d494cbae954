"""The YAML reader builds plain strings, lists and mappings directly and leaves every other tag to
PyYAML's safe constructors: both kinds in one document come out as PyYAML reads them."""

from __future__ import annotations

import gc
from decimal import Decimal

import pytest

from citynet.errors import FactError
from citynet.sources.yamlfile import paused_gc, read_yaml_text

DOCUMENT = """\
name: Kraków
explicit: !!str 2015
number: 12
rate: 0.80
flag: true
empty:
norway: NO
tags: !!set {a: null}
pairs: !!omap [{x: 1}, {y: 2}]
members:
  - city: Celje
    role: partner
  - [nested, [deeper]]
"""


def test_direct_and_generic_values_together() -> None:
    data = read_yaml_text(DOCUMENT, "f.yaml")
    assert data == {
        "name": "Kraków",
        "explicit": "2015",
        "number": 12,
        "rate": Decimal("0.80"),
        "flag": True,
        "empty": None,
        "norway": "NO",
        "tags": {"a"},
        "pairs": [("x", 1), ("y", 2)],
        "members": [{"city": "Celje", "role": "partner"}, ["nested", ["deeper"]]],
    }
    assert data.key_lines["members"] == 10
    assert data["members"][0].line == 11
    assert data["members"][0].key_lines == {"city": 11, "role": 12}


def test_a_repeated_scalar_keeps_its_own_tag_when_quoted() -> None:
    # the tags are remembered by text and quoting: "12" quoted stays a string after a plain 12
    assert read_yaml_text("a: 12\nb: '12'\nc: 12\n", "f.yaml") == {"a": 12, "b": "12", "c": 12}


def test_duplicate_keys_are_still_refused_in_directly_built_mappings() -> None:
    with pytest.raises(FactError, match=r"f.yaml:3: malformed YAML: duplicate key 'role'"):
        read_yaml_text("- city: Celje\n  role: partner\n  role: lead\n", "f.yaml")


def test_the_collector_is_back_after_a_failed_read() -> None:
    with pytest.raises(FactError):
        read_yaml_text("a: [1\n", "f.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # a pause inside a pause leaves the outer one as it was
    finally:
        gc.enable()
