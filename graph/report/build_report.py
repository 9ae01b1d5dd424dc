"""The build report: what each source contributed, what was rejected, what changed.

Written as JSON (``lmkg-build-report.json``, machine-readable) and Markdown (same name,
``.md``) beside the built graph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lmkg.atomic import atomic_write

from ..kg import KnowledgeGraph


def previous_summary(graph_path: Path) -> dict[str, Any] | None:
    """Counts and ids of the graph currently at ``graph_path`` (before it is replaced)."""
    if not graph_path.exists():
        return None
    from ..store import load_graph

    try:
        prev = load_graph(graph_path)
    except Exception:
        return None
    return {"stats": prev.stats(), "ids": set(prev.g.nodes),
            "edges": {(s, k, o) for s, o, k in prev.g.edges(keys=True)},
            "built_at": prev.meta.get("built_at")}


def compare(before: dict[str, Any] | None, kg: KnowledgeGraph) -> dict[str, Any] | None:
    if before is None:
        return None
    now = kg.stats()
    ids = set(kg.g.nodes)
    edges = {(s, k, o) for s, o, k in kg.g.edges(keys=True)}
    ent = {t: now["entities"][t] - before["stats"]["entities"].get(t, 0)
           for t in now["entities"]}
    rel_types = set(now["relations"]) | set(before["stats"]["relations"])
    rel = {t: now["relations"].get(t, 0) - before["stats"]["relations"].get(t, 0)
           for t in sorted(rel_types)}
    return {
        "previous_build": before["built_at"],
        "entities_added": sorted(ids - before["ids"]),
        "entities_removed": sorted(before["ids"] - ids),
        "relations_added": len(edges - before["edges"]),
        "relations_removed": len(before["edges"] - edges),
        "entity_count_change": {k: v for k, v in ent.items() if v},
        "relation_count_change": {k: v for k, v in rel.items() if v},
    }


def lm_trial_sections(kg: KnowledgeGraph) -> dict[str, Any]:
    """The report's LM-trial sections: what share of the LM trials has each field, and the
    statuses that contradict the results the graph cites (docs/trials.md)."""
    from ..query.trials import status_flags, trial_coverage

    flagged = []
    for t in kg.ids("ClinicalTrial"):
        for why in status_flags(kg, t):
            node = kg.node(t)
            flagged.append({"trial": t, "name": node.get("name"), "status": node.get("status"),
                            "status_as_of": node.get("status_as_of"), "reason": why})
    return {"lm_trials": trial_coverage(kg), "status_checks": flagged}


def _lm_trials_markdown(doc: dict[str, Any]) -> list[str]:
    cov = doc.get("lm_trials")
    if not cov:
        return []
    pops = ", ".join(f"{v} {k}" for k, v in cov["by_population"].items() if k and v)
    out = ["", "## LM trials", "",
           f"{cov['lm_trials']} LM trials ({pops}); {cov['interventional']} interventional "
           "(or of unknown type). Share of the LM trials with each field:", "",
           "| field | all LM trials | interventional |", "|---|---:|---:|"]
    for label, v in cov["fields"].items():
        a, i = v["all"], v["interventional"]
        out.append(f"| {label} | {a['count']} ({a['share']:.0%}) | "
                   f"{i['count']} ({i['share']:.0%}) |" if a["of"] and i["of"] else
                   f"| {label} | {a['count']} | {i['count']} |")
    checks = doc.get("status_checks") or []
    out += ["", f"Statuses that contradict cited results: {len(checks)}.", ""]
    out += [f"- {c['name']} ({c['trial']}): {c['reason']}" for c in checks]
    return out


def write_reports(report_path: Path, graph_path: Path, kg: KnowledgeGraph, data: Path,
                  curated: Any, curated_stats: dict[str, Any], sources: list[dict[str, Any]],
                  before: dict[str, Any] | None, built: bool = True) -> Path:
    """Write the JSON report and its Markdown twin; return the Markdown path.

    ``built`` False: the build failed (a source could not be used) and the graph at
    ``graph_path`` was not replaced; the report says why, per source.
    """
    failures = {r["source"]: r["failures"] for r in sources if r.get("failures")}
    doc = {
        "graph": str(graph_path),
        "built": built,
        "failures": failures,
        "meta": kg.meta,
        "stats": kg.stats(),
        "sources": {
            "curated": {
                "path": str(data),
                "read": len(curated.entities) + len(curated.relations) + len(curated.rejected),
                "entities": len(curated.entities),
                "relations": len(curated.relations),
                "invalid": len(curated.rejected),
                "entities_after_curated": curated_stats["total_entities"],
                "relations_after_curated": curated_stats["total_relations"],
            },
            **{r["source"]: r for r in sources},
        },
        "problems": [p.as_dict() for p in curated.problems],
        "rejected": curated.rejected_report(),
        "changes": compare(before, kg) if built else None,
        **lm_trial_sections(kg),
    }
    with atomic_write(report_path) as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False, default=str)
    md_path = report_path.with_suffix(".md")
    with atomic_write(md_path) as fh:
        fh.write(markdown(doc))
    return md_path


LISTED_MD = 50


def markdown(doc: dict[str, Any]) -> str:
    """The report for people: the status, one table row per source, then per source what
    was set aside (invalid rows with file and line, out-of-scope and unmatched reasons), the
    file problems, conflicts and ambiguous matches, and the changes since the last build."""
    st = doc["stats"]
    out = ["# lmkg build report", ""]
    if doc.get("built", True):
        out += [f"Graph: `{doc['graph']}` — built {doc['meta'].get('built_at')}: "
                f"{st['total_entities']} entities, {st['total_relations']} relations "
                f"({st['share_with_sources']:.0%} with sources)."]
    else:
        out += [f"**Build failed**: nothing was built; `{doc['graph']}` was left as it was. "
                "These sources cannot be used (`--lenient` builds from the records that could "
                "be read):", ""]
        out += [f"- **{name}**: {why}" for name, whys in doc["failures"].items()
                for why in whys]
    if doc.get("built", True) and doc.get("failures"):
        out += ["", "Built with `--lenient` although these sources have errors:", ""]
        out += [f"- **{name}**: {why}" for name, whys in doc["failures"].items()
                for why in whys]
    out += ["", "## Sources", "",
            "Each record read is matched, created, out of scope (sound, but about nothing the "
            "graph holds, or left out by rule), unmatched (could not be matched safely) or "
            "invalid (broken: the only records rejected).", "",
            "| source | read | matched | created | out of scope | unmatched | invalid (rejected) "
            "| duplicates | relations added | conflicts | ambiguous | accounted | status |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    cur = doc["sources"]["curated"]
    out.append(f"| curated | {cur['read']} | - | {cur['entities'] + cur['relations']} | - | - | "
               f"{cur['invalid']} | - | {cur['relations']} | - | - | yes | ok |")
    for name, r in doc["sources"].items():
        if name == "curated":
            continue
        status = ("ok" if not r.get("failures")
                  else "kept (lenient)" if doc.get("built", True) else "FAILED")
        out.append(f"| {name} | {r['read']} | {r['matched']} | {r['created']} | "
                   f"{r['out_of_scope']} | {r['unmatched']} | {r['invalid']} | "
                   f"{r.get('duplicate', 0)} | {r['relations_added']} | {len(r['conflicts'])} | {len(r['ambiguous'])} | "
                   f"{'yes' if r['balanced'] else 'NO'} | {status} |")
    for name, r in doc["sources"].items():
        if name == "curated":
            continue
        out += _source_md(name, r)
    if doc["rejected"]:
        out += ["", "## Curated records rejected", ""]
        out += [f"- {r['file']}:{r['line']} {r['record']}: {'; '.join(r['reasons'])}"
                for r in doc["rejected"]]
    out += _lm_trials_markdown(doc)
    ch = doc.get("changes")
    out += ["", "## Changes since the previous build", ""]
    if not doc.get("built", True):
        out.append("None: the build failed.")
    elif ch is None:
        out.append("No previous build to compare with.")
    else:
        out.append(f"Previous build {ch['previous_build']}: {len(ch['entities_added'])} entities "
                   f"added, {len(ch['entities_removed'])} removed; {ch['relations_added']} "
                   f"relations added, {ch['relations_removed']} removed.")
        for k, v in ch["entity_count_change"].items():
            out.append(f"- {k}: {v:+d}")
        for k, v in ch["relation_count_change"].items():
            out.append(f"- {k}: {v:+d}")
        if ch["entities_removed"]:
            out.append(f"- removed: {', '.join(ch['entities_removed'][:30])}")
    return "\n".join(out) + "\n"


def _source_md(name: str, r: dict[str, Any]) -> list[str]:
    out = ["", f"### {name}", "", f"Path `{r['path']}`, version {r.get('version') or '-'}"
           + (f", content hash {r['hash']}" if r.get("hash") else "") + "."]
    if r.get("failures"):
        out += ["", "**Cannot be used:**", ""] + [f"- {why}" for why in r["failures"]]
    problems = r.get("problems") or []
    errors = [p for p in problems if p["severity"] == "error"]
    warnings = [p for p in problems if p["severity"] != "error"]
    for label, items in (("File errors", errors), ("Warnings", warnings)):
        if items:
            out += ["", f"{label}:", ""]
            out += [f"- {_where(p)}: {p['reason']}" for p in items[:LISTED_MD]]
            if len(items) > LISTED_MD:
                out.append(f"- ... and {len(items) - LISTED_MD} more (JSON report)")
    for kind, title in (("invalid", "Invalid records (rejected)"),
                        ("out_of_scope", "Out of scope"), ("unmatched", "Unmatched"),
                        ("duplicate", "Duplicates (another copy was kept)")):
        reasons: dict[str, int] = r.get(f"{kind}_by_reason") or {}
        if not reasons:
            continue
        out += ["", f"{title}, by reason:", ""]
        out += [f"- {k}: {v}" for k, v in reasons.items()]
        if kind != "out_of_scope":
            rows = r.get(f"{kind}_rows") or []
            out += ["", f"{title}, the first {min(len(rows), LISTED_MD)}:", ""]
            out += [f"- {_where(x)} {x.get('record') or ''}: {'; '.join(x['reasons'])}"
                    for x in rows[:LISTED_MD]]
    if r["conflicts"]:
        out += ["", "Conflicts (the value kept is named):", ""]
        out += [f"- {c['name']} `{c['field']}`: graph {c['graph_value']!r}, "
                f"source {c['source_value']!r} (record {c['record']}); kept: {c['kept']}"
                for c in r["conflicts"][:LISTED_MD]]
        if len(r["conflicts"]) > LISTED_MD:
            out.append(f"- ... and {len(r['conflicts']) - LISTED_MD} more (JSON report)")
    if r["ambiguous"]:
        out += ["", "Ambiguous matches:", ""]
        out += [f"- {a['type']} {a['name']!r} (record {a['record']}): "
                f"{'; '.join(a['candidates'])}" for a in r["ambiguous"][:LISTED_MD]]
    return out


def _where(p: dict[str, Any]) -> str:
    return (p.get("file") or "?") + (f":{p['line']}" if p.get("line") else "")
