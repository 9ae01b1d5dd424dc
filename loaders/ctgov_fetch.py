"""Download current study records from the ClinicalTrials.gov API v2 (``lmkg fetch ctgov``).

``GET {base}/api/v2/studies?query.cond=...&pageSize=N&format=json[&pageToken=T]``, following
``nextPageToken`` until the last page (or ``max_pages``). Each page is written as returned
(the API's ``{"studies": [...], "nextPageToken": ...}`` document, which the ``ctgov`` loader
reads) to ``page-0001.json``, ``page-0002.json``, ... in the output directory, each file
atomically; a ``manifest.json`` beside them records the query, the date, the pages and the
study count (the loader skips it and takes the fetch date as the source's version). Page files
left by an earlier, longer fetch into the same directory are removed so that a build never mixes
two fetches.

Transient failures (HTTP 429 and 5xx, refused or dropped connections, timeouts) are retried with
exponential backoff (``Retry-After`` is honoured, capped at a minute); anything else, or a
failure that outlasts the retries, raises :class:`FetchError` with the URL and the reason.
Only the standard library is used (``urllib``).
"""

from __future__ import annotations

import datetime as _dt
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lmkg.atomic import atomic_write
from lmkg.errors import LmkgError

DEFAULT_BASE_URL = "https://clinicaltrials.gov"
DEFAULT_CONDITION = "leptomeningeal metastases"
MANIFEST = "manifest.json"
PAGE_GLOB = "page-*.json"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_PAGE_SIZE = 1000  # the API's own limit


class FetchError(LmkgError):
    """A download failed for good (after the retries, or on an error retrying cannot fix)."""


@dataclass
class FetchManifest:
    """What one fetch wrote: the query, when, and how much."""

    source: str
    base_url: str
    query: dict[str, Any]
    fetched_at: str
    pages: int = 0
    studies: int = 0
    total_count: int | None = None
    complete: bool = False  # False when --max-pages stopped before the last page
    files: list[str] = field(default_factory=list)
    retries: int = 0
    # One entry per search: its query, pages, studies, the API's total, complete, files.
    searches: list[dict[str, Any]] = field(default_factory=list)
    unique_studies: int = 0  # studies found, each counted once over the searches

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def page_url(base_url: str, query: dict[str, str] | str | None, page_size: int,
             token: str | None) -> str:
    """The API URL of one page: ``query`` is the search's parameters (``{"query.term": ...}``,
    or a condition as text)."""
    params: dict[str, str] = {"format": "json", "pageSize": str(page_size)}
    if isinstance(query, str):
        query = {"query.cond": query} if query else {}
    params.update({k: v for k, v in (query or {}).items() if v})
    if token:
        params["pageToken"] = token
    else:
        params["countTotal"] = "true"
    return f"{base_url.rstrip('/')}/api/v2/studies?{urllib.parse.urlencode(params)}"


def _get(url: str, *, retries: int, backoff: float, timeout: float,
         sleep: Callable[[float], None], on_retry: Callable[[str], None]) -> tuple[bytes, int]:
    """The body of ``url``, and how many retries it took."""
    attempt = 0
    while True:
        wait: float | None = None
        try:
            req = urllib.request.Request(url, headers={"Accept": "application/json",
                                                       "User-Agent": "lmkg-fetch"})
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.read(), attempt
        except urllib.error.HTTPError as exc:
            body = _snippet(exc.read() if exc.fp else b"")
            reason = f"HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")
            if exc.code not in RETRY_STATUS:
                raise FetchError(f"GET {url}: {reason}") from None
            wait = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            why = getattr(exc, "reason", exc)
            reason = f"connection failed ({why})"
        if attempt >= retries:
            raise FetchError(f"GET {url}: {reason} (gave up after {attempt + 1} attempts)")
        delay = wait if wait is not None else backoff * (2 ** attempt)
        on_retry(f"{reason}; retrying in {delay:.1f} s (attempt {attempt + 2} of {retries + 1})")
        sleep(delay)
        attempt += 1


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value.strip()), 60.0)
    return None


def _snippet(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:200] + ("..." if len(text) > 200 else "")


# The ten searches of the shipped registry snapshot (data/registry/ctgov/manifest.json): a
# fetch with no query options runs them all and the loader keeps each study once.
LM_SEARCHES: tuple[tuple[str, str], ...] = (
    ("cond", "leptomeningeal metastasis"), ("cond", "meningeal metastasis"),
    ("cond", "leptomeningeal disease"), ("term", "leptomeningeal"),
    ("term", "leptomeningeal disease"), ("term", "meningeal metastasis"),
    ("term", "leptomeningeal carcinomatosis"), ("term", "neoplastic meningitis"),
    ("term", "carcinomatous meningitis"), ("term", "LMD"),
)
SEARCH_FIELDS = {"cond": "query.cond", "term": "query.term"}


def parse_search(text: str) -> tuple[str, str]:
    """``cond:TEXT`` or ``term:TEXT`` as (field, text)."""
    field_, sep, value = text.partition(":")
    if not sep or field_ not in SEARCH_FIELDS or not value.strip():
        raise FetchError(f"a search is cond:TEXT or term:TEXT, not {text!r}")
    return field_, value.strip()


def fetch_ctgov(out_dir: str | Path, *, condition: str | None = DEFAULT_CONDITION,
                searches: list[tuple[str, str]] | tuple[tuple[str, str], ...] | None = None,
                page_size: int = 100, max_pages: int | None = None,
                base_url: str = DEFAULT_BASE_URL, retries: int = 5, backoff: float = 1.0,
                timeout: float = 60.0, progress: bool = True,
                sleep: Callable[[float], None] = time.sleep,
                note: Callable[[str], None] | None = None) -> FetchManifest:
    """Download every page of each search into ``out_dir``; return (and write) the manifest.

    ``searches`` are (``cond`` or ``term``, text) pairs, run one after the other (the same
    study found by several is written by each; the ctgov loader keeps it once); without them,
    one search on ``condition`` (none: every study). ``max_pages`` applies to each search.
    Pages are numbered across the searches (``page-0001.json``, ...); the manifest says which
    pages each search wrote.
    """
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise FetchError(f"page size must be 1 to {MAX_PAGE_SIZE}, got {page_size}")
    if max_pages is not None and max_pages < 1:
        raise FetchError(f"max pages must be at least 1, got {max_pages}")
    scheme = urllib.parse.urlsplit(base_url).scheme
    if scheme not in ("http", "https"):
        raise FetchError(f"base URL must be http(s)://..., got {base_url!r}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise FetchError(f"{out} exists and is not a directory")
    out.mkdir(parents=True, exist_ok=True)
    queries = ([{SEARCH_FIELDS[f]: text} for f, text in searches] if searches
               else [{"query.cond": condition} if condition else {}])
    manifest = FetchManifest(
        source="ClinicalTrials.gov API v2", base_url=base_url,
        query={**queries[0], "pageSize": page_size, "format": "json"} if len(queries) == 1
        else {"searches": len(queries), "pageSize": page_size, "format": "json"},
        fetched_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"))
    say = note or (lambda _msg: None)

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("ClinicalTrials.gov {task.fields[search]}"), BarColumn(),
                   MofNCompleteColumn(), TextColumn("studies, {task.fields[pages]} page(s)"),
                   TimeElapsedColumn(), console=Console(stderr=True), disable=not progress,
                   transient=False)

    def retry_note(msg: str) -> None:
        if progress:
            bar.console.print(f"  {msg}", markup=False, highlight=False)
        else:
            say(msg)

    seen: set[str] = set()
    complete = True
    total = 0
    with bar:
        for params in queries:
            label = "; ".join(f"{k.split('.')[-1]}:{v}" for k, v in params.items()) or "all"
            task = bar.add_task("fetch", total=None, pages=0, search=label)
            entry: dict[str, Any] = {**params, "pages": 0, "studies": 0, "total_count": None,
                                     "complete": False, "files": []}
            manifest.searches.append(entry)
            token: str | None = None
            while True:
                url = page_url(base_url, params, page_size, token)
                body, tries = _get(url, retries=retries, backoff=backoff, timeout=timeout,
                                   sleep=sleep, on_retry=retry_note)
                manifest.retries += tries
                try:
                    doc = json.loads(body)
                except ValueError as exc:
                    raise FetchError(f"GET {url}: the response is not JSON ({exc})") from None
                if not isinstance(doc, dict) or not isinstance(doc.get("studies"), list):
                    raise FetchError(f"GET {url}: the response has no 'studies' list; "
                                     "is the base URL a ClinicalTrials.gov API v2 server?")
                if entry["pages"] == 0 and isinstance(doc.get("totalCount"), int):
                    entry["total_count"] = doc["totalCount"]
                    bar.update(task, total=entry["total_count"])
                manifest.pages += 1
                entry["pages"] += 1
                name = f"page-{manifest.pages:04d}.json"
                with atomic_write(out / name, "wb") as fh:
                    fh.write(body)
                manifest.files.append(name)
                entry["files"].append(name)
                entry["studies"] += len(doc["studies"])
                manifest.studies += len(doc["studies"])
                for st in doc["studies"]:
                    nct = ((st.get("protocolSection") or {}).get("identificationModule") or {}
                           ).get("nctId") if isinstance(st, dict) else None
                    if isinstance(nct, str):
                        seen.add(nct)
                bar.update(task, completed=entry["studies"], pages=entry["pages"])
                token = doc.get("nextPageToken") or None
                if token is None:
                    entry["complete"] = True
                    break
                if max_pages is not None and entry["pages"] >= max_pages:
                    say(f"{label}: stopped after {max_pages} page(s) (--max-pages); more are "
                        "available")
                    break
            complete &= entry["complete"]
            if entry["total_count"] is not None:
                total += entry["total_count"]
    manifest.complete = complete
    manifest.unique_studies = len(seen)
    manifest.total_count = total if all(e["total_count"] is not None
                                        for e in manifest.searches) else None
    keep = set(manifest.files)
    for stale in out.glob(PAGE_GLOB):  # pages of an earlier, longer fetch
        if stale.name not in keep:
            stale.unlink()
    with atomic_write(out / MANIFEST) as fh:
        json.dump(manifest.as_dict(), fh, indent=2)
        fh.write("\n")
    return manifest


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The manifest of a fetch directory, or None when there is none (or it is unreadable)."""
    p = directory / MANIFEST
    if not p.is_file():
        return None
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None
