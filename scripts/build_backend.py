"""The build backend: setuptools' own, with editable installs that a folder cannot shadow.

``pip install -e .`` with setuptools maps the ``lmkg`` package to this checkout through an
import finder that setuptools appends to the *end* of ``sys.meta_path``. Python's own path
finder runs first and takes any folder named ``lmkg`` in the current directory (a clone
named ``lmkg``, seen from the folder holding it) as a namespace package: ``import lmkg`` then
gives an empty module without ``build`` or ``open_graph``. This backend builds the same
editable wheel with the finder put *first* (setuptools issue #3557), so ``import lmkg`` finds
this checkout from any folder. Everything else is setuptools' ``build_meta`` unchanged.
"""

from __future__ import annotations

from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (the whole PEP 517/660 interface)

_APPENDED = "sys.meta_path.append(_EditableFinder)"
_FIRST = "sys.meta_path.insert(0, _EditableFinder)"


def build_editable(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                   metadata_directory: str | None = None) -> str:
    """setuptools' editable wheel, its import finder installed ahead of the path finder."""
    from setuptools.command import editable_wheel

    template = editable_wheel._FINDER_TEMPLATE
    if _APPENDED not in template and _FIRST not in template:
        raise RuntimeError(  # a setuptools whose finder this backend does not know
            "scripts/build_backend.py: setuptools' editable finder template changed; "
            "check that a folder named lmkg no longer shadows the package and drop this backend")
    editable_wheel._FINDER_TEMPLATE = template.replace(_APPENDED, _FIRST)
    try:
        return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
    finally:
        editable_wheel._FINDER_TEMPLATE = template
