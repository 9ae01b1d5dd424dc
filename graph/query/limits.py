"""Bounded queries: a time limit, a row cap and a memory cap, enforced from outside the engine.

A user's Cypher, SPARQL or path query can ask for more than any machine has
(``MATCH p=(a)-[*1..20]-(b) RETURN count(p)`` enumerates billions of paths; a SPARQL cross
product never ends). Neither engine can be stopped reliably from the inside: pyoxigraph has no
timeout, and Ladybug's own timeout (which is also set) does not bound memory. So the query runs
in a worker process forked from the caller (it inherits the loaded graph), the caller receives
rows through a pipe, watches the worker's resident memory and the clock, and kills it when a
limit is crossed: one clear error, no partial answer, nothing left behind (the worker writes no
files). The worker also has no network where the kernel allows it (a fresh network namespace):
a query that tries to fetch something finds no network at all.
"""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lmkg.errors import LmkgError

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_MEMORY_MB = 4096
_CHUNK = 500
_POLL = 0.05


@dataclass(frozen=True)
class QueryLimits:
    """How long a query may run (seconds), how many rows it may return and how much memory
    (resident MB) its worker may use. 0 turns a limit off."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB


class QueryLimitError(LmkgError):
    """A query crossed one of its limits and was stopped."""


class QueryTimeout(QueryLimitError):
    """A query ran longer than its time limit."""


def offline() -> bool:
    """Put this process in a network namespace of its own (no interface but a down loopback),
    so that nothing it runs can reach any host. True when the kernel allowed it."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return False
    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    if unshare(clone_newnet) == 0:  # allowed to root
        return True
    return unshare(clone_newuser | clone_newnet) == 0  # unprivileged user namespaces


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _timeout(what: str, limits: QueryLimits, hint: str) -> QueryTimeout:
    return QueryTimeout(f"{what} stopped after {limits.timeout:g} s (--timeout "
                        f"{limits.timeout:g}); {hint or 'narrow it'} or raise --timeout")


Prepare = Callable[[], Any]
Run = Callable[[Any], tuple[Sequence[str], Iterable[Sequence[Any]]]]


def _worker(conn, prepare: Prepare, run: Run, max_rows: int, sandbox: bool) -> None:
    try:
        if sandbox:
            offline()
        state = prepare()
        conn.send(("ready", None))
        cols, rows = run(state)
        conn.send(("cols", list(cols)))
        chunk: list[list[Any]] = []
        n = 0
        for row in rows:
            n += 1
            if max_rows and n > max_rows:
                conn.send(("too_many", max_rows))
                return
            chunk.append(list(row))
            if len(chunk) >= _CHUNK:
                conn.send(("rows", chunk))
                chunk = []
        if chunk:
            conn.send(("rows", chunk))
        conn.send(("done", None))
    except LmkgError as exc:
        conn.send(("error", (type(exc).__name__, str(exc))))
    except BaseException:  # a bug: the caller shows it whole
        conn.send(("crash", traceback.format_exc()))
    finally:
        with contextlib.suppress(OSError):
            conn.close()


def _inline(prepare: Prepare, run: Run, limits: QueryLimits, what: str, hint: str
            ) -> tuple[list[str], list[list[Any]]]:
    """Where processes cannot be forked (Windows): the query runs here, with its row cap and
    the engine's own timeout only."""
    cols, it = run(prepare())
    rows: list[list[Any]] = []
    for row in it:
        if limits.max_rows and len(rows) >= limits.max_rows:
            raise QueryLimitError(f"{what} returned more than {limits.max_rows:,} rows "
                                  f"(--max-rows {limits.max_rows}); {hint or 'narrow it'} or "
                                  "raise --max-rows")
        rows.append(list(row))
    return list(cols), rows


def run_limited(prepare: Prepare, run: Run, limits: QueryLimits, *, what: str = "the query",
                hint: str = "", sandbox: bool = True) -> tuple[list[str], list[list[Any]]]:
    """``run(prepare())`` in a worker process, within ``limits``; returns (columns, rows).

    ``prepare`` (opening the engine) is not timed; the clock starts when it returns. ``run``
    returns column names and an iterable of rows, read lazily so that the row cap also bounds
    the worker's work. Errors the worker raises as :class:`LmkgError` are raised here with
    their message; a crossed limit raises :class:`QueryLimitError` naming the option to change.
    """
    import multiprocessing as mp  # here, not at the top: only a query that runs needs it

    if "fork" not in mp.get_all_start_methods():
        return _inline(prepare, run, limits, what, hint)
    ctx = mp.get_context("fork")  # the worker inherits the loaded graph; nothing is pickled
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(send, prepare, run, limits.max_rows, sandbox),
                       daemon=True, name="lmkg-query")
    proc.start()
    send.close()
    cols: list[str] = []
    rows: list[list[Any]] = []
    deadline: float | None = None
    t0 = time.monotonic()
    try:
        while True:
            if recv.poll(_POLL):
                try:
                    kind, payload = recv.recv()
                except EOFError:
                    kind, payload = "died", None
                if kind == "ready":
                    t0 = time.monotonic()
                    deadline = t0 + limits.timeout if limits.timeout else None
                elif kind == "cols":
                    cols = payload
                elif kind == "rows":
                    rows.extend(payload)
                elif kind == "done":
                    return cols, rows
                elif kind == "too_many":
                    raise QueryLimitError(
                        f"{what} returned more than {payload:,} rows (--max-rows {payload}); "
                        f"{hint or 'narrow it'} or raise --max-rows")
                elif kind == "error":
                    if payload[0] == "QueryTimeout":  # the engine's own timer fired first
                        raise _timeout(what, limits, hint)
                    raise LmkgError(payload[1])
                elif kind == "crash":
                    raise RuntimeError(f"the query worker failed:\n{payload}")
                else:
                    proc.join(1.0)
                    code = proc.exitcode
                    raise QueryLimitError(
                        f"{what} stopped: its worker died"
                        + (f" (signal {-code})" if code and code < 0 else "")
                        + (" (out of memory?)" if code == -9 else ""))
            elif not proc.is_alive() and not recv.poll(0):
                raise QueryLimitError(f"{what} stopped: its worker ended without an answer "
                                      f"(exit code {proc.exitcode})")
            if deadline is not None and time.monotonic() > deadline:
                raise _timeout(what, limits, hint)
            if limits.max_memory_mb and _rss_mb(proc.pid) > limits.max_memory_mb:
                spent = time.monotonic() - t0
                raise QueryLimitError(
                    f"{what} stopped after {spent:.1f} s: it used more than "
                    f"{limits.max_memory_mb:,} MB of memory (--max-memory "
                    f"{limits.max_memory_mb}); {hint or 'narrow it'} or raise --max-memory")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
        with contextlib.suppress(AttributeError, ValueError):
            proc.close()
