"""Read YAML keeping line numbers, with strict, surprise-free scalars.

Dates stay strings (``2015-02-30`` is reported by the fact reader, not crashed on by PyYAML),
only ``true``/``false`` are booleans (``NO`` is Norway, not False), numbers with a fraction are
exact :class:`~decimal.Decimal` values read from their text (never floats), and duplicate keys
are errors.

A file is read only if it is a regular file inside the project (no FIFO, device or symlink out
of the project) and not too big; before PyYAML builds anything, its events are scanned with an
explicit stack, so aliases (a 396-byte alias bomb expands to 9^9 nodes) and deep nesting (PyYAML
composes recursively) are refused with the line where they start.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from citynet.errors import FactError

MAX_BYTES = 512 * 1024 * 1024  # a fact file: the 1M-membership bench files are far below
MAX_DEPTH = 50  # nested mappings and lists; the seed files need 7
SHOWN = 60  # characters of a value quoted in an error message


class LineDict(dict):
    """A mapping that remembers the line of each key.

    >>> d = read_yaml_text("a: 1\\nb: 2\\n", "x.yaml")
    >>> d.key_lines["b"]
    2
    >>> LineDict().key_lines
    {}
    """

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}


STR_TAG, SEQ_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built with it
    """The safe loader with the scalars' tags remembered and plain strings, lists and mappings built
    directly (a big fact file repeats its roles, countries and field names hundreds of thousands
    of times; PyYAML resolves each with regular expressions and builds each through its generic
    machinery). Anything else goes the generic way. The checks before it make this safe: no
    aliases (no node is built twice) and at most :data:`MAX_DEPTH` levels (the recursion is short).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """A node's tag; a plain scalar's is a function of its text alone (no path resolvers)."""
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self.tags.get(key)
        if tag is None:
            tag = self.tags[key] = super().resolve(kind, value, implicit)
        return tag

    def construct_document(self, node: yaml.Node) -> Any:
        """The document's value, built by :meth:`build`."""
        return self.build(node)

    def build(self, node: yaml.Node) -> Any:
        """A node's value: strings and lists directly, mappings by :func:`_construct_mapping`."""
        kind, tag = type(node), node.tag
        if kind is yaml.ScalarNode and tag == STR_TAG:
            return node.value
        if kind is yaml.SequenceNode and tag == SEQ_TAG:
            return [self.build(item) for item in node.value]
        if kind is yaml.MappingNode and tag == yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG:
            return _construct_mapping(self, node)
        return self.construct_object(node, deep=True)


# YAML 1.1's surprises left out: yes/no/on/off booleans, timestamps, sexagesimal numbers (10:30
# read as 630), octal (0123 as 83), hex and binary integers, and the merge (<<) and value (=) keys.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag.rsplit(":", 1)[-1] not in ("timestamp", "bool", "int", "float", "merge", "value")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def show(value: Any) -> str:
    """A value as an error message quotes it: ``repr``, cut to a few dozen characters.

    >>> show("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"
    >>> show(["a"]), show(Decimal("1.0E+400"))
    ("['a']", '1.0E+400')
    """
    text = str(value) if isinstance(value, Decimal) else repr(value)  # 1.0E+400, not Decimal('1.0E+400')
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.MarkedYAMLError(
                problem="a list or mapping cannot be a key - expected a field name",
                problem_mark=key_node.start_mark,
            )
        key = loader.build(key_node)
        line = key_node.start_mark.line + 1
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {show(key)}", problem_mark=key_node.start_mark)
        result[key] = loader.build(value_node)
        result.key_lines[key] = line
    return result


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    """A YAML float as the exact decimal its text says (``.inf`` and ``.nan`` as Decimal's own)."""
    text = str(loader.construct_scalar(node)).replace("_", "").lower()
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    try:
        return Decimal(special.get(text, text))
    except InvalidOperation:  # an explicit !!float PyYAML reads its own way (1:30.5) or refuses
        return Decimal(str(loader.construct_yaml_float(node)))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector, then put it back as it was (nested pauses are fine).

    Reading a big fact file makes millions of objects and no cycles, and each of the collector's
    passes walks every live object: for a file of 20k memberships, 2.7 s of parsing became 0.6 s
    with it paused.

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_events(text: str, path: str) -> None:
    """Refuse aliases and nesting deeper than :data:`MAX_DEPTH` before anything is composed.

    >>> check_events("a: &x [1]\\nb: *x\\n", "f.yaml")
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: f.yaml:2: YAML alias '*x' - aliases are not supported, write the value out
    >>> check_events("a: " + "[" * 60 + "]" * 60, "f.yaml")
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: f.yaml:1: nesting deeper than 50 levels - expected fields, lists and values
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise FactError(
                f"YAML alias '*{event.anchor}' - aliases are not supported, write the value out",
                path,
                event.start_mark.line + 1,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise FactError(
                    f"nesting deeper than {MAX_DEPTH} levels - expected fields, lists and values",
                    path,
                    event.start_mark.line + 1,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def read_yaml_text(text: str, path: str) -> Any:
    """Parse YAML text; a syntax error becomes a one-line :class:`FactError` with the line.

    >>> read_yaml_text("budget: 12345678901234567.89", "f.yaml")["budget"]
    Decimal('12345678901234567.89')
    >>> data = read_yaml_text("[10:30, 0123, 0x1F, 1_000, -.5, NO, yes, true, 2015-01-01, =]", "f.yaml")
    >>> data
    ['10:30', '0123', '0x1F', 1000, Decimal('-0.5'), 'NO', 'yes', True, '2015-01-01', '=']
    >>> read_yaml_text("a: [1, 2]\\n[b]: 3\\n", "f.yaml")
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: f.yaml:2: malformed YAML: a list or mapping cannot be a key - expected ...
    """
    try:
        check_events(text, path)
        with paused_gc():
            return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem_mark
        at_end = "stream end" in str(exc.problem) or (
            problem is not None and problem.index >= len(text.rstrip())
        )
        # an unclosed bracket is found at the end of the file: point at its opening instead
        mark = (exc.context_mark if at_end else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise FactError(f"malformed YAML: {exc.problem}", path, line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: say on which line
        data = text.encode("utf-8") if yaml.__with_libyaml__ else text  # libyaml counts bytes
        line = data[: exc.position].count(b"\n" if isinstance(data, bytes) else "\n") + 1  # type: ignore
        raise FactError(
            f"malformed YAML: {first_line(str(exc.reason))} - {describe_char(exc.character)}", path, line
        ) from None
    except yaml.YAMLError as exc:
        raise FactError(f"malformed YAML: {first_line(str(exc))}", path) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise FactError(f"unreadable value: {first_line(str(exc))}", path) from None


def describe_char(char: str | int | bytes) -> str:
    """The character a YAML reader refused, as an escape.

    >>> describe_char("\\x00"), describe_char(27)
    ('character \\\\x00', 'character \\\\x1b')
    """
    code = char if isinstance(char, int) else ord(char) if len(char) == 1 else None
    return f"character \\x{code:02x}" if code is not None and code < 0x100 else "a character YAML refuses"


def first_line(text: str) -> str:
    """The first line of a message, cut to 200 characters.

    >>> first_line("one\\ntwo")
    'one'
    """
    lines = text.strip().splitlines()
    return lines[0][:200] if lines else ""


def check_inside(path: Path, root: Path | None) -> None:
    """Refuse a path (a symlink, or through one) that resolves outside ``root``."""
    if root is None:
        return
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise FactError(f"cannot read: {exc.__class__.__name__} resolving the path", str(path)) from None
    if not inside:
        raise FactError(
            f"is a link to a file outside the project {str(root)!r} - expected a fact file inside it",
            str(path),
        )


def read_bytes(path: Path, root: Path | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file inside ``root``, at most ``limit`` of them.

    A FIFO or a device is refused before anything is read (the open does not wait for a writer).

    >>> read_bytes(Path("/dev/zero"))
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: /dev/zero: is a character device, not a regular file - expected a YAML fact file
    """
    check_inside(path, root)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise FactError(f"cannot read: {exc.strerror}", str(path)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):  # checked before fdopen, which refuses a folder with an OSError
        os.close(fd)
        raise FactError(
            f"is a {describe_mode(mode)}, not a regular file - expected a YAML fact file", str(path)
        )
    with os.fdopen(fd, "rb") as handle:
        if os.fstat(fd).st_size > limit:
            raise FactError(f"is bigger than {limit >> 20} MB - split it into several fact files", str(path))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise FactError(f"cannot read: {exc.strerror}", str(path)) from None
    if len(data) > limit:
        raise FactError(f"is bigger than {limit >> 20} MB - split it into several fact files", str(path))
    return data


def describe_mode(mode: int) -> str:
    """What a file that is not a regular file is.

    >>> describe_mode(stat.S_IFIFO)
    'FIFO (named pipe)'
    """
    kinds = [
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "special file")


def read_yaml(path: Path, root: Path | None = None) -> Any:
    """Read and parse one YAML file (a regular file inside ``root`` when it is given)."""
    data = read_bytes(path, root)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactError(
            f"cannot read: not UTF-8 text (byte {exc.start}) - save it as UTF-8", str(path)
        ) from None
    return read_yaml_text(text, str(path))
