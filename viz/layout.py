"""Node positions computed before the page opens, so the browser never runs a physics simulation.

A force-directed (Fruchterman-Reingold) layout over the networkx graph, vectorised with numpy.
Repulsion is cut off at a few ideal edge lengths (the grid variant of the original paper), found
with a k-d tree when scipy is installed and by chunked all-pairs distances otherwise; a weak
pull to the centre keeps disconnected pieces from drifting apart. networkx's own
``spring_layout`` takes 13 s on 2,000 nodes here; this takes well under a second.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np


def force_layout(
    g: nx.Graph | nx.MultiDiGraph,
    nodes: Iterable[Hashable] | None = None,
    iterations: int | None = None,
    seed: int = 7,
    scale: float = 65.0,
) -> dict[Hashable, tuple[float, float]]:
    """Positions for ``nodes`` (default all) in screen units, about ``scale`` per edge length.

    Deterministic for a given graph, node order and ``seed``.
    """
    order = sorted(g.nodes if nodes is None else nodes, key=str)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(order)}
    pairs = {
        (min(index[u], index[v]), max(index[u], index[v]))
        for u, v in g.edges(order) if u in index and v in index and u != v
    }
    edges = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    degree = np.bincount(edges.ravel(), minlength=n).astype(np.float64) if len(edges) else \
        np.zeros(n)
    if iterations is None:
        iterations = 200 if n <= 1000 else 120 if n <= 3000 else 80

    rng = np.random.default_rng(seed)
    k = 1.0  # ideal edge length
    side = math.sqrt(n) * k
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    cutoff = (3.0 if n <= 1500 else 2.0) * k
    temp = side / 8
    cool = temp / (iterations + 1)
    # Heavily connected nodes repel more, so hubs get room for their leaves.
    mass = 1.0 + np.sqrt(degree)
    # The loop works on contiguous coordinate columns and index arrays: fancy indexing of
    # (n, 2) rows by strided index columns cost three times as much, for the same arithmetic
    # (the positions are the same to the last bit).
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    eu, ev = np.ascontiguousarray(edges[:, 0]), np.ascontiguousarray(edges[:, 1])
    root_mass = np.sqrt(mass)
    for _ in range(iterations):
        dx, dy = _repulsion(x, y, mass, k, cutoff)
        if len(edges):
            ex, ey = x[eu] - x[ev], y[eu] - y[ev]
            dist = np.maximum(np.hypot(ex, ey), 1e-6)
            scale_e = dist**2 / k
            fx, fy = ex / dist * scale_e, ey / dist * scale_e
            dx += np.bincount(ev, fx, n) - np.bincount(eu, fx, n)
            dy += np.bincount(ev, fy, n) - np.bincount(eu, fy, n)
        dx -= x * 0.01 * root_mass  # gravity
        dy -= y * 0.01 * root_mass
        length = np.maximum(np.hypot(dx, dy), 1e-9)
        capped = np.minimum(length, temp)
        x += dx / length * capped
        y += dy / length * capped
        temp = max(temp - cool, 0.02 * k)
    centre = np.column_stack((x, y)).mean(axis=0)  # as the (n, 2) array had it, bit for bit
    x -= centre[0]
    y -= centre[1]
    x *= scale / k
    y *= scale / k
    return {v: (round(float(x[i]), 1), round(float(y[i]), 1)) for v, i in index.items()}


def place_near(
    g: nx.Graph | nx.MultiDiGraph,
    placed: dict[Hashable, tuple[float, float]],
    nodes: Iterable[Hashable],
    spacing: float = 40.0,
) -> dict[Hashable, tuple[float, float]]:
    """Positions for ``nodes`` beside the ``placed`` ones they are linked to.

    Each node goes to the mean position of its placed neighbours, offset along a golden-angle
    spiral around that point, so that the leaves of one hub fan out around it; a node linked
    only to unplaced ones waits for them (breadth first); a node linked to nothing placed is set
    on a ring outside the rest. Linear in the edges, deterministic. For large graphs, whose
    force layout runs on the most connected nodes only (:func:`force_layout`).
    """
    pos = dict(placed)
    adj = g.adj if not g.is_directed() else None
    todo = sorted(set(nodes) - set(pos), key=str)
    fan: dict[tuple[float, float], int] = {}
    golden = math.pi * (3 - math.sqrt(5))

    def neighbours(v: Hashable) -> Iterable[Hashable]:
        if adj is not None:
            return adj[v]
        return itertools.chain(g.succ[v], g.pred[v])

    while todo:
        waiting = []
        for v in todo:
            near = [pos[u] for u in neighbours(v) if u in pos]
            if not near:
                waiting.append(v)
                continue
            cx = sum(p[0] for p in near) / len(near)
            cy = sum(p[1] for p in near) / len(near)
            anchor = (round(cx), round(cy))
            k = fan[anchor] = fan.get(anchor, 0) + 1
            r = spacing * (0.5 + 0.3 * math.sqrt(k))
            pos[v] = (round(cx + r * math.cos(k * golden), 1),
                      round(cy + r * math.sin(k * golden), 1))
        if len(waiting) == len(todo):  # none of them reaches a placed node
            xs = [p[0] for p in pos.values()] or [0.0]
            ys = [p[1] for p in pos.values()] or [0.0]
            radius = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + 2 * spacing
            for k, v in enumerate(waiting):
                a = 2 * math.pi * k / len(waiting)
                pos[v] = (round(radius * math.cos(a), 1), round(radius * math.sin(a), 1))
            break
        todo = waiting
    return pos


def _repulsion(x: np.ndarray, y: np.ndarray, mass: np.ndarray, k: float, cutoff: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """Sum of k²·m_i·m_j/d pushes between nodes closer than ``cutoff``, per node (x, y)."""
    n = len(x)
    try:
        from scipy.spatial import cKDTree
    except ImportError:  # pragma: no cover - exercised where scipy is absent
        cKDTree = None
    if cKDTree is not None:
        ij = cKDTree(np.column_stack((x, y))).query_pairs(cutoff, output_type="ndarray")
        if len(ij) == 0:
            return np.zeros(n), np.zeros(n)
        i, j = np.ascontiguousarray(ij[:, 0]), np.ascontiguousarray(ij[:, 1])
        ddx, ddy = x[i] - x[j], y[i] - y[j]
        d2 = ddx * ddx + ddy * ddy
        np.maximum(d2, 1e-4, out=d2)
        w = k * k * mass[i] * mass[j] / d2
        ddx *= w
        ddy *= w
        return (np.bincount(i, ddx, n) - np.bincount(j, ddx, n),
                np.bincount(i, ddy, n) - np.bincount(j, ddy, n))
    pos = np.column_stack((x, y))
    disp = np.zeros_like(pos)
    step = max(1, 4_000_000 // n)
    for start in range(0, n, step):
        block = pos[start:start + step]
        delta = block[:, None, :] - pos[None, :, :]
        d2 = np.maximum((delta**2).sum(axis=2), 1e-4)
        w = (k * k * mass[start:start + step, None] * mass[None, :]) / d2
        w[d2 > cutoff * cutoff] = 0.0
        idx = np.arange(start, min(start + step, n))
        w[idx - start, idx] = 0.0
        disp[start:start + step] = (delta * w[:, :, None]).sum(axis=1)
    return disp[:, 0].copy(), disp[:, 1].copy()


# -- the layered overview ------------------------------------------------------------------------
# Layers from left to right: what a strategist reads as the landscape, cancers to companies,
# then what hangs off it (designations, trials, papers and the rest).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Primary cancers", ("PrimaryCancer",)),
    ("Biomarkers", ("Biomarker",)),
    ("Drug classes", ("DrugClass",)),
    ("Agents", ("Agent", "Regimen")),
    ("Companies", ("Company",)),
    ("Designations", ("RegulatoryDesignation",)),
    ("Trials", ("ClinicalTrial",)),
    ("Genes", ("Gene",)),
    ("Publications and other", ("Publication", "Diagnostic", "DeliveryPlatform",
                                "MetastaticSite", "RegulatoryAgency", "Region", "Country")),
)
# The layers the map opens on when the graph is large: the landscape itself.
OVERVIEW_TYPES = ("PrimaryCancer", "Biomarker", "DrugClass", "Agent", "Regimen", "Company")
_LAYER_OF = {t: i for i, (_label, types) in enumerate(LAYERS) for t in types}


def layered_layout(
    g: nx.Graph | nx.MultiDiGraph,
    nodes: Iterable[Hashable],
    type_of: dict[Hashable, str],
    sized: Iterable[Hashable] | None = None,
    label_chars: dict[Hashable, int] | None = None,
    row_height: float = 16.5,
    layer_gap: float = 26.0,
    page: tuple[float, float] = (1150.0, 820.0),
) -> tuple[dict[Hashable, tuple[float, float]], list[dict]]:
    """Positions in layers (:data:`LAYERS`) and the layers' headers, in screen units.

    Within a layer, nodes are ordered by the barycentre of their neighbours in the layers to
    their left (two sweeps right, one back), so that an agent sits level with its biomarkers and
    a company with its agents. The first five layers (cancers to companies) form the top band;
    the rest (designations, trials, genes, papers) a second band below it, so that a focus view
    with every type stays about as wide as the page. A layer taller than the ``page`` (pixels
    of a 1440x900 screen less the side bar) has rows for wraps into sub-columns filled row by
    row (height keeps meaning order), each as wide as the layer's labels (``label_chars``).
    Only the layers with nodes in ``sized`` (default all: those shown on opening) share the
    page's height. Vectorised (a few ``bincount`` per
    sweep over the edges) and deterministic.
    """
    order = sorted(nodes, key=str)
    n = len(order)
    if n == 0:
        return {}, []
    index = {v: i for i, v in enumerate(order)}
    n_layers = len(LAYERS)
    layer = np.array([_LAYER_OF.get(type_of[v], n_layers - 1) for v in order], dtype=np.int64)
    pairs = {(min(index[u], index[v]), max(index[u], index[v]))
             for u, v in g.edges(order) if u in index and v in index and u != v}
    edges = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    degree = np.bincount(edges.ravel(), minlength=n) if len(edges) else np.zeros(n, np.int64)
    names = [str(v) for v in order]
    type_rank = np.array([LAYERS[layer[i]][1].index(type_of[v]) if type_of[v] in
                          LAYERS[layer[i]][1] else 9 for i, v in enumerate(order)])
    chars = np.array([(label_chars or {}).get(v, 20) for v in order], dtype=np.float64)
    # Start: by type within the layer, then most connected first, then id.
    start = sorted(range(n), key=lambda i: (layer[i], type_rank[i], -degree[i], names[i]))
    rank = np.zeros(n)
    for lay in range(n_layers):
        members = [i for i in start if layer[i] == lay]
        for k, i in enumerate(members):
            rank[i] = (k + 0.5) / len(members)

    def sweep(lay: int, left_only: bool) -> None:
        members = np.flatnonzero(layer == lay)
        if len(members) < 2 or not len(edges):
            return
        total = np.zeros(n)
        count = np.zeros(n)
        for a, b in ((0, 1), (1, 0)):
            u, v = edges[:, a], edges[:, b]
            ok = (layer[u] == lay) & ((layer[v] < lay) if left_only else (layer[v] != lay))
            total += np.bincount(u[ok], rank[v[ok]], n)
            count += np.bincount(u[ok], None, n)
        bary = np.where(count > 0, total / np.maximum(count, 1), rank)
        # Type blocks stay together (agents above regimens); within a block, by barycentre.
        keys = np.lexsort((rank[members], bary[members], type_rank[members]))
        for k, i in enumerate(members[keys]):
            rank[i] = (k + 0.5) / len(members)

    for _ in range(2):
        for lay in range(1, n_layers):
            sweep(lay, left_only=True)
    for lay in range(n_layers - 2, -1, -1):
        sweep(lay, left_only=False)

    counts = np.bincount(layer, minlength=n_layers)
    sized_idx = [index[v] for v in (order if sized is None else sized) if v in index]
    sized_counts = np.bincount(layer[sized_idx], minlength=n_layers) if sized_idx else counts
    # Units are screen pixels at the scale the page opens at (fitted to ``page``): a row is
    # ``row_height`` (a 12 px label and its gap), a sub-column as wide as the layer's longer
    # labels (80th percentile, ~7 px a character) and its marker.
    widths = np.full(n_layers, 150.0)
    for lay in range(n_layers):
        sel = chars[layer == lay]
        if len(sel):
            widths[lay] = float(np.clip(np.percentile(sel, 80) * 6.9 + 28, 80, 260))
    pos = np.zeros((n, 2))
    headers: list[dict] = []
    bands = [b for b in ([lay for lay in range(5) if counts[lay]],
                         [lay for lay in range(5, n_layers) if counts[lay]]) if b]
    sized_bands = [[lay for lay in band if sized_counts[lay]] for band in bands]
    tall = [max((int(counts[lay]) for lay in sb), default=0) for sb in sized_bands]
    # The bands drawn on opening share the page's height in proportion to their tallest layer.
    band_top = 0.0
    band_boxes = []
    for b_index, band in enumerate(bands):
        share = tall[b_index] / sum(tall) if tall[b_index] else 1.0
        max_rows = max(3, int(page[1] * share // row_height) - 1)
        rows_max = max(1, min(max(int(counts[lay]) for lay in band), max_rows))
        height = rows_max * row_height
        x0 = 0.0
        for lay in band:
            members = np.flatnonzero(layer == lay)
            members = members[np.argsort(rank[members], kind="stable")]
            cols = max(1, math.ceil(len(members) / rows_max))
            rows = math.ceil(len(members) / cols)
            step = min(height / rows, 2.5 * row_height)
            top = band_top + (height - step * rows) / 2
            k = np.arange(len(members))
            pos[members, 0] = x0 + (k % cols) * widths[lay]
            pos[members, 1] = top + (k // cols + 0.5) * step
            headers.append({"label": LAYERS[lay][0], "types": list(LAYERS[lay][1]),
                            "x": x0 + (cols * widths[lay]) / 2 - 16,
                            "y": band_top - 1.0 * row_height, "band": b_index})
            x0 += cols * widths[lay] + layer_gap
        band_boxes.append((band_top, x0 - layer_gap))
        band_top += height + 2.5 * row_height
    # Centre each band on the page's vertical axis, the whole page on the origin.
    page_w = max(w for _t, w in band_boxes)
    shifts = [(page_w - w) / 2 for _t, w in band_boxes]
    for b_index, band in enumerate(bands):
        pos[np.isin(layer, band), 0] += shifts[b_index]
    centre = np.array([page_w / 2, (band_top - 2.5 * row_height) / 2])
    pos -= centre
    for h in headers:
        h["x"] = round(float(h["x"] + shifts[h["band"]] - centre[0]), 1)
        h["y"] = round(float(h["y"] - centre[1]), 1)
    return ({v: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1))
             for v, i in index.items()}, headers)

