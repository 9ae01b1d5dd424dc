"""Shared fixtures: the shipped graph built once, a saved copy, and a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import lmkg
from lmkg.graph import save_graph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared" / "data"
# Browser tests drive Debian's chromium through Playwright (its own download cannot work here).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


@pytest.fixture(scope="session")
def chromium():
    """One chromium for the whole session (Debian's, not Playwright's download); a missing
    browser is a failure, not a skip."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def kg():
    """The graph built from the shipped curated dataset."""
    return lmkg.build(DATA)


# Every public source in ../shared/data, as the README's "Building with public sources".
PUBLIC_SOURCES = [("ctgov", "clinicaltrials"), ("b3db", "b3db"), ("oopd", "fda"),
                  ("civic", "civic"), ("openfda", "openfda"), ("drugbank", "drugbank")]


@pytest.fixture(scope="session")
def public_kg():
    """The curated graph with every public source of ../shared/data added (built once)."""
    from lmkg.api import add_sources

    g = lmkg.build(DATA)
    add_sources(g, [(name, SHARED / folder) for name, folder in PUBLIC_SOURCES])
    return g


@pytest.fixture(scope="session")
def graph_file(kg, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("graph") / "lmkg-graph.json"
    save_graph(kg, path)
    return path


@pytest.fixture
def cli(graph_file):
    """Run ``lmkg ARGS`` in-process against the saved shipped graph; returns the click Result."""
    from lmkg.cli import cli as group

    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None):
        full_env = {"LMKG_GRAPH": str(graph_file), **(env or {})}
        return runner.invoke(group, list(args), env=full_env, catch_exceptions=False)

    return run


@pytest.fixture(autouse=True)
def _no_user_env(monkeypatch):
    for var in ("LMKG_DATA", "LMKG_GRAPH", "NEO4J_PASSWORD"):
        if var in os.environ:
            monkeypatch.delenv(var)
