"""The ``lmkg`` command line: one thin verb per capability over the Python API."""

from __future__ import annotations

import importlib

import click

from lmkg import __version__

# Each verb and the module that defines it (its ``COMMANDS``). A verb's module is imported only
# when that verb runs (or ``--help`` lists them all): ``lmkg agents`` does not pay for the
# definitions of the other 20 verbs. tests/test_cli_core.py checks this table against the
# modules' COMMANDS.
VERB_MODULES = {
    "build": "core", "validate": "core", "stats": "core", "show": "core",
    "ontology": "core", "coverage": "core",
    "agents": "query", "path": "query", "neighbours": "query", "landscape": "query",
    "cypher": "query",
    "trials": "trials",
    "guidelines": "clinical",
    "map": "map",
    "report": "report",
    "sources": "sources", "fetch": "sources",
    "neo4j": "export", "export": "export", "sparql": "export",
}


class _LazyGroup(click.Group):
    """A group whose verbs are imported from :data:`VERB_MODULES` on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *VERB_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in VERB_MODULES:
            module = importlib.import_module(f"{__name__}.{VERB_MODULES[cmd_name]}")
            for cmd in module.COMMANDS:
                self.commands.setdefault(cmd.name, cmd)
        return self.commands.get(cmd_name)


@click.group(cls=_LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="lmkg")
def cli() -> None:
    """lmkg: the leptomeningeal-metastases therapeutic landscape as a knowledge graph.

    Build the graph from the curated data, ask it questions, draw it, export it.
    """


def commands() -> dict[str, click.Command]:
    """Every verb by name (imports every verb's module)."""
    return {name: cli.get_command(None, name) for name in cli.list_commands(None)}  # type: ignore[arg-type,misc]


def main() -> None:
    cli(prog_name="lmkg")
