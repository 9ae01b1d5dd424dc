"""Public sources: ``lmkg sources`` lists the loaders, ``lmkg fetch ctgov`` downloads trials."""

from __future__ import annotations

from pathlib import Path

import click

from .common import FORMAT_ROWS, emit_rows, handle_errors, note, wide_option


@click.command(name="sources")
@click.option("--format", "fmt", type=FORMAT_ROWS, default="table", show_default=True)
@wide_option
@handle_errors
def sources(fmt: str) -> None:
    """The registered source loaders: name, what they read, and what they may create.

    Use a name with `lmkg build --source NAME=PATH`. A loader creates an entity only of the
    types it is authoritative for; anything else it names must already be in the graph.
    """
    from lmkg.loaders import get_loader, loader_names

    rows = []
    for name in loader_names():
        loader = get_loader(name)
        creates = sorted(getattr(loader, "creates", ()) or ())
        rows.append({"name": name, "description": loader.description,
                     "creates": creates if fmt == "json" else (", ".join(creates) or "nothing")})
    emit_rows(rows, ["name", "description", "creates"], fmt, title="Source loaders")


@click.group(name="fetch")
def fetch() -> None:
    """Download current records from a public source into a directory for `lmkg build`."""


@fetch.command(name="ctgov")
@click.option("--search", "searches", multiple=True, metavar="cond:TEXT|term:TEXT",
              help="A search to run (repeatable): a condition (cond:) or a full-text term "
                   "(term:). Default: the ten LM searches of the shipped snapshot.")
@click.option("--condition", default=None,
              help="Run one condition search instead (query.cond); '' for every study.")
@click.option("--page-size", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Studies per page (the API allows up to 1000).")
@click.option("--max-pages", type=click.IntRange(1), default=None,
              help="Stop each search after this many pages (default: all).")
@click.option("-o", "--output", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Directory for page-NNNN.json files and manifest.json.")
@click.option("--base-url", default="https://clinicaltrials.gov", show_default=True,
              help="API server (tests point this at a local server).")
@click.option("--retries", type=click.IntRange(0, 20), default=5, show_default=True,
              help="Retries per page on HTTP 429/5xx and connection errors.")
@click.option("--backoff", type=click.FloatRange(0), default=1.0, show_default=True,
              help="First retry wait in seconds; doubles on each retry.")
@click.option("--timeout", type=click.FloatRange(0.1), default=60.0, show_default=True,
              help="Seconds to wait for one response.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@handle_errors
def fetch_ctgov(searches: tuple[str, ...], condition: str | None, page_size: int,
                max_pages: int | None, out_dir: Path, base_url: str, retries: int,
                backoff: float, timeout: float, quiet: bool) -> None:
    """Download ClinicalTrials.gov API v2 study records, search by search, page by page.

    With no --search or --condition: the ten LM searches of the shipped registry snapshot
    (docs/trials.md), so that `lmkg build --source ctgov=OUTPUT` refreshes it with full
    records (sponsors, interventions, sites, dates, eligibility) judged by the same LM rule.
    Follows nextPageToken to the last page, retrying transient failures with backoff. Each
    page is written atomically as page-NNNN.json in OUTPUT, with a manifest.json (searches,
    date, pages, study counts).
    """
    from lmkg.loaders.ctgov_fetch import LM_SEARCHES, parse_search
    from lmkg.loaders.ctgov_fetch import fetch_ctgov as run

    if searches and condition is not None:
        raise click.UsageError("give --search or --condition, not both")
    chosen = ([parse_search(x) for x in searches] if searches
              else None if condition is not None else list(LM_SEARCHES))
    m = run(out_dir, condition=condition or None, searches=chosen, page_size=page_size,
            max_pages=max_pages, base_url=base_url, retries=retries, backoff=backoff,
            timeout=timeout, progress=not quiet, note=note)
    total = f" of {m.total_count}" if m.total_count is not None else ""
    state = "complete" if m.complete else "incomplete: stopped by --max-pages"
    many = (f" ({m.unique_studies} distinct) from {len(m.searches)} searches"
            if len(m.searches) > 1 else "")
    click.echo(f"fetched {m.studies}{total} studies{many} in {m.pages} page(s) into {out_dir} "
               f"({state}; {m.retries} retried request(s)); manifest: "
               f"{out_dir / 'manifest.json'}")


COMMANDS = [sources, fetch]
