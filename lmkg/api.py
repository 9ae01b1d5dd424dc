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
                registry: bool = True, curated: LoadResult | None = None,
                lenient_sources: bool | None = None) -> Build:
    """The graph of a dataset: its curated YAML, its registry snapshot, and ``sources``.

    The curated data is loaded and merged first; then the dataset's ClinicalTrials.gov snapshot
    (``data/registry/ctgov/``, judged by the LM rule and the review table; ``registry=False``
    leaves it out) and each public source in turn. A ``ctgov`` source is read together with the
    snapshot: a study in both is taken from the source when it was read later, so a fresh
    ``lmkg fetch ctgov`` refreshes the shipped statuses (docs/trials.md).

    Raises :class:`DataError` listing the problems when the data has errors, unless
    ``lenient``, in which case the rejected records are left out (and listed in the result).
    ``curated``: the dataset's load result when the caller already has it (read once).
    A public source that cannot be used raises :class:`SourceError` (its ``build`` holds what
    was built, for the report) unless ``lenient_sources`` (default: ``lenient``).
    """
    from lmkg.errors import SourceError
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
    try:
        reports = add_sources(kg, list(sources or []), progress=progress,
                              data_dir=path if registry else None,
                              lenient=lenient if lenient_sources is None else lenient_sources)
    except SourceError as exc:
        exc.build = Build(kg, result, curated_stats, exc.reports)
        raise
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
                data_dir: str | Path | None = None, lenient: bool = False) -> list[dict]:
    """Load each ``(loader name, path)`` and merge it into ``kg``; return one report per source.

    See :mod:`lmkg.graph.sources` for the identity-resolution rule and the outcome of each
    record (matched, created, out of scope, unmatched, invalid). ``progress`` receives one
    line as each source starts to load and to merge (the CLI prints them: a large file takes
    a while). With ``data_dir``, the dataset's registry snapshot is merged too (first, or read
    together with the first ``ctgov`` source) and its LM review table judges every ``ctgov``
    record. A source with a file that cannot be read, no record, or mostly invalid records
    raises :class:`SourceError` (after every source was read, so that it lists them all;
    ``kg`` then holds them and must not be saved), unless ``lenient``: then its readable
    records are merged and its report keeps the ``failures``.
    """
    import time

    say = progress or (lambda _msg: None)
    from lmkg.errors import SourceError
    from lmkg.graph import source_fingerprint
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
        reports.append(add_source(kg, name, result, loader.creates, shown,
                                  source_fingerprint(Path(p))).as_dict())
    kg.meta["sources"] = [*kg.meta.get("sources", []), *(
                          {"name": r["source"], "path": r["path"], "version": r["version"],
                           "hash": r["hash"],
                           **{k: r[k] for k in ("read", "matched", "created", "out_of_scope",
                                                "unmatched", "invalid")},
                           "failures": r["failures"]}
                          for r in reports)]
    from lmkg.graph.lm_stage import derive_lm_stage

    derive_lm_stage(kg)  # every trial is in: the agents' LM stages can be read off
    failed = [r for r in reports if r["failures"]]
    if failed and not lenient:
        lines = [f"{r['source']} ({r['path']}): {why}" for r in failed for why in r["failures"]]
        raise SourceError(f"{len(failed)} source(s) cannot be used:\n" + "\n".join(lines),
                          reports)
    return reports


def build(data_dir: str | Path | None = None, lenient: bool = False) -> KnowledgeGraph:
    """The graph built from the curated data (``data_dir`` or the shipped dataset)."""
    return build_with_report(data_dir, lenient)[0]


def open_graph(path: str | Path | None = None, *, build_missing: bool = False
               ) -> KnowledgeGraph:
    """The graph saved by ``lmkg build`` at ``path`` (default: :func:`default_graph_path`).

    With no graph saved there, raises :class:`~lmkg.errors.NoGraphError` (naming the path and
    the command that saves one), unless ``build_missing``: then the curated-only graph is
    built from the shipped data, with a :class:`UserWarning` saying so. A graph older than
    the data it was built from also warns. ``kg.origin()`` tells which graph was opened.
    """
    import warnings

    from lmkg.errors import NoGraphError
    from lmkg.graph import fingerprint, load_graph

    p = Path(path) if path is not None else default_graph_path()
    if not p.exists():
        where = p if p.is_absolute() else f"{p} (under {Path.cwd()})"
        if not build_missing:
            raise NoGraphError(
                f"no built graph at {where}: run 'lmkg build' (with --source NAME=PATH for "
                "public sources) to save one, pass its path, or call lmkg.build() for the "
                "curated-only graph")
        warnings.warn(f"no built graph at {where}: answering from the curated-only graph, "
                      f"built now from {default_data_dir()}", UserWarning, stacklevel=2)
        return build()
    kg = load_graph(p)
    data_dir = kg.meta.get("data_dir")
    if data_dir and Path(data_dir).exists() and kg.meta.get("data_fingerprint") \
            and fingerprint(Path(data_dir)) != kg.meta["data_fingerprint"]:
        warnings.warn(f"{p} is older than the data in {data_dir}; run 'lmkg build' to refresh",
                      UserWarning, stacklevel=2)
    return kg
