"""The trials verb: the LM trial landscape as rows (graph/query/trials.py)."""

from __future__ import annotations

import datetime as _dt
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

TABLE = ["nct", "phase", "status", "lm", "title", "tests", "in whom", "start"]
CSV_EXTRA = ["official_title", "study_type", "status_as_of", "stale", "status_flags",
             "lm_population", "lm_reason", "lm_basis", "agents", "regimens", "radiotherapy",
             "classes", "diagnostics", "routes", "cancers", "biomarkers", "sponsors",
             "countries", "completion_date", "enrollment", "results_posted", "key_result",
             "cancer_match", "biomarker_match", "via", "sources", "id"]
_LM_SHORT = {"lm_only": "only", "lm_cohort": "cohort", "lm_allowed": "allowed"}


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def _date(value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)",
                                 param_hint="--today") from None


@click.command("trials")
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help="Overall status (repeatable or comma-separated): recruiting, "
                   "not_yet_recruiting, active_not_recruiting, completed, terminated, ...")
@click.option("--recruiting", is_flag=True,
              help="Shorthand for --status recruiting,enrolling_by_invitation.")
@click.option("--phase", "phases", multiple=True, metavar="PHASE",
              help="Phase: 1, 2, 3, 4, early_phase1, na (a trial with several phases matches "
                   "any).")
@click.option("--agent", "-a", default=None,
              help="An agent, regimen or radiotherapy modality, by any name.")
@click.option("--class", "drug_class", default=None, help="A drug class (and its subclasses).")
@click.option("--biomarker", "-b", default=None,
              help="A biomarker or gene (EGFR: trials of EGFR-mutant cancer and of any EGFR "
                   "alteration; and trials naming no biomarker that test or name an agent "
                   "acting on it, marked 'implied').")
@click.option("--cancer", "-c", default=None,
              help="A cancer (and its subtypes; and trials of a broader cancer that test an "
                   "agent acting on one of its biomarkers, marked 'broader').")
@click.option("--broader", is_flag=True,
              help="With --cancer: also trials of the cancers it is a subtype of.")
@click.option("--sponsor", default=None, help="Trials this company (or its group) sponsors.")
@click.option("--company", default=None,
              help="Trials the company sponsors or that test an agent it develops.")
@click.option("--country", default=None, help="A country with trial sites (name or ISO code).")
@click.option("--route", default=None,
              help="Route of the tested therapy: intrathecal, intraventricular, intravenous, "
                   "oral, ... or radiotherapy.")
@click.option("--lm-population", default=None,
              type=click.Choice(["lm_only", "lm_cohort", "lm_allowed"]),
              help="How the trial involves LM patients (docs/trials.md).")
@click.option("--start-year", default=None, metavar="YEARS",
              help="Start year: 2024, 2020-2024, 2020- or -2019.")
@click.option("--stale", is_flag=True,
              help="Only statuses read more than 12 months before --today (or never dated).")
@click.option("--today", default=None, metavar="DATE",
              help="Reference date for --stale and the stale column (default: today).")
@click.option("--all", "include_all", is_flag=True,
              help="Every trial of the graph, not only the LM trials.")
@click.option("--format", "fmt", type=FORMAT_ROWS, default="table", show_default=True)
@wide_option
@graph_option
@handle_errors
def trials(statuses: tuple[str, ...], recruiting: bool, phases: tuple[str, ...],
           agent: str | None, drug_class: str | None, biomarker: str | None,
           cancer: str | None, broader: bool, sponsor: str | None, company: str | None,
           country: str | None, route: str | None, lm_population: str | None,
           start_year: str | None, stale: bool, today: str | None, include_all: bool,
           fmt: str, graph_path: Path | None) -> None:
    """Registered LM trials, filtered, newest first (by start date, else by NCT number).

    Each row says what the trial tests, in whom, its status with the date it was read, and
    its LM population; json rows carry every field (docs/trials.md). `lmkg show NCT...`
    shows one trial with its relations and sources.
    """
    from lmkg.graph.query.trials import trials as find

    kg = get_graph(graph_path)
    rows = find(kg, status=_split(statuses), recruiting=recruiting, phase=_split(phases),
                agent=agent, drug_class=drug_class, biomarker=biomarker, cancer=cancer,
                broader=broader, sponsor=sponsor, company=company, country=country,
                route=route, lm_population=lm_population, start_year=start_year, stale=stale,
                today=_date(today), include_non_lm=include_all)
    if not rows:
        note("no " + ("" if include_all else "LM ") + "trials match these filters")
    if fmt == "json":
        emit_json([r.as_dict() for r in rows])
        return
    shown = [{
        **r.as_dict(),
        "status": (r.status or "") + (f" ({r.status_as_of})" if r.status_as_of else "")
        + (" STALE" if r.stale else "") + (" !" if r.status_flags else ""),
        "lm": _LM_SHORT.get(r.lm_population or "", r.lm_population or ""),
        "tests": r.tested, "in whom": [*r.cancers, *r.biomarkers, *_implied(r)],
        "start": r.start_date,
    } for r in rows]
    dated = any(r.start_date for r in rows)
    cols = TABLE if dated else [c for c in TABLE if c != "start"]
    if fmt == "csv":  # csv carries every field
        cols = [*TABLE, *CSV_EXTRA]
    order = ("newest first (by start date, then by NCT number)" if dated else
             "newest first by NCT number (registration order; these records hold no start "
             "date)")
    emit_rows(shown, cols, fmt,
              title=f"{len(rows)} {'' if include_all else 'LM '}trials, {order}")


def _implied(r) -> list[str]:
    """The "in whom" note of a trial that matched a filter without naming what it asked for:
    a broader cancer, or a biomarker the trial implies (graph/query/trials.py)."""
    return [f"({m})" for m in (r.cancer_match, r.biomarker_match)
            if m and m.startswith(("implied", "broader"))]


COMMANDS = [trials]
