"""The foundation verbs: build, validate, stats, show, ontology."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import click

from .common import (
    FORMAT_DOC,
    emit_json,
    emit_rows,
    fold,
    get_graph,
    graph_option,
    handle_errors,
    machine_output,
    note,
    say,
    source_label,
    wide_option,
    write_or_echo,
)

DATA_DIR = click.Path(exists=False, file_okay=True, path_type=Path)


@click.command()
@click.option("--data", "data_dir", type=DATA_DIR, default=None,
              help="Curated data directory (default: $LMKG_DATA or the shipped dataset).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to save the graph (default: $LMKG_GRAPH or build/lmkg-graph.json).")
@click.option("--source", "sources", multiple=True, metavar="NAME=PATH",
              help="Add a public source (repeatable): ctgov, civic, b3db, oopd, openfda, "
                   "drugbank; see `lmkg sources`.")
@click.option("--sources-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="YAML list of {name, path} sources to add.")
@click.option("--lenient", is_flag=True,
              help="Build from the valid records even if some have errors: curated records "
                   "with errors, and public sources with unreadable files or mostly invalid "
                   "records; what was left out, and why, goes to the report.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Build report (JSON; default: lmkg-build-report.json beside the graph; "
                   "a Markdown twin is written beside it).")
@handle_errors
def build(data_dir: Path | None, output: Path | None, sources: tuple[str, ...],
          sources_file: Path | None, lenient: bool, report: Path | None) -> None:
    """Build the graph from the curated data (plus any public sources) and save it.

    Refuses to build when the curated data has errors (listing them), unless --lenient.
    Writes a build report (JSON and Markdown) that accounts for every input record.
    """
    from lmkg.api import build_graph, default_data_dir, default_graph_path
    from lmkg.errors import LmkgError, SourceError
    from lmkg.graph import save_graph
    from lmkg.graph.report.build_report import previous_summary, write_reports
    from lmkg.loaders import get_loader

    data = data_dir or default_data_dir()
    out = output or default_graph_path()
    pairs = _parse_sources(sources, sources_file)
    checked = None
    if not lenient:
        checked = result = get_loader("curated").load(data)
        if result.errors:
            for p in result.problems:
                note(str(p))
            raise click.ClickException(
                f"{len(result.errors)} error(s) in {data}; nothing was built "
                "(fix them, or use --lenient to build the rest)"
            )
    before = previous_summary(out)
    failed = False
    try:
        # The curated data was checked above (no errors unless --lenient), so the flag the
        # graph records is the user's own.
        built = build_graph(data, lenient=lenient, sources=pairs, progress=note,
                            curated=checked, lenient_sources=lenient)
    except SourceError as exc:
        built, failed = exc.build, True
    kg, result, curated_stats, reports = (built.kg, built.curated, built.curated_stats,
                                          built.reports)
    report_path = report or out.with_name("lmkg-build-report.json")
    for p in result.warnings:
        note(str(p))
    if result.rejected:
        note(f"{len(result.errors)} error(s): {len(result.rejected)} record(s) rejected and "
             f"written with their reasons to {report_path}")
    for r in reports:
        _source_summary(r, lenient)
    failed_path = report_path.with_name(f"{report_path.stem}.failed{report_path.suffix}")
    if failed:
        # Under its own name: the report beside the graph kept describes that graph.
        md_path = write_reports(failed_path, out, kg, data, result, curated_stats, reports,
                                before, built=False)
        bad = [r["source"] for r in reports if r["failures"]]
        raise click.ClickException(
            f"{len(bad)} source(s) cannot be used ({', '.join(bad)}); nothing was built and "
            f"{out} was left as it was, with its report (why: {failed_path} and {md_path}; "
            "--lenient builds from the records that could be read)")
    # The graph first: a report must never describe a graph that failed to be written.
    save_graph(kg, out)
    try:
        md_path = write_reports(report_path, out, kg, data, result, curated_stats, reports,
                                before)
    except LmkgError as exc:
        for stale in (report_path, report_path.with_suffix(".md")):  # they describe the old graph
            with contextlib.suppress(OSError):
                stale.unlink(missing_ok=True)
        raise LmkgError(f"built {out}, but the build report could not be written: {exc}") from None
    for gone in (failed_path, failed_path.with_suffix(".md")):  # an earlier failure's, now stale
        with contextlib.suppress(OSError):
            gone.unlink(missing_ok=True)
    s = kg.stats()
    say(f"built {out}: {s['total_entities']} entities, {s['total_relations']} relations "
               f"({s['derived_relations']} derived), "
               f"{s['share_with_sources']:.0%} of relations with sources")
    say(f"report: {report_path} (and {md_path})")


def _source_summary(r: dict[str, Any], lenient: bool) -> None:
    """A source's accounting on stderr, then its file problems and why it fails, if it does."""
    dup = f" + duplicates {r['duplicate']:,}" if r.get("duplicate") else ""
    had = (f" ({r['relations_existing']:,} more already in the graph)"
           if r.get("relations_existing") else "")
    note(f"{r['source']}: read {r['read']:,} = matched {r['matched']:,} + created "
         f"{r['created']:,} + out of scope {r['out_of_scope']:,} + unmatched "
         f"{r['unmatched']:,} + invalid {r['invalid']:,}{dup}; {r['relations_added']:,} "
         f"relations added{had}, {len(r['conflicts'])} conflict(s), "
         f"{len(r['ambiguous'])} ambiguous")
    dups = r.get("duplicate_rows") or []
    for x in dups[:3]:
        where = (x.get("file") or "") + (f":{x['line']}" if x.get("line") else "")
        note(f"  {r['source']}: warning: {where}: {'; '.join(x['reasons'])}")
    if r.get("duplicate", 0) > 3:
        note(f"  {r['source']}: {r['duplicate'] - 3:,} more duplicate(s) listed in the build "
             "report")
    errors = [p for p in r["problems"] if p["severity"] == "error"]
    warnings = len(r["problems"]) - len(errors)
    for p in errors:
        where = p["file"] + (f":{p['line']}" if p.get("line") else "")
        note(f"  {r['source']}: error: {where}: {p['reason']}")
    if warnings:
        note(f"  {r['source']}: {warnings} warning(s), listed in the build report")
    for why in r["failures"]:
        if not any(why.endswith(p["reason"]) for p in errors):
            note(f"  {r['source']}: error: {why}")
    if r["failures"]:
        note(f"  {r['source']}: kept (--lenient) despite the errors above" if lenient
             else f"  {r['source']}: cannot be used: the build fails")


def _parse_sources(sources: tuple[str, ...], sources_file: Path | None) -> list[tuple[str, str]]:
    from lmkg.errors import LmkgError

    pairs = []
    for s in sources:
        name, sep, path = s.partition("=")
        if not sep or not name or not path:
            raise LmkgError(f"--source takes NAME=PATH, got {s!r}")
        pairs.append((name.strip(), path.strip()))
    if sources_file is not None:
        from lmkg.loaders.yamlsrc import YamlError, load_yaml

        try:
            doc, _ = load_yaml(sources_file.read_text(encoding="utf-8"))
        except YamlError as exc:
            where = f"{sources_file}:{exc.line}" if exc.line else str(sources_file)
            raise LmkgError(f"{where}: {exc.reason}") from None
        except UnicodeDecodeError:
            raise LmkgError(f"{sources_file}: not UTF-8 text") from None
        if not isinstance(doc, list):
            raise LmkgError(f"{sources_file}: expected a list of {{name, path}} mappings")
        for i, entry in enumerate(doc, 1):
            if not isinstance(entry, dict) or not {"name", "path"} <= set(entry):
                raise LmkgError(f"{sources_file}: entry {i} needs 'name' and 'path'")
            path = Path(entry["path"])
            if not path.is_absolute():
                path = sources_file.parent / path
            pairs.append((str(entry["name"]), str(path)))
    for name, path in pairs:
        if not Path(path).exists():
            raise LmkgError(f"source {name}: no such file or directory: {path}")
    return pairs


@click.command()
@click.argument("data_dir", type=DATA_DIR, required=False)
@click.option("--format", "fmt", type=FORMAT_DOC, default="table", show_default=True)
@handle_errors
def validate(data_dir: Path | None, fmt: str) -> None:
    """Check the curated data and list every problem (exit 1 if there is an error).

    Each problem gives its file, line, record, field and reason.
    """
    from lmkg.api import default_data_dir
    from lmkg.loaders import get_loader

    data = data_dir or default_data_dir()
    result = get_loader("curated").load(data)
    if fmt == "json":
        emit_json({"data": str(data), "errors": len(result.errors),
                   "warnings": len(result.warnings), "stats": result.stats,
                   "problems": [p.as_dict() for p in result.problems]})
    else:
        for p in result.problems:
            say(str(p))
        st = result.stats
        say(f"{len(result.errors)} error(s), {len(result.warnings)} warning(s) in "
                   f"{st.get('files', 0)} file(s); {st.get('entities', 0)} entities and "
                   f"{st.get('relations', 0)} relations valid")
    if result.errors:
        raise SystemExit(1)


@click.command()
@graph_option
@click.option("--format", "fmt", type=FORMAT_DOC, default="table", show_default=True)
@wide_option
@handle_errors
def stats(graph_path: Path | None, fmt: str) -> None:
    """Counts by entity and relation type, and the share of relations with sources."""
    kg = get_graph(graph_path)
    s = kg.stats()
    if fmt == "json":
        emit_json(s)
        return
    emit_rows([{"entity type": k, "count": v} for k, v in s["entities"].items()],
              ["entity type", "count"], "table", title="Entities")
    emit_rows([{"relation type": k, "count": v} for k, v in s["relations"].items()],
              ["relation type", "count"], "table", title="Relations")
    say(f"{s['total_entities']} entities, {s['total_relations']} relations "
               f"({s['derived_relations']} derived); {s['relations_with_sources']} of "
               f"{s['total_relations']} relations ({s['share_with_sources']:.0%}) have sources")


@click.command()
@click.argument("name")
@graph_option
@click.option("--format", "fmt", type=FORMAT_DOC, default="table", show_default=True)
@wide_option
@handle_errors
def show(name: str, graph_path: Path | None, fmt: str) -> None:
    """An entity (by id, name, synonym, brand or code name), its relations and their sources."""
    from lmkg.graph.query.entity import describe

    card = describe(get_graph(graph_path), name)
    node, rels = card["entity"], card["relations"]
    if fmt == "json":
        emit_json(card)
        return
    _print_entity(node)
    if card.get("epidemiology"):
        emit_rows([{**r, "measure": r["measure"], "biomarker": r["biomarker"] or "",
                    "source": source_label(r["source"])} for r in card["epidemiology"]],
                  ["measure", "value", "biomarker", "population", "period", "source"], "table",
                  whole=True,
                  title=f"Epidemiology of {node['name']} (each figure names its measure)")
    if card.get("criteria"):
        emit_rows([{**r, "guideline": r["guideline"] or "-", "lm_type": r["lm_type"] or "",
                    "sources": [source_label(x) for x in r["sources"]]}
                   for r in card["criteria"]],
                  ["topic", "criterion", "guideline", "lm_type", "grade", "text", "sources"],
                  "table", whole=True,
                  title=f"Diagnostic and response criteria of {node['name']}")
    if card.get("recommendations"):
        emit_rows([{**r, "sources": [source_label(x) for x in r["sources"]]}
                   for r in card["recommendations"]],
                  ["topic", "target", "direction", "context", "grade", "text", "sources"],
                  "table", whole=True, title=f"Recommendations of {node['name']}")
    rows = [{
        "relation": (f"-{r['relation']}->" if r["direction"] == "out" else f"<-{r['relation']}-"),
        "entity": f"{r['other']} ({r['other_type']})",
        "qualifiers": ", ".join(f"{k}={v}" for k, v in r["properties"].items()),
        "sources": [source_label(x) for x in r["sources"]],
    } for r in rels]
    emit_rows(rows, ["relation", "entity", "qualifiers", "sources"], "table", whole=True,
              title=f"{len(rows)} relations of {node['name']}")


def _print_entity(node: dict[str, Any]) -> None:
    """The entity card: every field whole, each wrapped to the terminal width."""
    say(fold(f"{node['name']}  {node['type']}  {node['id']}"))
    skip = {"id", "name", "type", "sources", "cns_evidence", "epidemiology", "performance"}
    for k, v in node.items():
        if k in skip or v in (None, [], ""):
            continue
        shown = "; ".join(map(str, v)) if isinstance(v, list) else str(v)
        say(fold(shown, first=f"  {k}: ", indent="      "))
    for perf in node.get("performance", []):
        figs = ", ".join(f"{k} {perf[k]}" for k in ("sensitivity", "specificity") if perf.get(k))
        cut = f" at {perf['cutoff']}" if perf.get("cutoff") else ""
        say(fold(f"{figs}{cut} vs {perf['reference_standard']} ({perf['population']}) "
                 f"[{source_label(perf['source'])}]", first="  performance: ", indent="      "))
    for ev in node.get("cns_evidence", []):
        say(fold(f"{ev['metric']} = {ev['value']} ({ev.get('population') or ''}) "
                 f"[{source_label(ev['source'])}]",
                 first=f"  CNS evidence [{ev['level']}, {ev.get('direction', 'supports')}]: ",
                 indent="      "))
    for src in node.get("sources", []):
        say(fold(source_label(src) + (f" — {src['note']}" if src.get("note") else ""),
                 first="  source: ", indent="      "))


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the OWL ontology (Turtle) here instead of printing it.")
@handle_errors
def ontology(output: Path | None) -> None:
    """The schema as an OWL ontology in Turtle (classes, object and datatype properties)."""
    from lmkg.ontology.owl import owl_turtle

    write_or_echo(owl_turtle(), output)


@click.command()
@graph_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the Markdown report here (e.g. data/COVERAGE.md) instead of printing.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True)
@handle_errors
def coverage(graph_path: Path | None, output: Path | None, fmt: str) -> None:
    """Dataset coverage: counts against targets, expected names not found, and gaps."""
    from lmkg.graph.report.coverage import coverage as cov
    from lmkg.graph.report.coverage import coverage_markdown

    kg = get_graph(graph_path)
    if fmt == "json":
        machine_output()
    text = (coverage_markdown(kg) if fmt == "markdown"
            else json.dumps({"graph": kg.origin(), **cov(kg)}, indent=2) + "\n")
    write_or_echo(text, output)


COMMANDS = [build, validate, stats, show, ontology, coverage]
