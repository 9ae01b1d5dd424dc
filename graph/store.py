"""Saving and loading a built graph: one versioned JSON file.

Format ``lmkg-graph`` version 1::

    {"format": "lmkg-graph", "version": 1, "meta": {...},
     "nodes": [{"id": ..., "type": ..., "name": ..., ...}, ...],
     "edges": [[subject, VERB, object, {"sources": [...], ...}], ...]}

``meta`` records when and from what the graph was built (data fingerprint, sources, counts).
Loading checks the format and version and rebuilds the indexes; it does not re-validate every
node (the build did), which keeps loading fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lmkg.atomic import atomic_write
from lmkg.errors import GraphFileError

from .kg import KnowledgeGraph

FORMAT = "lmkg-graph"
VERSION = 1

try:  # orjson is several times faster on large graphs; plain json is the fallback
    import orjson

    def _dumps(obj: Any) -> bytes:
        return orjson.dumps(obj)

    def _loads(data: bytes) -> Any:
        return orjson.loads(data)
except ImportError:  # pragma: no cover
    def _dumps(obj: Any) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()

    def _loads(data: bytes) -> Any:
        return json.loads(data)


def save_graph(kg: KnowledgeGraph, path: str | Path) -> Path:
    path = Path(path)
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "meta": kg.meta,
        "nodes": [d for _, d in sorted(kg.g.nodes(data=True))],
        "edges": sorted(
            ([s, k, o, d] for s, o, k, d in kg.g.edges(keys=True, data=True)),
            key=lambda e: (e[0], e[1], e[2]),
        ),
    }
    with atomic_write(path, "wb") as fh:
        fh.write(_dumps(doc))
    kg.path = str(path)
    return path


def load_graph(path: str | Path) -> KnowledgeGraph:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GraphFileError(f"no built graph at {path} (run: lmkg build -o {path})") from None
    except OSError as exc:
        raise GraphFileError(f"cannot read {path}: {exc.strerror}") from None
    try:
        doc = _loads(raw)
    except ValueError as exc:
        raise GraphFileError(f"{path} is not an lmkg graph file (not JSON: {exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise GraphFileError(f"{path} is not an lmkg graph file (no 'format: {FORMAT}')")
    if doc.get("version") != VERSION:
        raise GraphFileError(
            f"{path} is format version {doc.get('version')}, this lmkg reads version {VERSION}; "
            "rebuild it with: lmkg build"
        )
    kg = KnowledgeGraph()
    kg.meta = doc.get("meta", {})
    kg.path = str(path)
    try:
        for node in doc["nodes"]:
            kg.add_node_data(node)
        for s, k, o, d in doc["edges"]:
            kg.add_edge_data(s, k, o, d)
    except (KeyError, ValueError, TypeError) as exc:
        raise GraphFileError(f"{path} is damaged ({type(exc).__name__}: {exc})") from None
    return kg
