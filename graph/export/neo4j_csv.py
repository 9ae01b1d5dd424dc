"""``neo4j-admin database import`` files: one CSV per label and per relationship type, with a
README giving the exact import command and a constraints script."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

from lmkg.errors import LmkgError

from ..kg import KnowledgeGraph
from .neo4j_statements import Dialect, node_rows, rel_rows, schema_statements
from .propgraph import edge_properties, node_properties, node_schema, relationship_schema

# The Neo4j line lmkg's test suite runs the import command against (tests/test_neo4j_server.py).
TESTED_NEO4J = "5.26"

_CSV_TYPE = {"STRING": "", "STRING[]": ":string[]", "INT64": ":int", "BOOLEAN": ":boolean",
             "DOUBLE": ":double"}
_ARRAY_DELIMITERS = ("|", ";", "¦", "\x1f")


def _array_delimiter(kg: KnowledgeGraph) -> str:
    """The first candidate delimiter that occurs in no list item of the graph."""
    items: set[str] = set()
    for _, d in kg.g.nodes(data=True):
        for v in node_properties(d).values():
            if isinstance(v, list):
                items.update(map(str, v))
    for *_, d in kg.g.edges(keys=True, data=True):
        for v in edge_properties(d).values():  # (the key is never a list)
            if isinstance(v, list):
                items.update(map(str, v))
    for cand in _ARRAY_DELIMITERS:
        if not any(cand in it for it in items):
            return cand
    raise LmkgError("every candidate array delimiter occurs in the data; cannot write CSV")


def _csv_cell(value: Any, delim: str) -> str:
    if value is None or value == []:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return delim.join(str(v) for v in value)
    return str(value)


def write_neo4j_csv(kg: KnowledgeGraph, out_dir: Path) -> dict[str, Any]:
    """Node and relationship CSVs for ``neo4j-admin database import full``, a constraints script
    and a README with the exact import command. Returns a summary (files, counts, command)."""
    out_dir = Path(out_dir)
    delim = _array_delimiter(kg)
    nschema, rschema = node_schema(), relationship_schema()
    files_n: list[str] = []
    files_r: list[str] = []
    counts_n: dict[str, int] = {}
    counts_r: dict[str, int] = {}
    for label, rows in node_rows(kg).items():
        cols = [c for c in nschema[label] if c != "id"]
        header = ["id:ID", ":LABEL", *(c + _CSV_TYPE[nschema[label][c]] for c in cols)]
        name = f"nodes_{label}.csv"
        with (out_dir / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow([r["id"], label, *(_csv_cell(r["props"].get(c), delim) for c in cols)])
        files_n.append(name)
        counts_n[label] = len(rows)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (rtype, _s, _o), rows in rel_rows(kg).items():
        by_type[rtype].extend(rows)
    for rtype, rows in sorted(by_type.items()):
        cols = list(rschema[rtype])
        header = [":START_ID", ":END_ID", ":TYPE", *(c + _CSV_TYPE[rschema[rtype][c]] for c in cols)]
        name = f"rels_{rtype}.csv"
        with (out_dir / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow([r["s"], r["o"], rtype,
                            *(_csv_cell(r["props"].get(c), delim) for c in cols)])
        files_r.append(name)
        counts_r[rtype] = len(rows)
    with (out_dir / "constraints.cypher").open("w", encoding="utf-8") as fh:
        fh.write("// Run after the import, on the started database: "
                 "cypher-shell -d neo4j -f import/constraints.cypher\n")
        fh.writelines(s + ";\n" for s in schema_statements(Dialect.NEO4J))
    command = import_command(files_n, files_r, delim)
    (out_dir / "README.md").write_text(_csv_readme(command, counts_n, counts_r, delim),
                                       encoding="utf-8")
    return {"nodes": counts_n, "relationships": counts_r, "array_delimiter": delim,
            "command": command}


def _shell_quote(s: str) -> str:
    if s == "\x1f":
        return "$'\\x1f'"
    return "'" + s.replace("'", "'\\''") + "'"


def import_command(node_files: list[str], rel_files: list[str], delim: str) -> str:
    parts = ["neo4j-admin database import full"]
    parts += [f"--nodes=import/{f}" for f in node_files]
    parts += [f"--relationships=import/{f}" for f in rel_files]
    parts += [f"--array-delimiter={_shell_quote(delim)}", "--multiline-fields=true",
              "--overwrite-destination=true", "neo4j"]
    return " \\\n  ".join(parts)


def _csv_readme(command: str, counts_n: dict[str, int], counts_r: dict[str, int],
                delim: str) -> str:
    rows_n = "\n".join(f"| {k} | {v} |" for k, v in counts_n.items())
    rows_r = "\n".join(f"| {k} | {v} |" for k, v in counts_r.items())
    return f"""# lmkg graph as neo4j-admin import files

Written by `lmkg export --format neo4j-csv`. One file per label (`nodes_<Label>.csv`, header
`id:ID,:LABEL,...`) and per relationship type (`rels_<TYPE>.csv`, header
`:START_ID,:END_ID,:TYPE,...`); typed columns (`:int`, `:boolean`, `:string[]`), list items
joined by `{delim if delim != chr(31) else 'U+001F'}`; an empty cell is an absent property. Nested records (CNS evidence,
incidence figures, sources) are JSON text in `*_json` columns; `cns_level`, `cns_level_rank`,
`cns_penetrant` (agents) and `source_ids` (relationships) are flattened for filtering.

## Import (Neo4j 5)

The import writes a new database named `neo4j`, with the DBMS stopped (`neo4j stop`, or Stop
in Neo4j Desktop). Copy this folder's files into the DBMS's `import/` folder, then run from the
DBMS home, the folder that holds `bin/` and `import/` (`bin/neo4j-admin` in a tarball or
Desktop DBMS):

```sh
{command}
```

`--overwrite-destination=true` replaces an existing `neo4j` database.

Tested with Neo4j {TESTED_NEO4J} (Community Edition): lmkg's test suite runs exactly this command
from a DBMS home that holds these files in `import/`, checks that the importer reports no bad entries (the
`import.report` file it leaves in the DBMS home is empty), then opens the database and finds the
same counts, properties and cookbook answers (docs/cypher.md) as in a database filled by
`lmkg neo4j push`.

Then start the DBMS (`neo4j start`) and create the constraints and indexes that
`lmkg neo4j push` would create (uniqueness of `id`, an index on `name`, per label):

```sh
cypher-shell -u neo4j -d neo4j -f import/constraints.cypher
```

(or paste the file into Neo4j Browser).

## Contents

| label | nodes |
|---|---|
{rows_n}

| type | relationships |
|---|---|
{rows_r}
"""
