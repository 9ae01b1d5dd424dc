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


# -- a real Neo4j (tests marked ``neo4j``) -------------------------------------------------------
@pytest.fixture(scope="session")
def neo4j_launcher(tmp_path_factory):
    """One JVM for the whole session hosting Neo4j 5.26 servers (tests/support/neo4j_server.py).

    Closed at the end of the session whatever happened; if this process dies, the JVM sees its
    command pipe close and exits too. A missing JDK or Maven is an error, never a skip.
    """
    from support.neo4j_server import TEST_JVM_ARGS, Neo4jLauncher

    launcher = Neo4jLauncher(work_dir=tmp_path_factory.mktemp("neo4j"), heap="1g",
                             jvm_args=TEST_JVM_ARGS)
    try:
        yield launcher
    finally:
        launcher.close()


@pytest.fixture(scope="session")
def neo4j_server(neo4j_launcher):
    """The session's main Neo4j server (auth on, user ``neo4j``, the known test password)."""
    return neo4j_launcher.start("main")


@pytest.fixture(scope="session")
def neo4j_scratch(neo4j_launcher):
    """A second server for tests that wipe or lock (a lock waits at most 1 s, then Neo4j fails
    the waiting transaction with its transient LockAcquisitionTimeout)."""
    return neo4j_launcher.start("scratch", lock_timeout_ms=1000)
