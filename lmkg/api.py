"""The Python API: build the graph from data, open a saved one, find the defaults."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


REGISTRY = "registry"  # data/registry/: the registry snapshot and the reviewers' LM verdicts


def registry_paths(data_dir: str | Path) -> tuple[Path | None, Path | None]:
    """The shipped ClinicalTrials.gov snapshot folder and the LM review table of a dataset
    (``data/registry/ctgov/`` and ``data/registry/lm-review.tsv``), each None when absent."""
    reg = Path(data_dir) / REGISTRY
    snapshot, review = reg / "ctgov", reg / "lm-review.tsv"
    return (snapshot if snapshot.is_dir() else None), (review if review.is_file() else None)


@dataclass
class Build:
    """What one build made: the graph, the curated load, the graph's counts after the curated
    data alone, and one report per public source (the shipped registry snapshot included)."""

    kg: KnowledgeGraph
    curated: LoadResult
    curated_stats: dict[str, Any]
    reports: list[dict[str, Any]] = field(default_factory=list)


def build_graph(data_dir: str | Path | None = None, lenient: bool = False,
                sources: list[tuple[str, str | Path]] | None = None,
                progress: Callable[[str], None] | None = None,
                registry: bool = True, curated: LoadResult | None = None) -> Build:
    """The graph of a dataset: its curated YAML, its registry snapshot, and ``sources``.

    The curated data is loaded and merged first; then the dataset's ClinicalTrials.gov snapshot
    (``data/registry/ctgov/``, judged by the LM rule and the review table; ``registry=False``
    leaves it out) and each public source in turn. A ``ctgov`` source is read together with the
    snapshot: a study in both is taken from the source when it was read later, so a fresh
    ``lmkg fetch ctgov`` refreshes the shipped statuses (docs/trials.md).

    Raises :class:`DataError` listing the problems when the data has errors, unless
    ``lenient``, in which case the rejected records are left out (and listed in the result).
    ``curated``: the dataset's load result when the caller already has it (read once).
    """
    from lmkg.graph import fingerprint, merge
    from lmkg.loaders import get_loader

    path = Path(data_dir) if data_dir is not None else default_data_dir()
    result = curated if curated is not None else get_loader("curated").load(path)
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
    curated_stats = kg.stats()
    reports = add_sources(kg, list(sources or []), progress=progress,
                          data_dir=path if registry else None)
    return Build(kg, result, curated_stats, reports)


def build_with_report(
    data_dir: str | Path | None = None, lenient: bool = False
) -> tuple[KnowledgeGraph, LoadResult]:
    """The graph of the dataset (curated data and registry snapshot) and the curated load
    result; see :func:`build_graph`."""
    b = build_graph(data_dir, lenient)
    return b.kg, b.curated


def add_sources(kg: KnowledgeGraph, sources: list[tuple[str, str | Path]],
                progress: Callable[[str], None] | None = None,
                data_dir: str | Path | None = None) -> list[dict]:
    """Load each ``(loader name, path)`` and merge it into ``kg``; return one report per source.

    See :mod:`lmkg.graph.sources` for the identity-resolution rule. ``progress`` receives one
    line as each source starts to load and to merge (the CLI prints them: a large file takes
    a while). With ``data_dir``, the dataset's registry snapshot is merged too (first, or read
    together with the first ``ctgov`` source) and its LM review table judges every ``ctgov``
    record.
    """
    import time

    say = progress or (lambda _msg: None)
    from lmkg.graph.sources import add_source, scope_for
    from lmkg.loaders import get_loader

    snapshot, review = registry_paths(data_dir) if data_dir is not None else (None, None)
    todo: list[tuple[str, str | Path, dict[str, Any]]] = []
    for name, p in sources:
        options: dict[str, Any] = {}
        if name == "ctgov":
            options["review"] = review
            if snapshot is not None and not any(o.get("snapshot") for _, _, o in todo):
                options["snapshot"] = snapshot
        todo.append((name, p, options))
    if snapshot is not None and not any(o.get("snapshot") for _, _, o in todo):
        todo.insert(0, ("ctgov", snapshot, {"review": review}))
    reports = []
    for name, p, options in todo:
        try:
            loader = get_loader(name)
        except KeyError as exc:
            raise DataError(str(exc.args[0])) from None
        t0 = time.perf_counter()
        shown = str(p) + (f" (with the snapshot {options['snapshot']})"
                          if options.get("snapshot") else "")
        say(f"{name}: reading {shown}")
        # The graph's names and identifiers let the loader set aside rows that cannot match.
        result = loader.load(Path(p), scope=scope_for(kg), **options)
        say(f"{name}: read {result.read:,} records in {time.perf_counter() - t0:.1f} s; merging "
            f"{len(result.items):,} that may match")
        reports.append(add_source(kg, name, result, loader.creates, shown).as_dict())
    kg.meta["sources"] = [{"name": r["source"], "path": r["path"], "version": r["version"]}
                          for r in reports]
    from lmkg.graph.lm_stage import derive_lm_stage

    derive_lm_stage(kg)  # every trial is in: the agents' LM stages can be read off
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
