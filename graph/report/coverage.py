"""Dataset coverage: counts against the dataset's targets and a list of what is missing.

``lmkg coverage -o data/COVERAGE.md`` writes the report; it is generated, never edited by hand.
"""

from __future__ import annotations

from typing import Any

from lmkg.ontology import EpiMeasure

from ..evidence import best_cns
from ..kg import KnowledgeGraph

# The dataset issue's targets: entity type -> minimum count.
TARGETS = {
    "Agent": 80, "Biomarker": 25, "PrimaryCancer": 12, "Company": 40, "ClinicalTrial": 60,
    "RegulatoryDesignation": 40, "Publication": 100,
}
# Names users and market reports expect to find (resolved through names and synonyms).
EXPECTED = {
    "PrimaryCancer": [
        "breast cancer", "HER2-positive breast cancer", "HR-positive HER2-negative breast cancer",
        "triple-negative breast cancer", "non-small cell lung cancer", "small cell lung cancer",
        "melanoma", "gastrointestinal cancer", "ovarian cancer", "acute lymphoblastic leukemia",
        "lymphoma", "neuroblastoma", "medulloblastoma"],
    "Biomarker": [
        "EGFR exon 19 deletion", "EGFR L858R", "EGFR T790M", "EGFR exon 20 insertion",
        "HER2 amplification", "HER2 mutation", "ALK fusion", "ROS1 fusion", "RET fusion",
        "NTRK fusion", "MET exon 14 skipping", "BRAF V600E", "KRAS G12C", "ER-positive",
        "PR-positive", "PD-L1 expression", "B7-H3 expression", "GD2 expression",
        "TROP2 expression", "CD19 expression", "CD20 expression", "LRP1 expression"],
    "Agent": [
        "osimertinib", "tucatinib", "rhenium-186 obisbemeda", "ANG1005", "omburtamab",
        "methotrexate", "cytarabine", "thiotepa", "pemetrexed", "trastuzumab"],
    "Company": [
        "Plus Therapeutics", "AstraZeneca", "Angiochem", "Y-mAbs Therapeutics", "Novartis",
        "Roche", "Pfizer", "Merck & Co.", "Bristol Myers Squibb", "Eli Lilly", "Takeda",
        "AbbVie", "Seagen", "Regeneron", "Eisai", "Daiichi Sankyo", "Ipsen", "BioMarin",
        "Amgen"],
    "Diagnostic": ["CSF cytology", "RANO-LM"],
    "DeliveryPlatform": ["Ommaya reservoir"],
    "Region": ["North America", "Europe", "Asia-Pacific", "Rest of World"],
    "Country": ["United States", "Germany", "United Kingdom", "France", "Italy", "Spain",
                "Japan"],
}


# Development stages at which published CNS data is expected (issue 12, item 4).
_LATE_STAGES = {"approved", "phase3"}


def _for_graph_biomarker(kg: KnowledgeGraph, agent: str) -> bool:
    """Whether the agent is for a biomarker of the graph: it TARGETS one (or a gene that has
    one), is APPROVED_FOR one, or is a component of a regimen approved for one (the MEK
    inhibitor of a BRAF/MEK combination acts on MEK, yet is approved for BRAF V600)."""
    for _s, _k, o, _d in kg.out_edges(agent, "TARGETS"):
        kind = kg.type_of(o)
        if kind == "Biomarker" or (kind == "Gene" and kg.in_edges(o, "ALTERATION_OF")):
            return True
    holders = [agent] + [r for r, _k, _o, _d in kg.in_edges(agent, "HAS_COMPONENT")]
    return any(kg.type_of(o) == "Biomarker"
               for h in holders for _s, _k, o, _d in kg.out_edges(h, "APPROVED_FOR"))


def coverage(kg: KnowledgeGraph) -> dict[str, Any]:
    stats = kg.stats()
    counts = stats["entities"]
    missing: dict[str, list[str]] = {}
    for etype, names in EXPECTED.items():
        gone = [n for n in names if not kg.lookup(n, types=[etype])]
        if gone:
            missing[etype] = gone
    agents = kg.ids("Agent")
    no_cns = [kg.name_of(a) for a in agents if not kg.node(a).get("cns_evidence")]
    late_no_cns = [kg.name_of(a) for a in agents
                   if kg.node(a).get("status") in _LATE_STAGES
                   and _for_graph_biomarker(kg, a) and not kg.node(a).get("cns_evidence")]
    cns_no_cancer = [kg.name_of(a) for a in agents
                     if (ev := kg.node(a).get("cns_evidence"))
                     and not any(e.get("cancer") for e in ev)]
    lm_level = [a for a in agents
                if (b := best_cns(kg.node(a).get("cns_evidence", []))) and b["level"] == "lm_clinical"]
    no_target = [kg.name_of(a) for a in agents if not kg.out_edges(a, "TARGETS")
                 and not kg.out_edges(a, "MEMBER_OF")]
    no_company = [kg.name_of(a) for a in agents if not kg.out_edges(a, "DEVELOPED_BY")]
    no_trial = [kg.name_of(a) for a in agents if not kg.out_edges(a, "EVALUATED_IN")]
    bio_no_agent = [kg.name_of(b) for b in kg.ids("Biomarker")
                    if not kg.in_edges(b, "TARGETS")
                    and not any(kg.in_edges(g, "TARGETS")
                                for *_x, g, _d in kg.out_edges(b, "ALTERATION_OF"))]
    bio_no_cancer = [kg.name_of(b) for b in kg.ids("Biomarker") if not kg.out_edges(b, "OCCURS_IN")]
    cancer_no_incidence = [kg.name_of(c) for c in kg.ids("PrimaryCancer")
                           if not any(EpiMeasure(f["measure"]).is_incidence
                                      for f in kg.node(c).get("epidemiology", ()))]
    companies_no_programme = [kg.name_of(c) for c in kg.ids("Company")
                              if not kg.in_edges(c, "DEVELOPED_BY")
                              and not kg.in_edges(c, "SPONSORED_BY")]
    edges = list(kg.edges())
    secondary_only = sum(1 for *_x, d in edges
                         if d.get("sources") and all(s.get("secondary") for s in d["sources"]))
    lm_trials = [t for t in kg.ids("ClinicalTrial") if kg.node(t).get("lm_specific")]
    return {
        "counts": counts,
        "targets": {k: {"target": v, "have": counts.get(k, 0), "met": counts.get(k, 0) >= v}
                    for k, v in TARGETS.items()},
        "relations": stats["total_relations"],
        "relations_with_sources": stats["relations_with_sources"],
        "relations_secondary_only": secondary_only,
        "lm_specific_trials": len(lm_trials),
        "agents_with_lm_clinical_evidence": len(lm_level),
        "missing_expected": missing,
        "gaps": {
            "agents without CNS evidence": sorted(no_cns),
            "approved or phase-3 agents for a graph biomarker without CNS evidence":
                sorted(late_no_cns),
            "agents whose CNS evidence names no cancer": sorted(cns_no_cancer),
            "agents without a target or class": sorted(no_target),
            "agents without a developer": sorted(no_company),
            "agents without a trial": sorted(no_trial),
            "biomarkers no agent targets": sorted(bio_no_agent),
            "biomarkers not linked to a cancer": sorted(bio_no_cancer),
            "cancers without a sourced LM incidence among patients": sorted(cancer_no_incidence),
            "companies with no agent or trial in the graph": sorted(companies_no_programme),
        },
    }


def coverage_markdown(kg: KnowledgeGraph) -> str:
    c = coverage(kg)
    lines = [
        "# Dataset coverage",
        "",
        "Generated by `lmkg coverage -o data/COVERAGE.md` from the curated data; do not edit.",
        "",
        "## Targets",
        "",
        "| entity type | target | have | met |",
        "|---|---:|---:|---|",
    ]
    for k, v in c["targets"].items():
        lines.append(f"| {k} | {v['target']} | {v['have']} | {'yes' if v['met'] else 'NO'} |")
    lines += ["", "## All counts", "", "| entity type | count |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in c["counts"].items()]
    lines += [
        "",
        f"- relations: {c['relations']}, with sources: {c['relations_with_sources']}; "
        f"resting on secondary sources only: {c['relations_secondary_only']}",
        f"- LM-specific trials: {c['lm_specific_trials']}",
        f"- agents with LM-specific clinical evidence: {c['agents_with_lm_clinical_evidence']}",
        "",
        "## Expected names not found",
        "",
    ]
    if c["missing_expected"]:
        for k, names in c["missing_expected"].items():
            lines.append(f"- {k}: {', '.join(names)}")
    else:
        lines.append("None.")
    lines += ["", "## Gaps", ""]
    for k, names in c["gaps"].items():
        lines.append(f"- {k} ({len(names)}): {', '.join(names) if names else 'none'}")
    return "\n".join(lines) + "\n"
