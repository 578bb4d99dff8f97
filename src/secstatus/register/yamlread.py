"""One YAML record file to plain Python, refusing what a record cannot hold, with positions on demand.

PyYAML's C composer (the pure-Python one where libyaml is missing) builds the node tree; a walk
turns it into plain Python, refusing duplicate keys, non-plain tags, non-string keys, impossible
dates and alias bombs. Where every key and value stands is worked out only when a diagnostic or
an edit asks for it (``Source``), by walking the text again: most files never need it; a file
sure to be asked has it noted from the same parse (``parse_yaml(..., positions=True)``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ..domain.diagnostics import Diagnostic, error

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - libyaml missing
    # the pure-Python loader in the C one's name: its stubs type the two as different classes
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


_SCALAR = yaml.ScalarNode

MAX_NODES = 50_000
"""More YAML nodes than this in one file (after alias expansion) is refused as an alias bomb."""

MAX_TEXT_CHARS = 10_000
"""A text value longer than this (about three pages) is refused: a summary is a paragraph."""

PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)

_STR = "tag:yaml.org,2002:str"
_DATE = "tag:yaml.org,2002:timestamp"

Position = tuple[int, int]
PathKey = tuple[Any, ...]


class LoadError(Exception):
    """A file cannot become a record; carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class Source:
    """Where a record came from: its file, and the position of every key and value in it.

    Positions are found on first use, by walking the file's text again: most files never need
    one (only those with a diagnostic, or an edit), and the maps are larger than the record.
    """

    __slots__ = ("_keys", "_text", "_values", "path", "rel")

    def __init__(self, path: Path, rel: str, text: str = ""):
        self.path = path
        self.rel = rel
        self._text = text
        self._values: dict[PathKey, Position] | None = None
        self._keys: dict[PathKey, Position] | None = None

    def __repr__(self) -> str:
        return f"Source({str(self.path)!r}, {self.rel!r})"

    @property
    def text(self) -> str:
        """The file's text, as it was read."""
        return self._text

    @property
    def values(self) -> dict[PathKey, Position]:
        """The position of every value (and of the document, at ``()``), by its path of keys and indexes."""
        if self._values is None:
            return self._find_positions()[0]
        return self._values

    @property
    def keys(self) -> dict[PathKey, Position]:
        """The position of every mapping key, by the path of the value it names."""
        if self._keys is None:
            return self._find_positions()[1]
        return self._keys

    def _find_positions(self) -> tuple[dict[PathKey, Position], dict[PathKey, Position]]:
        values: dict[PathKey, Position] = {}
        keys: dict[PathKey, Position] = {}
        self._values, self._keys = values, keys
        if self._text:
            _note_positions(_compose(self._text, self.rel), (), values, keys)
        return values, keys

    def resolve(self, loc: PathKey) -> PathKey:
        """The parts of a Pydantic location that are in the file (not a union's tag)."""
        values = self.values
        path: PathKey = ()
        for part in loc:
            if path + (part,) in values:
                path = path + (part,)
        return path

    def at(self, loc: PathKey, key: bool = False) -> Position:
        """The position of the deepest part of ``loc`` found in the file; ``key`` prefers the key's."""
        path = self.resolve(loc)
        table = self.keys if key and path in self.keys else self.values
        return table.get(path, (1, 1))


def parse_yaml(text: str, path: Path, rel: str, positions: bool = False) -> tuple[Any, Source]:
    """Compose one YAML document and convert it to Python; its positions are found when asked for,
    or with ``positions`` at once, from the same parse (for a file sure to be asked: half the cost)."""
    node = _compose(text, rel)
    data = _Walker(rel).convert(node)
    source = Source(path, rel, text)
    if positions:
        source._values, source._keys = {}, {}
        _note_positions(node, (), source._values, source._keys)
    return data, source


def _compose(text: str, rel: str) -> yaml.MappingNode:
    """The document's node tree, or the diagnostic that refuses it."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _inside(text, *((mark.line + 1, mark.column + 1) if mark else (1, 1)))
        context = exc.context
        if context and exc.context_mark and exc.context_mark.line + 1 != line:
            context += f" (line {exc.context_mark.line + 1})"
        message = " ".join(str(part) for part in (context, exc.problem) if part)
        if "invalid Unicode character escape" in message:  # libyaml's word for an escaped lone surrogate
            raise LoadError(
                error(
                    rel,
                    line,
                    column,
                    "noncharacter",
                    "an escape for a lone surrogate or past "
                    "U+10FFFF: no XML document (the site's feed) can hold it; remove it",
                )
            ) from None
        raise LoadError(error(rel, line, column, "yaml-syntax", f"YAML syntax: {message}")) from None
    except yaml.YAMLError as exc:  # a reader error (bad character) carries no mark
        raise LoadError(error(rel, 1, 1, "yaml-syntax", f"YAML: {exc}")) from None
    finally:
        loader.dispose()
    if node is None:
        raise LoadError(error(rel, 1, 1, "empty-file", "no record: the file holds only comments"))
    if not isinstance(node, yaml.MappingNode):
        line, column = _mark(node)
        raise LoadError(error(rel, line, column, "not-a-mapping", "a record file holds one YAML mapping"))
    return node


def _inside(text: str, line: int, column: int) -> Position:
    """A position inside the file's lines: the end of input is the end of the last line."""
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, column


def _mark(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _note_positions(
    node: yaml.Node, path: PathKey, values: dict[PathKey, Position], keys: dict[PathKey, Position]
) -> None:
    """Note where every value and key of a document that ``_Walker`` accepted stands: there,
    every key is a plain string scalar, so its text is its name."""
    mark = node.start_mark
    values[path] = (mark.line + 1, mark.column + 1)
    if node.__class__ is yaml.MappingNode:
        for key_node, value_node in node.value:
            where = path + (key_node.value,)
            mark = key_node.start_mark
            keys[where] = (mark.line + 1, mark.column + 1)
            _note_positions(value_node, where, values, keys)
    elif node.__class__ is yaml.SequenceNode:
        for i, item in enumerate(node.value):
            _note_positions(item, path + (i,), values, keys)


class _Walker:
    """Converts composed YAML nodes to Python, refusing duplicates, tags and alias bombs."""

    def __init__(self, rel: str):
        self.rel = rel
        self.nodes = 0
        self.constructor: yaml.constructor.SafeConstructor | None = None

    def convert(self, node: yaml.Node) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._too_large(node)
        kind = node.__class__
        if kind is yaml.ScalarNode and node.tag == _STR and len(node.value) <= MAX_TEXT_CHARS:
            return node.value  # most nodes: the shortest way
        if node.tag not in PLAIN_TAGS:
            raise LoadError(
                error(
                    self.rel,
                    *_mark(node),
                    "yaml-tag",
                    f"unsupported YAML tag {node.tag}: records hold plain values only",
                )
            )
        if type(node) is yaml.MappingNode:  # as ``kind``, narrowing ``node`` for the type checker
            return self._mapping(node)
        if kind is yaml.SequenceNode:
            return [self.convert(item) for item in node.value]
        return self._scalar(node)

    def _too_large(self, node: yaml.Node) -> LoadError:
        return LoadError(
            error(self.rel, *_mark(node), "too-large", f"more than {MAX_NODES} YAML nodes (alias expansion?): refused")
        )

    def _mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        # A plain string key or value is taken here, without a call (most of a file's nodes).
        for key_node, value_node in node.value:
            if key_node.__class__ is _SCALAR and key_node.tag == _STR and len(key_node.value) <= MAX_TEXT_CHARS:
                key = key_node.value
            else:
                key = self._scalar(key_node) if key_node.__class__ is _SCALAR else None
            if key.__class__ is not str or not key.isidentifier():  # a key is echoed in messages: no line breaks
                raise LoadError(error(self.rel, *_mark(key_node), "bad-key", "keys must be plain words"))
            if key in result:
                raise LoadError(
                    error(
                        self.rel,
                        *_mark(key_node),
                        "duplicate-key",
                        f"duplicate key '{key}' (first given on line {self._first(node, key)})",
                    )
                )
            if value_node.__class__ is _SCALAR and value_node.tag == _STR and len(value_node.value) <= MAX_TEXT_CHARS:
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    raise self._too_large(value_node)
                result[key] = value_node.value
            else:
                result[key] = self.convert(value_node)
        return result

    def _first(self, node: yaml.MappingNode, key: str) -> int:
        """The line of the first ``key`` in a mapping that repeats it."""
        return next(k.start_mark.line + 1 for k, _ in node.value if self._scalar(k) == key)

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if len(node.value) > MAX_TEXT_CHARS:
            raise LoadError(
                error(
                    self.rel,
                    *_mark(node),
                    "too-long",
                    f"a value of {len(node.value)} characters: over the limit of {MAX_TEXT_CHARS}",
                )
            )
        if tag == _STR:
            return node.value
        if tag == _DATE and len(node.value) == 10:
            try:
                return dt.date.fromisoformat(node.value)
            except ValueError:
                pass  # the full constructor below explains what is wrong
        if self.constructor is None:
            self.constructor = yaml.constructor.SafeConstructor()
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError as exc:
            raise LoadError(
                error(self.rel, *_mark(node), "bad-date", f"impossible date '{node.value}': {exc}")
            ) from None
        except yaml.constructor.ConstructorError as exc:
            raise LoadError(
                error(self.rel, *_mark(node), "yaml-tag", f"unsupported YAML value: {exc.problem}")
            ) from None
