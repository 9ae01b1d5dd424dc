"""YAML reading that remembers where every value came from.

PyYAML's safe constructor forgets line numbers and silently keeps the last of two equal keys.
Here a document is composed into nodes and turned into :class:`LineDict` / :class:`LineList`
whose ``line`` and ``lines`` say where the mapping and each key's value start (1-based), and a
repeated key is reported, not overwritten.

Hostile documents are refused before they are built: nesting deeper than :data:`MAX_DEPTH`
(libyaml's composer recurses in C and would crash the process) and aliases that would expand
to more than :data:`MAX_EXPANSION` times the document's own size (the "billion laughs": a
kilobyte of nested anchors that expands to gigabytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class LineDict(dict):
    """A mapping with ``line`` (where it starts) and ``lines[key]`` (where each value starts)."""

    line: int = 0
    lines: dict[str, int]
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    line: int = 0
    lines: list[int]


@dataclass(frozen=True)
class YamlIssue:
    line: int | None
    reason: str


MAX_DEPTH = 64
MAX_EXPANSION = 10  # expanded values per value written, beyond a free allowance
EXPANSION_ALLOWANCE = 10_000


class YamlError(Exception):
    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def load_yaml(text: str) -> tuple[Any, list[YamlIssue]]:
    """Parse one YAML document; return the data and non-fatal issues (duplicate keys).

    Raises :class:`YamlError` (with the line) when the text is not YAML at all.
    """
    issues: list[YamlIssue] = []
    _check_depth(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlError(None, f"not valid YAML: {exc}") from None
    if node is not None:
        try:
            _check_expansion(node)
        except YamlError:
            loader.dispose()
            raise

    def convert(n: yaml.Node) -> Any:
        if isinstance(n, yaml.MappingNode):
            out = LineDict()
            out.line = n.start_mark.line + 1
            out.lines = {}
            out.key_lines = {}
            loader.flatten_mapping(n)
            for knode, vnode in n.value:
                key = convert(knode)
                if not isinstance(key, str):
                    key = str(key)
                if key in out:
                    issues.append(
                        YamlIssue(knode.start_mark.line + 1,
                                  f"key {key!r} appears twice in one mapping (first at line "
                                  f"{out.lines[key]}); the second was ignored")
                    )
                    continue
                out[key] = convert(vnode)
                out.lines[key] = vnode.start_mark.line + 1
                out.key_lines[key] = knode.start_mark.line + 1
            return out
        if isinstance(n, yaml.SequenceNode):
            seq = LineList(convert(v) for v in n.value)
            seq.line = n.start_mark.line + 1
            seq.lines = [v.start_mark.line + 1 for v in n.value]
            return seq
        return loader.construct_object(n, deep=True)

    try:
        data = None if node is None else convert(node)
    except yaml.YAMLError as exc:
        raise YamlError(None, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, issues


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, reading events only (no tree is built)."""
    parser = _Loader(text)
    depth = 0
    try:
        while parser.check_event():
            ev = parser.get_event()
            if isinstance(ev, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(ev.start_mark.line + 1,
                                    f"nested more than {MAX_DEPTH} levels deep; refused")
            elif isinstance(ev, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or exc
        # PyYAML 6.0.4's libyaml stops at its own nesting limit (1000) while scanning ahead,
        # before the events reach MAX_DEPTH here: the same refusal.
        if "maximum nesting depth" in str(problem):
            raise YamlError(line or 1,
                            f"nested more than {MAX_DEPTH} levels deep; refused") from None
        raise YamlError(line, f"not valid YAML: {problem}") from None
    finally:
        parser.dispose()


def _children(n: yaml.Node) -> list[yaml.Node]:
    if isinstance(n, yaml.MappingNode):
        return [x for pair in n.value for x in pair]
    if isinstance(n, yaml.SequenceNode):
        return list(n.value)
    return []


def _check_expansion(root: yaml.Node) -> None:
    """Refuse aliases that would expand the document beyond MAX_EXPANSION times its size.

    The composed tree shares one node per anchor; its expanded size (every alias and merge
    key counted as the copy it becomes) is computed once per node, children first, so the
    check takes time in proportion to what was written. An alias inside its own anchor would
    expand forever and is refused too.
    """
    size: dict[int, int] = {}
    open_: set[int] = set()
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    sized: list[yaml.Node] = []
    while stack:
        n, done = stack.pop()
        key = id(n)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(n))
            sized.append(n)
            continue
        if key in size:
            continue
        if key in open_:
            raise YamlError(n.start_mark.line + 1, "an alias refers to its own anchor "
                            "(it would expand forever); refused")
        open_.add(key)
        distinct += 1
        stack.append((n, True))
        for c in _children(n):
            if id(c) in open_:
                raise YamlError(c.start_mark.line + 1, "an alias refers to its own anchor "
                                "(it would expand forever); refused")
            if id(c) not in size:
                stack.append((c, False))
    limit = MAX_EXPANSION * distinct + EXPANSION_ALLOWANCE
    for n in sized:
        if size[id(n)] > limit:
            raise YamlError(n.start_mark.line + 1,
                            f"aliases expand to more than {limit:,} values from {distinct:,} "
                            "written (an alias bomb?); refused")
