"""The questions users bring, one module per family.

- :mod:`.biomarker`: what works for a biomarker, ranked, and what it predicts resistance to
  (``answer_biomarker``, ``agents_for_biomarker``);
- :mod:`.paths`: explained paths between two entities (``shortest_paths``);
- :mod:`.neighbours`: what lies within a few hops (``neighbours``);
- :mod:`.landscape`: the strategist's tables (``landscape``);
- :mod:`.entity`: one entity and its relations (``describe``);
- :mod:`.scope`: hierarchies and a cancer's scope, shared by the others;
- :mod:`.cypher` and :mod:`.sparql`: the query languages, on the embedded engines.
"""

from .biomarker import AgentHit, BiomarkerAnswer, agents_for_biomarker, answer_biomarker
from .entity import describe
from .landscape import LANDSCAPE_VIEWS, landscape
from .neighbours import neighbours
from .paths import GraphPath, Hop, shortest_paths
from .scope import agent_in_scope, ancestors, cancer_scope, descendants

__all__ = [
    "LANDSCAPE_VIEWS",
    "AgentHit",
    "BiomarkerAnswer",
    "GraphPath",
    "Hop",
    "agent_in_scope",
    "agents_for_biomarker",
    "ancestors",
    "answer_biomarker",
    "cancer_scope",
    "descendants",
    "describe",
    "landscape",
    "neighbours",
    "shortest_paths",
]
