"""The strategist's picture: ``lmkg map`` writes the interactive landscape map."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .common import get_graph, graph_option, handle_errors, note


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


@click.command(name="map")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("map.html"), show_default=True, help="The HTML file to write.")
@click.option("--focus", default=None,
              help="Draw only this entity's neighbourhood (any name, synonym or xref).")
@click.option("--depth", type=click.IntRange(1, 6), default=2, show_default=True,
              help="Hops around --focus.")
@click.option("--types", "types", multiple=True,
              help="Entity types to draw (repeat or comma-separate: Agent,Company,...).")
@click.option("--cancer", default=None,
              help="Draw only the subgraph connected to this cancer (and its subtypes).")
@click.option("--company", default=None, help="Draw only the subgraph connected to this company.")
@click.option("--biomarker", default=None,
              help="Draw only the subgraph connected to this biomarker or gene.")
@click.option("--title", default=None, help="Page title (default: describes the selection).")
@click.option("--max-nodes", type=click.IntRange(1), default=2500, show_default=True,
              help="Above this many nodes the page opens on an overview of the most connected "
                   "ones (everything stays one click away).")
@click.option("--rollup/--no-rollup", default=True, show_default=True,
              help="Draw each company group as its head (Genentech inside Roche); "
                   "--no-rollup draws every company and its SUBSIDIARY_OF / ACQUIRED links.")
@graph_option
@handle_errors
def map_(output: Path, focus: str | None, depth: int, types: tuple[str, ...],
         cancer: str | None, company: str | None, biomarker: str | None, title: str | None,
         max_nodes: int, rollup: bool, graph_path: Path | None) -> None:
    """Write the interactive landscape map: one self-contained HTML file, works offline.

    Opens on the landscape in layers (cancers, biomarkers, drug classes, agents, companies;
    labels placed where they overlap nothing), with a force-directed network one click away,
    and linked views: a pipeline board, a timeline of approvals, designations and deals, and a
    company view. Hover for key facts and sources, click to select in every view. The page has
    search and filters (type, relation, cancer, company, biomarker, development status). With
    restrictions, the map shows what all of them have in common.
    """
    from lmkg.viz.map import DEFAULT_OVERVIEW, left_out_text, select_nodes, write_map

    started = time.perf_counter()
    kg = get_graph(graph_path)
    nodes = select_nodes(kg, focus=focus, depth=depth, types=_split(types), cancer=cancer,
                         company=company, biomarker=biomarker)
    if not nodes:
        raise click.ClickException("nothing to draw: the restrictions given have no entity in "
                                   "common")
    parts = [f"{label} {value}" for label, value in (
        ("around", f"{kg.name_of(kg.resolve(focus))} (depth {depth})" if focus else None),
        ("cancer:", cancer), ("company:", company), ("biomarker:", biomarker),
        ("types:", ", ".join(_split(types)) or None)) if value]
    data = write_map(kg, output, nodes,
                     title=title or "LM therapeutic landscape",
                     subtitle="; ".join(parts) or None,
                     max_nodes=max_nodes, overview_size=min(DEFAULT_OVERVIEW, max_nodes),
                     rollup=rollup)
    note(f"wrote {output}: {left_out_text(data['left_out'])} "
         f"in {time.perf_counter() - started:.1f} s"
         + (f" (opens on the {len(data['overview'])} most connected)" if data["overview"]
            else ""))


COMMANDS = [map_]
