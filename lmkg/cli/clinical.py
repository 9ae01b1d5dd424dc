"""The clinician's verb: what the guidelines recommend."""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    FORMAT_ROWS,
    emit_json,
    emit_rows,
    get_graph,
    graph_option,
    handle_errors,
    note,
    wide_option,
)

# Every field of a recommendation row, in the order csv writes them; the table shows the first
# ones and cuts long cells (``lmkg show GUIDELINE`` prints the whole text).
TABLE_COLUMNS = ["guideline", "topic", "recommends", "for", "context", "applies", "strength",
                 "level", "covers", "text"]
CSV_COLUMNS = [*TABLE_COLUMNS, "guideline_short", "context_short", "guideline_id", "issuer", "year", "target_id",
               "target_type",
               "cancer_id", "biomarker_id", "lm_type", "population", "note", "sources"]


@click.command()
@click.option("--cancer", "-c", default=None,
              help="Recommendations for this cancer (by any name), its subtypes and broader "
                   "cancers, and those naming no cancer (the 'applies' column says which).")
@click.option("--topic", "-t", type=click.Choice(["diagnosis", "response", "treatment"]),
              default=None)
@click.option("--biomarker", "-b", default=None,
              help="Keep recommendations for this biomarker or gene (and those naming none).")
@click.option("--guideline", "-g", default=None, help="One guideline (by id or name).")
@click.option("--lm-only", is_flag=True,
              help="Leave out guidelines that cover brain metastases only.")
@click.option("--format", "fmt", type=FORMAT_ROWS, default="table", show_default=True)
@wide_option
@graph_option
@handle_errors
def guidelines(cancer: str | None, topic: str | None, biomarker: str | None,
               guideline: str | None, lm_only: bool, fmt: str, graph_path: Path | None) -> None:
    """Guideline recommendations, with their strength and level exactly as the guideline
    states them, the context they are for and the quoted text.

    A guideline that covers brain metastases only (covers=brain_metastases) is shown as such:
    its recommendations are not LM recommendations.
    """
    from lmkg.graph.query.guidelines import guidelines as find

    kg = get_graph(graph_path)
    recs = find(kg, cancer=cancer, topic=topic, guideline=guideline, biomarker=biomarker,
                lm_only=lm_only)
    if fmt == "json":
        emit_json([{**r.as_dict(), "guideline_short": _short_name(kg, r.guideline_id, r.guideline),
                    "context_short": _short_context(kg, r)} for r in recs])
        return
    if not recs:
        note("no recommendations" + "".join(f" {k} {v}" for k, v in
                                             (("for", cancer), ("on", topic),
                                              ("with", biomarker), ("in", guideline)) if v))
    rows = [{
        "guideline": r.guideline, "guideline_short": _short_name(kg, r.guideline_id, r.guideline),
        "topic": r.topic, "recommends": r.target,
        "for": r.direction, "context": r.context, "context_short": _short_context(kg, r),
        "applies": r.applies,
        "strength": r.strength or "-", "level": r.level or "-", "covers": r.covers,
        "text": r.text, "guideline_id": r.guideline_id, "issuer": r.issuer, "year": r.year,
        "target_id": r.target_id, "target_type": r.target_type, "cancer_id": r.cancer_id,
        "biomarker_id": r.biomarker_id, "lm_type": r.lm_type, "population": r.population,
        "note": r.note, "sources": [s.get("id") or s.get("url") for s in r.sources],
    } for r in recs]
    title = "Guideline recommendations" + (f" for {kg.name_of(kg.resolve(cancer))}"
                                          if cancer else "") + (f" ({topic})" if topic else "")
    if fmt != "csv":  # the table names a guideline and a cancer by their short names (CNS 2025,
        for row in rows:  # NSCLC); csv and json carry the whole ones and the short ones
            row["guideline"], row["context"] = row["guideline_short"], row["context_short"]
    emit_rows(rows, CSV_COLUMNS if fmt == "csv" else TABLE_COLUMNS, fmt, title=title)


def _short_context(kg, r) -> str | None:
    """The context with its cancer's short name (NSCLC; ALK fusion)."""
    if not r.context or not r.cancer_id or r.cancer_id not in kg:
        return r.context
    full = kg.name_of(r.cancer_id)
    short = _short_name(kg, r.cancer_id, full)
    return short + r.context[len(full):] if r.context.startswith(full) else r.context


def _short_name(kg, entity_id: str, name: str) -> str:
    names = [n for n in kg.node(entity_id).get("synonyms", ()) if len(n) >= 4] \
        if entity_id in kg else []
    return min(names, key=len) if names and len(min(names, key=len)) < len(name) else name


COMMANDS = [guidelines]
