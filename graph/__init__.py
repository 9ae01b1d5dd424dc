"""Building, holding, querying and writing the LM knowledge graph.

Names are imported on first use, so that opening a saved graph (:func:`load_graph`) does not
import the building code, the loaders or the pydantic models behind them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lmkg.ontology._lazy import lazy_exports

if TYPE_CHECKING:
    from .build import derive, merge, source_fingerprint
    from .kg import KnowledgeGraph
    from .names import normalise
    from .store import fingerprint, load_graph, save_graph

_LAZY = {"KnowledgeGraph": "kg", "derive": "build", "fingerprint": "store", "load_graph": "store",
         "merge": "build", "normalise": "names", "save_graph": "store",
         "source_fingerprint": "build"}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
