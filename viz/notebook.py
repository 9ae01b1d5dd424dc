"""The map inline in a notebook: the same self-contained page, shown in a sandboxed iframe.

>>> import lmkg
>>> from lmkg.viz.notebook import show_map
>>> show_map(lmkg.build(), focus="tucatinib")   # in Jupyter: the map appears under the cell

The page is the one ``lmkg map`` writes (vis-network inlined, no network request), passed to
the iframe as ``srcdoc`` so that nothing is written to disk or served; ``save()`` writes it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from lmkg.graph import KnowledgeGraph

from .map import map_data, render_html, select_nodes


class MapView:
    """A rendered map page that Jupyter displays inline (``_repr_html_``)."""

    def __init__(self, page: str, data: dict[str, Any], height: int = 640) -> None:
        self.page = page
        self.data = data
        self.height = height

    def _repr_html_(self) -> str:
        # srcdoc is an attribute: the whole page is escaped once, so nothing in it can end
        # the attribute; the sandbox lets the map's scripts run with no access to the notebook.
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
                f'sandbox="allow-scripts" style="width:100%;height:{int(self.height)}px;'
                f'border:1px solid #ddd" title="{html.escape(self.data.get("title") or "lmkg map")}">'
                "</iframe>")

    def save(self, path: str | Path) -> Path:
        """Write the page (the same file ``lmkg map -o`` writes)."""
        from lmkg.atomic import atomic_write

        with atomic_write(path) as fh:
            fh.write(self.page)
        return Path(path)


def show_map(kg: KnowledgeGraph, focus: str | None = None, depth: int = 1,
             height: int = 640, **restrict: Any) -> MapView:
    """The map of ``kg`` (or of one entity's neighbourhood, or restricted by ``types``,
    ``cancer``, ``company``, ``biomarker`` as in ``lmkg map``), ready to display."""
    nodes = select_nodes(kg, focus=focus, depth=depth, **restrict) \
        if focus or restrict else None
    data = map_data(kg, nodes)
    return MapView(render_html(data), data, height=height)
