"""The Python API: build the graph from data, open a saved one, find the defaults."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lmkg.errors import DataError

if TYPE_CHECKING:
    from lmkg.graph import KnowledgeGraph
    from lmkg.loaders import LoadResult

_REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def default_data_dir() -> Path:
    """``$LMKG_DATA``, else the dataset shipped with lmkg."""
    env = os.environ.get("LMKG_DATA")
    if env:
        return Path(env)
    if (_REPO_DATA / "README.md").exists():  # a source checkout or editable install
        return _REPO_DATA
    return Path(__file__).resolve().parent / "dataset"  # installed from a wheel


def default_graph_path() -> Path:
    """``$LMKG_GRAPH``, else ``build/lmkg-graph.json`` under the current directory."""
    return Path(os.environ.get("LMKG_GRAPH", "build/lmkg-graph.json"))


def build_with_report(
    data_dir: str | Path | None = None, lenient: bool = False
) -> tuple[KnowledgeGraph, LoadResult]:
    """Load the curated data and merge it into a graph; also return the load result.

    Raises :class:`DataError` listing the problems when the data has errors, unless
    ``lenient``, in which case the rejected records are left out (and listed in the result).
    """
    from lmkg.graph import fingerprint, merge
    from lmkg.loaders import get_loader

    path = Path(data_dir) if data_dir is not None else default_data_dir()
    result = get_loader("curated").load(path)
    if result.errors and not lenient:
        shown = "\n".join(str(p) for p in result.errors[:20])
        more = len(result.errors) - 20
        raise DataError(
            f"{len(result.errors)} error(s) in {path}:\n{shown}"
            + (f"\n... and {more} more (lmkg validate lists them all)" if more > 0 else "")
        )
    kg = merge([result])
    kg.meta = {
        "built_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "data_dir": str(path),
        "data_fingerprint": fingerprint(path) if path.exists() else None,
        "lenient": lenient,
        "rejected": len(result.rejected),
        "lmkg_version": __import__("lmkg").__version__,
    }
    return kg, result


def add_sources(kg: KnowledgeGraph, sources: list[tuple[str, str | Path]],
                progress: Callable[[str], None] | None = None) -> list[dict]:
    """Load each ``(loader name, path)`` and merge it into ``kg``; return one report per source.

    See :mod:`lmkg.graph.sources` for the identity-resolution rule. ``progress`` receives one
    line as each source starts to load and to merge (the CLI prints them: a large file takes
    a while).
    """
    import time

    say = progress or (lambda _msg: None)
    from lmkg.graph.sources import add_source, scope_for
    from lmkg.loaders import get_loader

    reports = []
    for name, path in sources:
        try:
            loader = get_loader(name)
        except KeyError as exc:
            raise DataError(str(exc.args[0])) from None
        t0 = time.perf_counter()
        say(f"{name}: reading {path}")
        # The graph's names and identifiers let the loader set aside rows that cannot match.
        result = loader.load(Path(path), scope=scope_for(kg))
        say(f"{name}: read {result.read:,} records in {time.perf_counter() - t0:.1f} s; merging "
            f"{len(result.items):,} that may match")
        reports.append(add_source(kg, name, result, loader.creates, str(path)).as_dict())
    kg.meta["sources"] = [{"name": r["source"], "path": r["path"], "version": r["version"]}
                          for r in reports]
    return reports


def build(data_dir: str | Path | None = None, lenient: bool = False) -> KnowledgeGraph:
    """The graph built from the curated data (``data_dir`` or the shipped dataset)."""
    return build_with_report(data_dir, lenient)[0]


def open_graph(path: str | Path | None = None) -> KnowledgeGraph:
    """A saved graph (``path`` or the default), or, when none was built, one built now."""
    from lmkg.graph import load_graph

    p = Path(path) if path is not None else default_graph_path()
    if path is None and not p.exists():
        return build()
    return load_graph(p)
