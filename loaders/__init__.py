"""Loaders: one module per source, registered by name (``get_loader("curated")``)."""

from .base import (
    Loader,
    LoadResult,
    Problem,
    Rejected,
    SourceItem,
    get_loader,
    loader_names,
    register,
)
from .curated import CuratedLoader

__all__ = ["CuratedLoader", "LoadResult", "Loader", "Problem", "Rejected", "SourceItem",
           "get_loader", "loader_names", "register"]

# Registering the source loaders (each module registers itself by name).
from . import b3db, civic, ctgov, fda_drugs, hetionet, oopd
