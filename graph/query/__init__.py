"""The questions users bring, one module per family.

- :mod:`.biomarker`: what works for a biomarker, ranked, and what it predicts resistance to
  (``answer_biomarker``, ``agents_for_biomarker``);
- :mod:`.paths`: explained paths between two entities (``shortest_paths``);
- :mod:`.neighbours`: what lies within a few hops (``neighbours``);
- :mod:`.landscape`: the strategist's tables (``landscape``, rolled up to company groups);
- :mod:`.pipeline`: agents by stage (``pipeline``, ``development_stage``), dated approvals and
  designations (``regulatory_events``), ``deals``, ``trial_rows``;
- :mod:`.trends`: the market reports' drivers over time (``driver_summary``);
- :mod:`.entity`: one entity and its relations (``describe``);
- :mod:`.guidelines`: guideline recommendations by cancer and topic (``guidelines``), for one
  agent (``recommendations_for``), and a condition's criteria (``criteria_for``);
- :mod:`.epidemiology`: a cancer's figures by named measure (``epidemiology``);
- :mod:`.scope`: hierarchies and a cancer's scope, shared by the others;
- :mod:`.cypher` and :mod:`.sparql`: the query languages, on the embedded engines;
- :mod:`.limits`: the time, row and memory limits a user's query runs within.
"""

from .biomarker import AgentHit, BiomarkerAnswer, agents_for_biomarker, answer_biomarker
from .entity import describe
from .epidemiology import epidemiology
from .guidelines import Recommendation, criteria_for, guidelines, recommendations_for
from .landscape import LANDSCAPE_VIEWS, landscape
from .limits import QueryLimitError, QueryLimits, QueryTimeout
from .neighbours import neighbours
from .paths import GraphPath, Hop, run_paths, shortest_paths
from .rows import Rows
from .scope import agent_in_scope, ancestors, cancer_scope, descendants

__all__ = [
    "LANDSCAPE_VIEWS",
    "AgentHit",
    "BiomarkerAnswer",
    "GraphPath",
    "Hop",
    "QueryLimitError",
    "QueryLimits",
    "QueryTimeout",
    "Recommendation",
    "Rows",
    "agent_in_scope",
    "agents_for_biomarker",
    "ancestors",
    "answer_biomarker",
    "cancer_scope",
    "criteria_for",
    "descendants",
    "describe",
    "epidemiology",
    "guidelines",
    "landscape",
    "neighbours",
    "recommendations_for",
    "run_paths",
    "shortest_paths",
]
