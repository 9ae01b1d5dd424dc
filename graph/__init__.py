"""Building, holding, querying and writing the LM knowledge graph."""

from .build import derive, fingerprint, merge, source_fingerprint
from .kg import KnowledgeGraph
from .names import normalise
from .store import load_graph, save_graph

__all__ = [
           "KnowledgeGraph",
           "derive",
           "fingerprint",
           "load_graph",
           "merge",
           "normalise",
           "save_graph",
           "source_fingerprint",
]
