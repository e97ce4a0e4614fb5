"""A strict, line-aware YAML reader for front matter and helpcenter.yml.

PyYAML's safe loader is used only to *compose* the node tree; we never construct Python
objects from it. That gives us, per value, the text the editor wrote and its line, and it
shuts out every YAML hazard at once: no tags beyond the core schema (``!!python/object`` is
refused, never run), no aliases (so no billion-laughs expansion), and duplicate keys are
errors instead of last-one-wins.
"""

from __future__ import annotations

from dataclasses import dataclass
import unicodedata
from typing import Union

import yaml
from yaml.events import AliasEvent

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {
    _CORE + "str": "str",
    _CORE + "int": "int",
    _CORE + "float": "float",
    _CORE + "bool": "bool",
    _CORE + "null": "null",
    _CORE + "timestamp": "timestamp",
}


@dataclass(frozen=True)
class Scalar:
    text: str
    """Exactly what the editor wrote (unquoted), before any YAML 1.1 coercion."""
    kind: str
    """What YAML would have made of it: str, int, float, bool, null or timestamp."""
    line: int
    quoted: bool


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    line: int


@dataclass(frozen=True)
class Entry:
    key: str
    key_line: int
    value: Node


@dataclass(frozen=True)
class Map:
    entries: tuple[Entry, ...]
    line: int

    def get(self, key: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


Node = Union[Scalar, Seq, Map]


class YamlError(Exception):
    """A YAML problem at a 1-based line of the YAML text."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Duplicate:
    key: str
    line: int
    first_line: int

    def message(self, offset: int = 0) -> str:
        return f"{shown(self.key)}: duplicate key (first given on line {self.first_line + offset})"


@dataclass(frozen=True)
class Loaded:
    node: Node | None
    """None for an empty document."""
    duplicates: tuple[Duplicate, ...]
    """Repeated keys: reported as errors, the first occurrence is kept."""


ALIASES = "YAML syntax error: YAML aliases (*name) are not supported here"


class _Loader(yaml.SafeLoader):
    """The pure-Python loader, for PyYAML builds without libyaml: refuses aliases as it composes."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not supported here", event.start_mark
            )
        return super().compose_node(parent, index)


# libyaml composes about twelve times faster; aliases are then caught in _convert.
_LOADER = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else _Loader


MAX_DEPTH = 50
_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})


def load_yaml(text: str) -> Loaded:
    """Parse one YAML document into our node tree. Raises YamlError (1-based line).

    NEL, U+2028 and U+2029 are line breaks to YAML but not to editors' tools; they are read as
    spaces so that reported lines match the file.
    """
    text = text.translate(_BREAKS)
    deep = _too_deep(text)
    if deep is not None:
        raise YamlError(deep, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)")
    try:
        loader = _LOADER(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        character = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise YamlError(line, f"the YAML contains a character it does not allow: {character!r}") from None
    except yaml.MarkedYAMLError as exc:
        raise YamlError(_mark_line(exc), _describe(exc)) from None
    except yaml.YAMLError as exc:  # anything else PyYAML raises without a position
        raise YamlError(1, "YAML error: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise YamlError(1, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)") from None
    if root is None:
        return Loaded(None, ())
    duplicates: list[Duplicate] = []
    return Loaded(_convert(root, duplicates, 0, set()), tuple(duplicates))


def _convert(node: yaml.Node, duplicates: list[Duplicate], depth: int, seen: set[int], parent_line: int = 1) -> Node:
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise YamlError(line, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)")
    if id(node) in seen:  # libyaml composes an alias as the anchored node itself
        raise YamlError(parent_line, ALIASES)
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        kind = _SCALAR_TAGS.get(node.tag)
        if kind is None:
            raise YamlError(line, f"the YAML tag {_short_tag(node.tag)} is not allowed (plain values only)")
        # NFC here too: escapes like "\u0301" are expanded after the file was normalised.
        return Scalar(unicodedata.normalize("NFC", node.value), kind, line, quoted=node.style in ("'", '"'))
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _CORE + "seq":
            raise YamlError(line, f"the YAML tag {_short_tag(node.tag)} is not allowed (plain values only)")
        return Seq(tuple(_convert(item, duplicates, depth + 1, seen, line) for item in node.value), line)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _CORE + "map":
            raise YamlError(line, f"the YAML tag {_short_tag(node.tag)} is not allowed (plain values only)")
        entries: list[Entry] = []
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_line, "a key must be a plain word, not a list or mapping")
            if key_node.tag == _CORE + "merge":
                raise YamlError(key_line, "YAML merge keys (<<) are not supported here")
            key = unicodedata.normalize("NFC", key_node.value)
            if key in first_seen:
                duplicates.append(Duplicate(key, key_line, first_seen[key]))
                continue
            first_seen[key] = key_line
            entries.append(Entry(key, key_line, _convert(value_node, duplicates, depth + 1, seen, key_line)))
        return Map(tuple(entries), line)
    raise YamlError(line, "unsupported YAML node")  # pragma: no cover - PyYAML has only three


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _mark_line(exc: yaml.MarkedYAMLError) -> int:
    """The line to show. PyYAML marks where it noticed the problem; when that is the end of the
    text (an unclosed quote or bracket) or a key's missing colon, the construct's start (the
    context mark) is the line the editor must fix."""
    problem, context = exc.problem_mark, exc.context_mark
    if context is not None and problem is not None:
        at_end = problem.pointer >= len(problem.buffer or "") - 1 if problem.buffer else False
        starts = ("while scanning a simple key", "while scanning a quoted scalar", "while parsing a flow")
        if at_end or (exc.context or "").startswith(starts):
            return context.line + 1
    mark = problem or context
    return mark.line + 1 if mark is not None else 1


def _too_deep(text: str) -> int | None:
    """The line where flow brackets nest beyond MAX_DEPTH (PyYAML would recurse until it fails)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for char in line:
            if char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return number
            elif char in "]}":
                depth = max(0, depth - 1)
    return None


def _describe(exc: yaml.MarkedYAMLError) -> str:
    parts = [" ".join(p.split()) for p in (exc.context, exc.problem) if p]
    text = "; ".join(parts) if parts else "invalid YAML"
    return f"YAML syntax error: {text}"


def shown(text: str, limit: int = 60) -> str:
    """A value as one short line for a message: newlines and tabs escaped, long text cut."""
    text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_node(node: Node) -> str:
    """How a value reads in an error message: 'got "many"', 'got a list'."""
    if isinstance(node, Scalar):
        if node.kind == "null" and not node.quoted:
            return "nothing" if node.text in ("", "~") else f'"{shown(node.text)}"'
        return f'"{shown(node.text)}"'
    if isinstance(node, Seq):
        return "a list"
    return "a mapping"
