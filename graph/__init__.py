"""Building, holding, querying and writing the LM knowledge graph.

Names are imported on first use, so that opening a saved graph (:func:`load_graph`) does not
import the building code, the loaders or the pydantic models behind them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import derive, merge, source_fingerprint
    from .kg import KnowledgeGraph
    from .names import normalise
    from .store import fingerprint, load_graph, save_graph

_LAZY = {"KnowledgeGraph": "kg", "derive": "build", "fingerprint": "store", "load_graph": "store",
         "merge": "build", "normalise": "names", "save_graph": "store",
         "source_fingerprint": "build"}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
