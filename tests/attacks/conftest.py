"""What the attack suite shares: a small made-up dataset, the real ``lmkg`` command in a
subprocess, a local HTTP server that records every request, and a full file system.

The dataset's records are attack fixtures (made-up names, example.org sources), never facts.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

MINI = """\
# Attack-suite fixture: made-up records, not facts.
genes:
  - id: gene/testgene
    name: TESTGENE
    symbol: TESTGENE
biomarkers:
  - id: biomarker/testgene-mut
    name: TESTGENE mutation
    kind: mutation
    gene: gene/testgene
    sources:
      - url: https://example.org/testgene
        note: "attack-suite fixture, not a fact"
agents:
  - id: agent/testagent
    name: testagent
    synonyms: [TA-1]
    status: phase2
    description: A made-up agent of the attack suite.
    relations:
      - rel: TARGETS
        to: biomarker/testgene-mut
        action: inhibitor
        sources:
          - url: https://example.org/testagent
            note: "attack-suite fixture, not a fact"
"""


@pytest.fixture
def mini(tmp_path: Path) -> Callable[..., Path]:
    """``mini(text=MINI, **files)``: a data folder holding ``data.yaml`` (and more files)."""

    def make(text: str = MINI, **files: str | bytes) -> Path:
        d = tmp_path / "data"
        d.mkdir(exist_ok=True)
        for name, content in {"data.yaml": text, **files}.items():
            p = d / name
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
        return d

    return make


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LMKG_") and k != "NEO4J_PASSWORD"}
    env.update({"COLUMNS": "100", "PYTHONUNBUFFERED": "1"}, **extra)
    return env


@dataclass
class Ran:
    code: int
    out: bytes
    err: bytes
    seconds: float = 0.0
    args: list[str] = field(default_factory=list)

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "replace")

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def lmkg(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 120, umask: int | None = None) -> Ran:
    """Run the real ``lmkg`` command (``python -m lmkg``) and return what it did."""
    import time

    def pre() -> None:
        if umask is not None:
            os.umask(umask)

    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "lmkg", *args], capture_output=True,
                       env=clean_env(**(env or {})), cwd=cwd, timeout=timeout,
                       preexec_fn=pre if umask is not None else None)
    return Ran(p.returncode, p.stdout, p.stderr, time.monotonic() - t0, list(args))


def start_lmkg(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None
               ) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lmkg", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=clean_env(**(env or {})), cwd=cwd)


@pytest.fixture
def invoke(graph_file):
    """``lmkg ARGS`` in-process (fast) against the shipped graph; returns the click Result."""
    from lmkg.cli import cli as group

    def run(*args: str, env: dict[str, str] | None = None):
        runner = CliRunner()
        return runner.invoke(group, list(args),
                             env={"LMKG_GRAPH": str(graph_file), "COLUMNS": "100", **(env or {})},
                             catch_exceptions=False)

    return run


def one_line_error(text: str) -> bool:
    """An error a user can read: ``Error: ...`` on one line, no traceback."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return ("Traceback" not in text and bool(lines) and lines[-1].startswith("Error: ")
            and len(lines[-1]) < 600)


# -- a local HTTP server that must receive nothing --------------------------------------------
@dataclass
class Recorder:
    url: str
    requests: list[str]


@pytest.fixture
def http_recorder() -> Iterator[Recorder]:
    """An HTTP server on 127.0.0.1 that records every request it receives."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _any(self) -> None:
            seen.append(f"{self.command} {self.path}")
            body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _any

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield Recorder(f"http://127.0.0.1:{srv.server_address[1]}", seen)
    finally:
        srv.shutdown()
        srv.server_close()


# -- a full file system ------------------------------------------------------------------------
@dataclass
class FullFS:
    path: Path
    real: bool  # a real full tmpfs; otherwise writes fail by an injected ENOSPC


@contextlib.contextmanager
def _tmpfs(path: Path, size_kb: int) -> Iterator[bool]:
    path.mkdir(parents=True, exist_ok=True)
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)],
                        capture_output=True).returncode == 0
    try:
        yield ok
    finally:
        if ok:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def fill(path: Path) -> None:
    """Fill the file system holding ``path`` to the last byte."""
    fd = os.open(path / ".filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (65536, 4096, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)


@pytest.fixture
def full_fs(tmp_path: Path) -> Iterator[FullFS]:
    """A real file system with no space left (a 1 MB tmpfs, filled) where the machine lets
    tests mount one; elsewhere a folder whose writes fail with an injected ENOSPC."""
    mnt = tmp_path / "full"
    with _tmpfs(mnt, 1024) as real:
        if real:
            fill(mnt)
        yield FullFS(mnt, real)


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Callable[[int], Path | None]]:
    """``tiny_fs(kb)``: a real tmpfs of that size (None where mounting is not allowed)."""
    made: list[contextlib.ExitStack] = []

    def make(kb: int) -> Path | None:
        stack = contextlib.ExitStack()
        made.append(stack)
        mnt = tmp_path / f"tiny{len(made)}"
        return mnt if stack.enter_context(_tmpfs(mnt, kb)) else None

    yield make
    for s in made:
        s.close()


def listing(folder: Path) -> set[str]:
    """Every name in ``folder`` (hidden ones included)."""
    return {p.name for p in folder.iterdir()}


@pytest.fixture(scope="session")
def mini_graph(tmp_path_factory) -> Path:
    """The fixture dataset built and saved (a small graph for tests about files, not answers)."""
    from lmkg.cli import cli as group

    d = tmp_path_factory.mktemp("mini")
    (d / "data").mkdir()
    (d / "data" / "data.yaml").write_text(MINI)
    r = CliRunner().invoke(group, ["build", "--data", str(d / "data"), "-o",
                                   str(d / "lmkg-graph.json")], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return d / "lmkg-graph.json"
