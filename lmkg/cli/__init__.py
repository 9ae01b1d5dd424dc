"""The ``lmkg`` command line: one thin verb per capability over the Python API."""

from __future__ import annotations

import click

from lmkg import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="lmkg")
def cli() -> None:
    """lmkg: the leptomeningeal-metastases therapeutic landscape as a knowledge graph.

    Build the graph from the curated data, ask it questions, draw it, export it.
    """


_MODULES = ("core", "query", "trials", "clinical", "map", "report", "sources", "export")


def _register() -> None:
    import importlib

    for name in _MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for cmd in module.COMMANDS:
            cli.add_command(cmd)


_register()


def main() -> None:
    cli(prog_name="lmkg")
