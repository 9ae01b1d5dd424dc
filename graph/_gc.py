"""The cyclic garbage collector paused around work that only builds objects that stay alive.

Opening a saved graph, writing RDF text and filling the SPARQL store allocate hundreds of
thousands of acyclic dicts, lists and tuples; every collection the allocations trigger walks
all of them again (and the whole graph besides) to find no garbage. Reference counting still
frees everything; the collector runs as before once the work is done. The loaders do the same
(:func:`lmkg.loaders.base.paused_gc`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the ``with`` block (nested blocks are fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
