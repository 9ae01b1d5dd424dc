"""YAML reading that remembers where every value came from.

PyYAML's safe constructor forgets line numbers and silently keeps the last of two equal keys.
Here a document is composed into nodes and turned into :class:`LineDict` / :class:`LineList`
whose ``line`` and ``lines`` say where the mapping and each key's value start (1-based), and a
repeated key is reported, not overwritten.
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
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlError(None, f"not valid YAML: {exc}") from None

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
