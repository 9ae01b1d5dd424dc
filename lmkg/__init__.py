"""lmkg: a knowledge graph of the leptomeningeal-metastases therapeutic landscape.

>>> import lmkg
>>> kg = lmkg.build()                       # the shipped curated dataset
>>> kg.name_of(kg.resolve("Tagrisso"))
'osimertinib'
"""

from __future__ import annotations

__version__ = "0.1.0"

from lmkg.api import build, build_with_report, default_data_dir, default_graph_path, open_graph
from lmkg.errors import (
    AmbiguousName,
    DataError,
    GraphFileError,
    LmkgError,
    NoGraphError,
    NoPath,
    SourceError,
    UnknownEntity,
)

__all__ = [
    "AmbiguousName",
    "DataError",
    "GraphFileError",
    "LmkgError",
    "NoGraphError",
    "NoPath",
    "SourceError",
    "UnknownEntity",
    "__version__",
    "build",
    "build_with_report",
    "default_data_dir",
    "default_graph_path",
    "open_graph",
]
