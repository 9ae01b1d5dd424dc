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

import hashlib
import json
from pathlib import Path
from typing import Any

from lmkg.errors import GraphFileError

from ._gc import paused_gc
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


def fingerprint(path: Path) -> str:
    """A hash of the names, sizes and contents of the data files under ``path``: the YAML, and
    the registry snapshot and review table under ``registry/``. A saved graph's
    ``meta["data_fingerprint"]`` is compared with it to tell that the graph is older than its
    data."""
    h = hashlib.sha256()
    if path.is_file():
        files = [path]
    else:
        files = sorted({*(p for p in path.rglob("*.y*ml") if p.is_file()),
                        *(p for p in (path / "registry").rglob("*") if p.is_file())})
    for f in files:
        h.update(str(f.relative_to(path if path.is_dir() else path.parent)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


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
    from lmkg.atomic import atomic_write  # here: the verbs that only read the file skip it

    with atomic_write(path, "wb") as fh:
        fh.write(_dumps(doc))
    kg.path = str(path)
    return path


def _read(path: Path, size: int | None = None) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read() if size is None else fh.read(size)
    except FileNotFoundError:
        raise GraphFileError(f"no built graph at {path} (run: lmkg build -o {path})") from None
    except OSError as exc:
        raise GraphFileError(f"cannot read {path}: {exc.strerror}") from None


def _document(path: Path, raw: bytes) -> dict[str, Any]:
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
    return doc


def load_graph(path: str | Path) -> KnowledgeGraph:
    """The graph saved at ``path`` (:func:`save_graph`); :class:`GraphFileError` if the file is
    missing, not a graph file, of another format version, or damaged."""
    path = Path(path)
    # The cyclic collector paused while the file is parsed and the graph made: both allocate
    # only acyclic objects that stay alive, and every collection walked them again (about 40%
    # of opening the curated graph, which is most of a read-only verb's own time).
    with paused_gc():
        doc = _document(path, _read(path))
        kg = KnowledgeGraph()
        kg.meta = doc.get("meta", {})
        kg.path = str(path)
        try:
            kg.add_saved(doc["nodes"], doc["edges"])
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise GraphFileError(f"{path} is damaged ({type(exc).__name__}: {exc})") from None
    return kg


# What save_graph writes first: a file that starts so has its meta next, read without the rest.
_HEAD = _dumps({"format": FORMAT, "version": VERSION, "meta": 0})[:-2]


def read_meta(path: str | Path) -> dict[str, Any]:
    """The ``meta`` of the graph saved at ``path``, read from the start of the file only (a
    query answered from a cache needs no more); the whole file when it is not laid out as
    :func:`save_graph` writes it. Raises :class:`GraphFileError` as :func:`load_graph` does."""
    path = Path(path)
    size = 1 << 16
    while True:
        head = _read(path, size)
        if not head.startswith(_HEAD) or len(head) < size:
            break
        try:
            meta, _end = json.JSONDecoder().raw_decode(
                head[len(_HEAD):].decode("utf-8", errors="replace"))
        except ValueError:
            size *= 8  # the meta goes on beyond what was read
            continue
        if isinstance(meta, dict):
            return meta
        break
    meta = _document(path, _read(path)).get("meta", {})
    return meta if isinstance(meta, dict) else {}


def file_key(path: str | Path) -> str:
    """A short hash of a saved graph's content: the name of the caches built from it."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()[:16]


def older_than_data(meta: dict[str, Any]) -> Path | None:
    """The data folder a saved graph was built from, when that folder has changed since (its
    fingerprint differs from the one in ``meta``); None when unchanged or unknown."""
    data_dir = meta.get("data_dir")
    if not data_dir or not meta.get("data_fingerprint") or not Path(data_dir).exists():
        return None
    return Path(data_dir) if fingerprint(Path(data_dir)) != meta["data_fingerprint"] else None
