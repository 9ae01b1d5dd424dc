"""Epidemiology that says what it measures: a cancer's figures by named measure.

Each figure names its measure (``lm_incidence_among_patients``, ``share_of_lm_cases``,
``median_os_from_lm_diagnosis``, ...; :class:`lmkg.ontology.EpiMeasure`), so an incidence among
patients is never shown as, or mixed with, a share of LM cases.
"""

from __future__ import annotations

from typing import Any

from lmkg.ontology import EpiMeasure

from ..kg import KnowledgeGraph
from .rows import Rows

# How the measures read in a table header, in display order.
MEASURE_LABEL: dict[str, str] = {
    "lm_incidence_among_patients": "LM incidence among patients",
    "lm_cumulative_incidence": "LM cumulative incidence",
    "lm_at_diagnosis": "LM at diagnosis of the cancer",
    "share_of_lm_cases": "share of LM cases",
    "share_of_relapses": "share of relapses",
    "cns_metastasis_incidence": "CNS metastasis/relapse incidence (not LM-specific)",
    "cns_involvement_at_diagnosis": "CNS involvement at diagnosis (not LM-specific)",
    "median_os_from_lm_diagnosis": "median OS from LM diagnosis",
    "median_os_treated": "median OS, treated",
    "median_os_untreated": "median OS, untreated",
    "median_os_after_cns_relapse": "median OS after CNS relapse (not LM-specific)",
    "survival_rate": "survival rate",
}
assert set(MEASURE_LABEL) == set(EpiMeasure.values()), "every measure needs a label"
_ORDER = {m: i for i, m in enumerate(MEASURE_LABEL)}


def epidemiology(kg: KnowledgeGraph, cancer: str) -> list[dict[str, Any]]:
    """The cancer's figures (by id or any name), each with its measure and the label of it,
    value, population, biomarker (id and name), period, region, patients, the source's wording
    (``metric``) and the source; in measure order."""
    cid = cancer if cancer in kg else kg.resolve(cancer, types=["PrimaryCancer"])
    rows = []
    for fig in kg.node(cid).get("epidemiology", []):
        b = fig.get("biomarker")
        rows.append({
            "measure": fig["measure"], "measure_label": MEASURE_LABEL[fig["measure"]],
            "value": fig["value"], "population": fig["population"],
            "biomarker_id": b, "biomarker": kg.name_of(b) if b and b in kg else b,
            "metric": fig.get("metric"), "period": fig.get("period"),
            "region": fig.get("region"), "patients": fig.get("patients"),
            "source": fig["source"],
        })
    rows.sort(key=lambda r: (_ORDER[r["measure"]], r["biomarker"] or ""))
    return Rows(rows)


def figures_by_measure(kg: KnowledgeGraph, cancer: str, *measures: str) -> list[str]:
    """The cancer's figures of the given measures as short text: ``value (population)``, with
    the biomarker first when the figure is for a biomarker-selected population."""
    out = []
    for r in epidemiology(kg, cancer):
        if r["measure"] not in measures:
            continue
        who = f"{r['biomarker']}: " if r["biomarker"] else ""
        out.append(f"{who}{r['value']} ({r['population']})")
    return out


__all__ = ["MEASURE_LABEL", "epidemiology", "figures_by_measure"]
