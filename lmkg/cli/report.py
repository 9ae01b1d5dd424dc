"""The strategist's document: ``lmkg report`` writes the sourced landscape report."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .common import get_graph, graph_option, handle_errors, note


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("lm-landscape.html"), show_default=True, help="The file to write.")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default=None,
              help="html (one self-contained printable page, inline SVG charts) or md "
                   "(GitHub Markdown); default from the file's extension, else html.")
@graph_option
@handle_errors
def report(output: Path, fmt: str | None, graph_path: Path | None) -> None:
    """Write the landscape report, in the market reports' order: epidemiology, regulatory
    landscape, trends and drivers, clinical-trial analysis, competitive landscape, and a
    profile of each company they name. Every figure and table row links to its sources;
    company groups (subsidiaries, acquisitions) are rolled up. Works offline and prints."""
    from lmkg.viz.report import write_report

    started = time.perf_counter()
    fmt = fmt or ("md" if output.suffix.casefold() in (".md", ".markdown") else "html")
    kg = get_graph(graph_path)
    rep = write_report(kg, output, fmt)
    n_tables = sum(1 for s in rep.sections for b in [*s.blocks, *(x for sub in s.subsections
                                                                   for x in sub.blocks)]
                   if type(b).__name__ == "Table")
    profiles = sum(len(s.subsections) for s in rep.sections)
    note(f"wrote {output} ({fmt}): {len(rep.sections)} sections, {profiles} company profiles, "
         f"{n_tables} tables in {time.perf_counter() - started:.1f} s")


COMMANDS = [report]
