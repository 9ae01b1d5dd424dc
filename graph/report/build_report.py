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
                  before: dict[str, Any] | None) -> Path:
    doc = {
        "graph": str(graph_path),
        "meta": kg.meta,
        "stats": kg.stats(),
        "sources": {
            "curated": {
                "path": str(data),
                "read": len(curated.entities) + len(curated.relations) + len(curated.rejected),
                "entities": len(curated.entities),
                "relations": len(curated.relations),
                "rejected": len(curated.rejected),
                "entities_after_curated": curated_stats["total_entities"],
                "relations_after_curated": curated_stats["total_relations"],
            },
            **{r["source"]: r for r in sources},
        },
        "problems": [p.as_dict() for p in curated.problems],
        "rejected": curated.rejected_report(),
        "changes": compare(before, kg),
        **lm_trial_sections(kg),
    }
    with atomic_write(report_path) as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False, default=str)
    md_path = report_path.with_suffix(".md")
    with atomic_write(md_path) as fh:
        fh.write(markdown(doc))
    return md_path


def markdown(doc: dict[str, Any]) -> str:
    st = doc["stats"]
    out = ["# lmkg build report", "", f"Graph: `{doc['graph']}` — built "
           f"{doc['meta'].get('built_at')}: {st['total_entities']} entities, "
           f"{st['total_relations']} relations ({st['share_with_sources']:.0%} with sources).", ""]
    out += ["## Sources", "", "| source | read | matched | created | rejected | duplicates | "
            "relations added | conflicts | ambiguous | accounted |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    cur = doc["sources"]["curated"]
    out.append(f"| curated | {cur['read']} | - | {cur['entities'] + cur['relations']} | "
               f"{cur['rejected']} | - | {cur['relations']} | - | - | yes |")
    for name, r in doc["sources"].items():
        if name == "curated":
            continue
        out.append(f"| {name} | {r['read']} | {r['matched']} | {r['created']} | {r['rejected']} "
                   f"| {r.get('duplicates', 0)} | {r['relations_added']} | "
                   f"{len(r['conflicts'])} | {len(r['ambiguous'])} | "
                   f"{'yes' if r['balanced'] else 'NO'} |")
    for name, r in doc["sources"].items():
        if name == "curated":
            continue
        out += ["", f"### {name}", "", f"Path `{r['path']}`, version {r.get('version') or '-'}."]
        reasons: dict[str, int] = r.get("rejections_by_reason") or {}
        if reasons:
            out += ["", "Rejected, by reason:", ""]
            out += [f"- {k}: {v}" for k, v in sorted(reasons.items(), key=lambda x: -x[1])]
        if r["conflicts"]:
            out += ["", "Conflicts (the value kept is named):", ""]
            out += [f"- {c['name']} `{c['field']}`: graph {c['graph_value']!r}, "
                    f"source {c['source_value']!r} (record {c['record']}); kept: {c['kept']}"
                    for c in r["conflicts"][:50]]
            if len(r["conflicts"]) > 50:
                out.append(f"- ... and {len(r['conflicts']) - 50} more (JSON report)")
        if r["ambiguous"]:
            out += ["", "Ambiguous matches:", ""]
            out += [f"- {a['type']} {a['name']!r} (record {a['record']}): "
                    f"{'; '.join(a['candidates'])}" for a in r["ambiguous"][:50]]
    if doc["rejected"]:
        out += ["", "## Curated records rejected", ""]
        out += [f"- {r['file']}:{r['line']} {r['record']}: {'; '.join(r['reasons'])}"
                for r in doc["rejected"]]
    out += _lm_trials_markdown(doc)
    ch = doc.get("changes")
    out += ["", "## Changes since the previous build", ""]
    if ch is None:
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
