"""The scientist's verbs: agents, path, neighbours, landscape, cypher."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import (
    FORMAT_ROWS,
    emit_json,
    emit_query_rows,
    emit_rows,
    fold,
    get_graph,
    graph_option,
    handle_errors,
    is_wide,
    limit_options,
    note,
    saved_graph,
    say,
    source_label,
    wide_option,
)

LEVELS = ["preclinical", "csf_pk", "intracranial_response", "lm_clinical"]


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


AGENT_COLUMNS = ["rank", "agent", "relation", "evidence", "cancer", "cns", "strength"]
RESISTANCE_COLUMNS = ["rank", "agent", "evidence", "cancer", "source"]
# json/csv carry every table column and the rest of the row.
AGENT_CSV_COLUMNS = [*AGENT_COLUMNS, "basis", "type", "tier", "biomarker", "evidence_cancer",
                     "evidence_cancers",
                     "cancer_context", "cns_level", "cns_ranked_level", "cns_lowered_by",
                     "cns_context", "cns_cancer", "cns_biomarker", "cns_biomarker_context",
                     "cns_route", "cns_strength",
                     "cns_evidence", "cns_penetrant", "lm_evidence", "components", "classes",
                     "companies", "status", "withdrawn_approval", "approved_for",
                     "guideline_mentions", "notes", "why",
                     "basis_sources",
                     "sources", "id"]
CNS_SHORT = {"preclinical": "preclinical", "csf_pk": "CSF/PK", "intracranial_response":
             "intracranial", "lm_clinical": "LM clinical"}


def _short(kg, name: str | None, types: tuple[str, ...] = ("PrimaryCancer",)) -> str:
    """A cancer's (or biomarker's) shortest name for a table cell (NSCLC, HER2-positive); the
    full one is in json and csv."""
    if not name:
        return "-"
    hits = kg.lookup(name, types=list(types))
    if len(hits) != 1:
        return name
    node = kg.node(hits[0])
    if len(node["name"]) <= SHORT_NAME:
        return node["name"]  # a synonym may be narrower (EML4-ALK for ALK fusion)
    names = [n for n in node.get("synonyms", ()) if len(n) >= 4]
    return min(names, key=len) if names else name


SHORT_NAME = 20
# Table cells are cut here (json and csv carry them whole) so the table fits the terminal.
CELL_MAX = {"agent": 40, "source": 48}  # a three-agent regimen fits whole


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _cancer_cell(kg, h) -> str:
    """The cancer of the row's basis; with no cancer asked, every cancer where it holds as
    strongly ("melanoma, NSCLC, tissue-agnostic")."""
    where = _short(kg, h.evidence_cancer)
    if h.cancer_context == "other cancer":
        return f"{where} (other cancer)"
    if h.cancer_context is None and len(h.evidence_cancers) > 1:
        return ", ".join(_short(kg, c) for c in h.evidence_cancers)
    return where


def _cns_cell(kg, h) -> str:
    """The CNS level the row was ranked at, and in brackets what the cell needs to be read
    right: the record's own level when it counts less, and why (a case report, few patients,
    another cancer, another biomarker), the cancer when the row has none, and the route when
    the record says how the agent was given ("intracranial (LM case report)",
    "LM clinical (intrathecal)")."""
    if not h.cns_level:
        return "-"
    ranked = h.cns_ranked_level or h.cns_level
    notes = []
    anecdote = next((w for w in h.cns_lowered_by if w not in ("other cancer",
                                                              "other biomarker")), None)
    if ranked != h.cns_level or anecdote:
        own = CNS_OWN[h.cns_level]
        notes.append(f"{own} case report" if anecdote == "case report"
                     else f"{own}, {anecdote}" if anecdote else own)
    if h.cns_context == "other cancer":
        notes.append(f"{_short(kg, h.cns_cancer)}: other cancer")
    elif h.cns_cancer and h.cns_context is None:
        notes.append(_short(kg, h.cns_cancer))
    if h.cns_biomarker_context == "other biomarker":
        notes.append(f"{_short(kg, h.cns_biomarker, ('Biomarker', 'Gene'))}: other biomarker")
    if h.cns_route:
        notes.append(" + ".join(h.cns_route))
    text = CNS_SHORT[ranked]
    return f"{text} ({'; '.join(notes)})" if notes else text


# A record's own level, where the cell names it beside the level it was ranked at.
CNS_OWN = {"preclinical": "preclinical", "csf_pk": "CSF/PK", "intracranial_response":
           "intracranial", "lm_clinical": "LM"}


TIER_SHORT = {"approved": "approved", "guideline": "guideline", "clinical_trial": "trial",
              "case_report": "case report", "preclinical": "preclinical"}


def _evidence_cell(kg, h) -> str:
    """The basis in a few words: its tier, and the member it is for in a family query."""
    text = TIER_SHORT.get(h.tier or "", "acts on" if h.relation == "acts on" else "-")
    if h.withdrawn_approval and h.relation != "acts on":
        text += " (withdrawn)"
    if h.relation == "acts on" and h.tier:
        text = f"acts on; {TIER_SHORT[h.tier]} elsewhere"
    if h.basis_level and h.relation != "acts on":
        text += f" (CIViC {h.basis_level})"
    if any(g["match"] in ("direct", "regimen") for g in h.guidelines) and h.tier != "guideline":
        text += " + guideline"
    if h.biomarker and h.biomarker != h.query_name:
        text += f" [{_short(kg, h.biomarker, ('Biomarker', 'Gene'))}]"
    return text


def _agent_row(kg, h) -> dict:
    d = h.as_dict()
    d.update({"agent": h.name, "evidence": _evidence_cell(kg, h), "cancer": _cancer_cell(kg, h),
              "cns": _cns_cell(kg, h),
              "basis_sources": [source_label(s) for s in h.basis_sources],
              "source": [source_label(s) for s in h.basis_sources],
              "guideline_mentions": [g["short"] for g in h.guidelines],
              "strength": h.cns_strength if h.cns_level else "-",
              "sources": [source_label(s) for s in h.sources]})
    return d


@click.command()
@click.option("--biomarker", "-b", required=True,
              help="Biomarker, family or gene, by any name (EGFR, 'EGFR T790M', HER2, NTRK, "
                   "'BRAF V600', 'MET exon 14', ...).")
@click.option("--cancer", "-c", default=None,
              help="The cancer asked about: evidence from other cancers is labelled and ranks "
                   "below.")
@click.option("--cns-penetrant", "cns", is_flag=False, flag_value="csf_pk", default=None,
              type=click.Choice(LEVELS),
              help="Keep CNS-penetrant agents only; optionally the minimum evidence level "
                   "(default csf_pk).")
@click.option("--status", type=click.Choice(["approved", "investigational"]), default=None)
@click.option("--format", "fmt", type=FORMAT_ROWS, default="table", show_default=True)
@wide_option
@graph_option
@handle_errors
def agents(biomarker: str, cancer: str | None, cns: str | None, status: str | None, fmt: str,
           graph_path: Path | None) -> None:
    """What works for a biomarker: agents and regimens ranked by the biomarker evidence
    (approved > guideline > trial > case report > preclinical > acts on), then by CNS
    evidence; agents it predicts resistance to are listed apart.

    json is one object with "answers" and "resistance"; csv is one table with a "relation"
    column (sensitivity, acts on, resistance). The ranking: docs/queries.md.
    """
    from lmkg.graph.query import answer_biomarker

    kg = get_graph(graph_path)
    ans = answer_biomarker(kg, biomarker, cancer=cancer, cns_min_level=cns, status=status)
    filters = [f for f in (f"cancer {ans.cancer}" if ans.cancer else None,
                           f"CNS evidence >= {cns}" if cns else None,
                           f"status {status}" if status else None) if f]
    scope = f" ({', '.join(filters)})" if filters else ""
    if fmt == "json":
        emit_json(ans.as_dict())
        return
    rows = [_agent_row(kg, h) for h in ans.answers]
    res_rows = [_agent_row(kg, h) for h in ans.resistance]
    if fmt == "table" and not is_wide():  # --wide shows every cell whole
        for r in rows + res_rows:
            r["agent"] = _cut(r["agent"], CELL_MAX["agent"])
            r["source"] = [_cut(s, CELL_MAX["source"]) for s in r["source"]]
    if fmt == "csv":
        emit_rows(rows + res_rows, AGENT_CSV_COLUMNS, fmt)
        return
    if ans.family:
        note(fold(f"{ans.target_name}: answers for {', '.join(ans.family)}", indent="  "))
    if rows:
        emit_rows(rows, AGENT_COLUMNS, fmt, title=f"What works for {ans.target_name}{scope}")
    else:
        note(f"no agents found for {ans.target_name}{scope} (searched what acts on it and "
             "its predictive associations)")
    if res_rows:
        emit_rows(res_rows, RESISTANCE_COLUMNS, fmt,
                  title=f"Resistance: {ans.target_name} predicts resistance to")


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 10))
@click.option("-k", "k", default=3, show_default=True, type=click.IntRange(1, 50),
              help="How many paths.")
@click.option("--via", multiple=True, help="Only walk these relations (comma-separated verbs).")
@click.option("--avoid", multiple=True, default=("Publication",), show_default=True,
              help="Entity types not to pass through (comma-separated); 'none' for none.")
@click.option("--rank", type=click.Choice(["length", "evidence"]), default="length",
              show_default=True, help="Order by length, or by the weakest hop's sourcing.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@wide_option
@limit_options(rows=False)
@graph_option
@handle_errors
def path(source: str, target: str, max_hops: int, k: int, via: tuple[str, ...],
         avoid: tuple[str, ...], rank: str, fmt: str, graph_path: Path | None, limits) -> None:
    """The k shortest paths between two entities, each hop with its sources.

    The search runs within --timeout and --max-memory (-k caps the number of paths).
    """
    from lmkg.graph.query import run_paths

    kg = get_graph(graph_path)
    avoid_list = [a for a in _split(avoid) if a.lower() != "none"]
    paths = run_paths(kg, source, target, limits, max_hops=max_hops, k=k,
                      via=_split(via) or None, avoid=avoid_list, rank=rank)
    if fmt == "json":
        emit_json([{"rank": i, **d} for i, d in enumerate(paths, 1)])
        return
    for i, d in enumerate(paths, 1):
        say(fold(f"{d['chain']}  ({d['length']} hops, weakest evidence "
                 f"{d['weakest_evidence']:g})", first=f"{i}. ", indent="   "))
        for hop in d["hops"]:
            link = (f"-{hop['relation']}->" if hop["direction"] == "forward"
                    else f"<-{hop['relation']}-")
            srcs = "; ".join(source_label(s) for s in hop["sources"]) or "-"
            derived = f" [derived: {hop['derived']}]" if hop["derived"] else ""
            say(fold(f"{hop['from']} {link} {hop['to']}{derived}", first="   ",
                     indent="     "))
            say(fold(srcs, first="      sources: ", indent="        "))


@click.command()
@click.argument("name")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 5))
@click.option("--types", multiple=True, help="Only show these entity types (comma-separated).")
@click.option("--format", "fmt", type=FORMAT_ROWS, default="table", show_default=True)
@wide_option
@graph_option
@handle_errors
def neighbours(name: str, depth: int, types: tuple[str, ...], fmt: str,
               graph_path: Path | None) -> None:
    """Entities within --depth hops of NAME, nearest first, with the link that reaches them."""
    from lmkg.graph.query import neighbours as find

    kg = get_graph(graph_path)
    rows = find(kg, name, depth=depth, types=_split(types) or None)
    if not rows and fmt != "json":
        note(f"nothing within {depth} hop(s) of {kg.name_of(kg.resolve(name))}"
             + (f" of type {', '.join(_split(types))}" if types else ""))
        return
    emit_rows(rows, ["distance", "type", "name", "via", "id"] + (["link"] if fmt == "csv" else []),
              fmt, title=f"Neighbours of {name} (depth {depth})")


@click.command()
@click.option("--by", "by", required=True,
              type=click.Choice(["company", "class", "biomarker", "phase", "designation",
                                 "cancer"]))
@click.option("--lm-only", is_flag=True,
              help="designation view: only designations for a leptomeningeal indication.")
@click.option("--rollup/--no-rollup", default=True, show_default=True,
              help="Count subsidiaries and acquired companies under their group's head "
                   "(one AstraZeneca, one Roche with Genentech); --no-rollup lists each.")
@click.option("--format", "fmt", type=FORMAT_ROWS, default="table", show_default=True)
@wide_option
@graph_option
@handle_errors
def landscape(by: str, lm_only: bool, rollup: bool, fmt: str, graph_path: Path | None) -> None:
    """Landscape tables: pipeline counts and lists by company, class, biomarker, phase,
    designation or cancer.

    --by phase groups agents by their development stage in LM (an LM approval, else the
    highest phase of their LM trials), not their global status (docs/trials.md).
    """
    from lmkg.graph.query import landscape as table

    kg = get_graph(graph_path)
    rows = table(kg, by, lm_only=lm_only, rollup=rollup)
    if not rows:
        note("no rows" + (" (no designation has a leptomeningeal indication)" if lm_only else ""))
    cols = {
        "company": ["company", "subsidiaries", "agents", "approved", "investigational",
                    "cns_penetrant", "trials", "designations", "agent_names"],
        "class": ["class", "parent", "agents", "approved", "cns_penetrant", "agent_names"],
        "biomarker": ["biomarker", "gene", "agents", "sensitivity", "approved", "cns_penetrant",
                      "cancers"],
        "phase": ["phase", "agents", "globally_approved", "cns_penetrant", "refused",
                  "agent_names"],
        "designation": ["agent", "agency", "type", "outcome", "indication", "date",
                        "lm_indication", "companies", "sources"],
        "cancer": ["cancer", "agents", "approved", "trials", "lm_incidence_among_patients",
                   "share_of_lm_cases", "median_os_from_lm_diagnosis"],
    }[by]
    emit_rows(rows, cols, fmt, title=f"Landscape by {by}")


@click.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Query parameter ($NAME); VALUE is read as JSON when it parses, else text.")
@click.option("--format", "fmt", type=FORMAT_ROWS, default="table", show_default=True)
@wide_option
@limit_options()
@graph_option
@handle_errors
def cypher(query: str, params: tuple[str, ...], fmt: str, graph_path: Path | None,
           limits) -> None:
    """Run a read-only Cypher query on the built graph with no server (embedded Ladybug).

    Labels, relationship types and properties are those of the Neo4j export
    (docs/cypher.md). Pass values as parameters: -p biomarker=EGFR and $biomarker in the query.
    The query may only read the graph, and runs within --timeout, --max-rows and --max-memory.
    """
    from lmkg.errors import LmkgError
    from lmkg.graph.query.cypher import run_cypher

    values = {}
    for p in params:
        name, sep, raw = p.partition("=")
        if not sep or not name.isidentifier():
            raise LmkgError(f"--param takes NAME=VALUE, got {p!r}")
        try:
            values[name] = json.loads(raw)
        except ValueError:
            values[name] = raw
    gp = saved_graph(graph_path)  # the cache of a saved graph answers without reading it
    kg = get_graph(None) if gp is None else None
    cols, rows = run_cypher(kg, query, values, graph_path=gp, limits=limits)
    emit_query_rows(cols, rows, fmt)


COMMANDS = [agents, path, neighbours, landscape, cypher]
