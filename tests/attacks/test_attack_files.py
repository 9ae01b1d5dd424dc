"""Attacks on the files lmkg writes: modes follow the umask, a full disk or an unwritable path
is one line and loses nothing, a killed writer's leftovers are swept, a folder swap never leaves
neither, outputs are deterministic (issue 17, defects 8, 9, 10, 11 and 13, and the atomic
builds handled right before)."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmkg.atomic import OutputError, atomic_dir, atomic_write, sweep
from lmkg.cli import cli as group

from .conftest import listing, lmkg, one_line_error, start_lmkg


def _cli(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(group, list(args), env={"COLUMNS": "100", **(env or {})},
                              catch_exceptions=False)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# -- modes (defect 8) --------------------------------------------------------------------------
def _outputs(graph_file: Path, out: Path) -> dict[str, list[str]]:
    g = str(graph_file)
    return {
        "graph": ["build", "--data", str(graph_file.parent / "data"), "-o",
                  str(out / "new" / "sub" / "lmkg-graph.json")],
        "ttl": ["export", "--graph", g, "--format", "ttl", "-o", str(out / "x.ttl")],
        "nt": ["export", "--graph", g, "--format", "nt", "-o", str(out / "x.nt")],
        "cypher-script": ["export", "--graph", g, "--format", "cypher", "-o",
                          str(out / "x.cypher")],
        "neo4j-csv": ["export", "--graph", g, "--format", "neo4j-csv", "-o", str(out / "csv")],
        "map": ["map", "--graph", g, "-o", str(out / "m.html")],
        "ontology": ["ontology", "-o", str(out / "o.ttl")],
        "coverage": ["coverage", "--graph", g, "-o", str(out / "c.md")],
    }


MODE_CASES = [(mask, kind) for mask in (0o022, 0o077, 0o002)
              for kind in ("graph", "ttl", "nt", "cypher-script", "neo4j-csv", "map", "ontology",
                           "coverage")]


@pytest.mark.parametrize(("mask", "kind"), MODE_CASES,
                         ids=[f"umask{m:03o}-{k}" for m, k in MODE_CASES])
def test_outputs_take_the_umask_mode(mask, kind, mini_graph, tmp_path):
    old = os.umask(mask)
    try:
        r = _cli(*_outputs(mini_graph, tmp_path)[kind])
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.output
    want_file, want_dir = 0o666 & ~mask, 0o777 & ~mask
    made = [p for p in tmp_path.rglob("*")]
    assert made
    for p in made:
        assert _mode(p) == (want_dir if p.is_dir() else want_file), (p, oct(_mode(p)))


def test_the_cypher_cache_and_reports_take_the_umask_mode_in_a_real_process(mini_graph,
                                                                            tmp_path):
    g = tmp_path / "lmkg-graph.json"
    r = lmkg("build", "--data", str(mini_graph.parent / "data"), "-o", str(g), umask=0o022)
    assert r.code == 0, r.text
    r = lmkg("cypher", "MATCH (a:Agent) RETURN count(a)", "--graph", str(g), umask=0o022)
    assert r.code == 0, r.text
    modes = {p.name: oct(_mode(p)) for p in tmp_path.iterdir()}
    assert set(modes.values()) == {"0o644"}, modes
    assert any(n.startswith("lmkg-graph.json.cypher-") for n in modes)
    assert {"lmkg-build-report.json", "lmkg-build-report.md"} <= set(modes)


def test_replacing_an_output_keeps_its_mode(graph_file, tmp_path):
    out = tmp_path / "x.ttl"
    out.write_text("old")
    out.chmod(0o640)
    r = _cli("export", "--graph", str(graph_file), "--format", "ttl", "-o", str(out))
    assert r.exit_code == 0 and _mode(out) == 0o640 and out.read_text() != "old"


# -- full disk (defect 9) ------------------------------------------------------------------------
def _inject_enospc(monkeypatch) -> None:
    """Where no real full file system can be made: every write lmkg's atomic writer makes
    fails the way a full disk fails."""
    import lmkg.atomic as atomic

    real = os.fdopen

    class Full:
        def __init__(self, fh):
            self._fh = fh

        def write(self, _data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self._fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._fh.close()

    monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: Full(real(*a, **k)))


FULL_CASES = {
    "build": lambda g, d: ["build", "--data", str(g.parent / "data"), "-o",
                           str(d / "lmkg-graph.json")],
    "export-ttl": lambda g, d: ["export", "--graph", str(g), "--format", "ttl", "-o",
                                str(d / "x.ttl")],
    "export-cypher": lambda g, d: ["export", "--graph", str(g), "--format", "cypher", "-o",
                                   str(d / "x.cypher")],
    "export-neo4j-csv": lambda g, d: ["export", "--graph", str(g), "--format", "neo4j-csv",
                                      "-o", str(d / "csv")],
    "map": lambda g, d: ["map", "--graph", str(g), "-o", str(d / "m.html")],
    "ontology": lambda g, d: ["ontology", "-o", str(d / "o.ttl")],
}


@pytest.mark.parametrize("name", list(FULL_CASES))
def test_a_full_disk_is_one_line_and_leaves_the_old_output(name, full_fs, mini_graph,
                                                             monkeypatch):
    d = full_fs.path
    args = FULL_CASES[name](mini_graph, d)
    target = Path(args[args.index("-o") + 1])
    before = listing(d)
    if full_fs.real:
        r = lmkg(*args)
        code, out = r.code, r.stderr
    else:
        _inject_enospc(monkeypatch)
        res = _cli(*args)
        code, out = res.exit_code, res.output
    if name == "export-neo4j-csv" and not full_fs.real:
        pytest.skip("the neo4j-csv writer opens its files itself: only a real full disk "
                    "fails it")
    assert code == 1 and one_line_error(out), out
    assert f"cannot write {target}" in out or f"cannot write {target.parent}" in out \
        or "No space left on device" in out
    assert "No space left on device" in out
    assert listing(d) == before  # nothing half-written, no temporary file
    assert not target.exists()


def test_full_disk_keeps_the_previous_graph_and_report(tiny_fs, mini_graph):
    d = tiny_fs(512)
    if d is None:
        pytest.skip("mounting a small file system is not allowed here (the injected case "
                    "above covers the error)")
    data = str(mini_graph.parent / "data")
    r = lmkg("build", "--data", data, "-o", str(d / "lmkg-graph.json"))
    assert r.code == 0, r.text
    old = {p.name: p.read_bytes() for p in d.iterdir()}
    from .conftest import fill

    fill(d)
    r = lmkg("build", "--data", data, "-o", str(d / "lmkg-graph.json"))
    assert r.code == 1 and "No space left on device" in r.stderr and one_line_error(r.stderr)
    now = {p.name: p.read_bytes() for p in d.iterdir() if not p.name.startswith(".filler")}
    assert now == old  # the old graph and the report that describes it, untouched


def test_the_report_is_written_after_the_graph(tmp_path, monkeypatch, mini_graph):
    """If the report cannot be written, the graph is there and no old report misdescribes it."""
    import lmkg.graph.report.build_report as br

    out = tmp_path / "lmkg-graph.json"
    data = str(mini_graph.parent / "data")
    assert _cli("build", "--data", data, "-o", str(out)).exit_code == 0
    graph_before = out.stat().st_mtime_ns

    def fail(*_a, **_k):
        raise OutputError(tmp_path / "lmkg-build-report.json",
                          OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(br, "write_reports", fail)
    time.sleep(0.01)
    r = _cli("build", "--data", data, "-o", str(out))
    assert r.exit_code == 1 and one_line_error(r.output)
    assert "built" in r.output and "build report could not be written" in r.output
    assert out.stat().st_mtime_ns > graph_before
    assert not (tmp_path / "lmkg-build-report.json").exists()
    assert not (tmp_path / "lmkg-build-report.md").exists()


# -- unwritable outputs (defect 10) -------------------------------------------------------------
UNWRITABLE = [
    ("build", ["build", "--data", "{data}", "-o", "{bad}"]),
    ("build-report", ["build", "--data", "{data}", "-o", "{tmp}/g.json", "--report", "{bad}"]),
    ("export-ttl", ["export", "--format", "ttl", "-o", "{bad}"]),
    ("export-jsonld", ["export", "--format", "jsonld", "-o", "{bad}"]),
    ("export-cypher", ["export", "--format", "cypher", "-o", "{bad}"]),
    ("export-neo4j-csv", ["export", "--format", "neo4j-csv", "-o", "{bad}"]),
    ("map", ["map", "-o", "{bad}"]),
    ("ontology", ["ontology", "-o", "{bad}"]),
    ("coverage", ["coverage", "-o", "{bad}"]),
]
BAD_PATHS = [("proc", "/proc/x/y"), ("proc-file", "/proc/lmkg-test"),
             ("under-a-file", "{tmp}/afile/x"), ("a-directory", "{tmp}")]


# Every verb with every unwritable path, but a folder for neo4j-csv: a folder is its target.
UNWRITABLE_CASES = [(u, b) for u in UNWRITABLE for b in BAD_PATHS
                    if not (u[0] == "export-neo4j-csv" and b[0] == "a-directory")]


@pytest.mark.parametrize(("verb", "args", "kind", "bad"), [(*u, *b) for u, b in UNWRITABLE_CASES],
                         ids=[f"{b[0]}-{u[0]}" for u, b in UNWRITABLE_CASES])
def test_unwritable_output_is_one_line(verb, args, kind, bad, mini_graph, tmp_path):
    (tmp_path / "afile").write_text("x")
    bad = bad.format(tmp=tmp_path)
    full = [a.format(bad=bad, tmp=tmp_path, data=mini_graph.parent / "data") for a in args]
    if verb not in ("build", "build-report", "ontology"):
        full += ["--graph", str(mini_graph)]
    before = listing(tmp_path)
    r = _cli(*full)
    if kind == "a-directory" and r.exit_code == 2:  # refused by the option itself: a usage error
        assert "is a directory" in r.output and "Traceback" not in r.output
    else:
        assert r.exit_code == 1 and one_line_error(r.output), r.output
        assert "cannot write" in r.output
    left = listing(tmp_path) - before
    assert all(not n.startswith(".") for n in left), left  # no temporary file left
    assert "afile" in listing(tmp_path) and (tmp_path / "afile").read_text() == "x"


def test_devices_and_links(graph_file, tmp_path):
    r = lmkg("ontology", "-o", "/dev/stdout")
    assert r.code == 0 and r.stdout.startswith("@prefix")
    for dev in ("/dev/null", "/dev/full"):
        r = lmkg("export", "--graph", str(graph_file), "--format", "nt", "-o", dev)
        assert stat.S_ISCHR(os.stat(dev).st_mode), f"{dev} was replaced"
        if dev == "/dev/full":
            assert r.code == 1 and one_line_error(r.stderr) and "No space left" in r.stderr
        else:
            assert r.code == 0, r.text
    real = tmp_path / "real.ttl"
    real.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    assert _cli("export", "--graph", str(graph_file), "--format", "ttl", "-o",
                str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text().startswith("@prefix")


# -- killed writers (defect 11, and atomic builds handled right) ---------------------------------
@pytest.fixture(scope="module")
def big_graph(tmp_path_factory) -> Path:
    from lmkg.graph import save_graph
    from support.synthetic import make_synthetic

    p = tmp_path_factory.mktemp("big") / "big.json"
    save_graph(make_synthetic(4000, 12000, seed=1), p)
    return p


def _kill_when(proc: subprocess.Popen, folder: Path, pattern: str, limit: float = 60) -> set[str]:
    """SIGKILL ``proc`` as soon as a name matching ``pattern`` appears in ``folder``."""
    import re

    rx = re.compile(pattern)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        hits = {n for n in listing(folder) if rx.match(n)}
        if hits:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return hits
        if proc.poll() is not None:
            pytest.fail(f"the writer finished before its temporary file was seen: "
                        f"{proc.stderr.read().decode()[-300:]}")
        time.sleep(0.005)
    proc.kill()
    pytest.fail("no temporary file appeared")


KILLED = [
    ("export-ttl", ["export", "--format", "ttl", "-o", "{d}/x.ttl"], r"^\.x\.ttl\.\d+\..*\.tmp$"),
    ("export-neo4j-csv", ["export", "--format", "neo4j-csv", "-o", "{d}/csv"],
     r"^\.csv\.\d+\..*\.tmpdir$"),
    ("cypher-cache", ["cypher", "MATCH (a) RETURN count(a)"],
     r"^\.big\.json\.cypher\.\d+\..*\.tmp"),
]


@pytest.mark.parametrize(("name", "args", "pattern"), KILLED, ids=[k[0] for k in KILLED])
def test_a_killed_writer_leaves_files_that_the_next_run_sweeps(name, args, pattern, big_graph,
                                                               tmp_path):
    import shutil

    d = tmp_path / "w"
    d.mkdir()
    g = d / "big.json"
    shutil.copy(big_graph, g)
    full = [a.format(d=d) for a in args] + ["--graph", str(g)]
    leftovers = _kill_when(start_lmkg(*full), d, pattern)
    assert leftovers <= listing(d)  # what a SIGKILL leaves behind ...
    r = lmkg(*full, timeout=300)
    assert r.code == 0, r.text
    hidden = {n for n in listing(d) if n.startswith(".")}
    assert hidden == set(), hidden  # ... is swept by the next run of the same output
    if name == "export-ttl":
        assert (d / "x.ttl").read_text().rstrip().endswith(".")


def test_a_live_writers_temporary_file_is_left_alone(tmp_path):
    target = tmp_path / "x.ttl"
    live = tmp_path / f".x.ttl.{os.getppid()}.abcdefgh.tmp"
    dead_pid = _dead_pid()
    dead = tmp_path / f".x.ttl.{dead_pid}.abcdefgh.tmp"
    live.write_text("a live writer's")
    dead.write_text("a dead writer's")
    with atomic_write(target) as fh:
        fh.write("new")
    assert live.exists() and not dead.exists() and target.read_text() == "new"


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_build_killed_at_any_moment_leaves_the_old_graph_or_the_new(tmp_path):
    from lmkg.graph import load_graph

    g = tmp_path / "lmkg-graph.json"
    assert lmkg("build", "-o", str(g)).code == 0
    for delay in (0.5, 1.2, 2.0):
        p = start_lmkg("build", "-o", str(g))
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        assert load_graph(g).g.number_of_nodes() > 500  # whole, whichever it is
    assert lmkg("build", "-o", str(g)).code == 0
    assert {n for n in listing(tmp_path) if n.startswith(".")} == set()


SWAPPER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import lmkg.atomic as atomic
    target = Path(sys.argv[1])
    if sys.argv[2] == "no-exchange":
        atomic._exchange = lambda a, b: False
        real = atomic.os.rename
        def slow(a, b):
            if str(b) == str(target):
                print("between", flush=True)
                time.sleep(60)  # killed here: the old folder renamed away, the new not in
            return real(a, b)
        atomic.os.rename = slow
    n = 0
    while True:
        with atomic.atomic_dir(target) as tmp:
            (tmp / "complete").write_text(str(n))
        n += 1
        if n == 1:
            print("swapping", flush=True)
""")


def test_atomic_dir_never_leaves_neither_the_old_nor_the_new(tmp_path):
    target = tmp_path / "out"
    p = subprocess.Popen([sys.executable, "-c", SWAPPER, str(target), "exchange"],
                         stdout=subprocess.PIPE)
    try:
        assert p.stdout.readline().strip() == b"swapping"
        seen = set()
        for _ in range(3000):
            assert (target / "complete").exists()  # at every moment, a whole folder
            seen.add((target / "complete").read_text())
    finally:
        p.kill()
        p.wait()
    assert len(seen) > 5  # it really was swapping meanwhile
    sweep(target)
    assert listing(tmp_path) == {"out"}


def test_a_folder_swap_killed_between_its_renames_is_repaired(tmp_path, graph_file):
    """Where the kernel cannot swap two folders in one step, a kill between the two renames
    leaves the old folder under a temporary name; the next write puts it back first."""
    target = tmp_path / "csv"
    with atomic_dir(target) as tmp:
        (tmp / "complete").write_text("old")
    p = subprocess.Popen([sys.executable, "-c", SWAPPER, str(target), "no-exchange"],
                         stdout=subprocess.PIPE)
    assert p.stdout.readline().strip() == b"between"
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert not target.exists()  # the moment the exchange avoids ...
    restored = sweep(target)
    assert restored and (target / "complete").read_text() == "old"  # ... is repaired
    assert listing(tmp_path) == {"csv"}
    r = _cli("export", "--graph", str(graph_file), "--format", "neo4j-csv", "-o", str(target))
    assert r.exit_code == 0 and (target / "README.md").exists()


# -- deterministic outputs (defect 13) ---------------------------------------------------------
@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "cypher", "neo4j-csv"])
def test_two_exports_are_byte_identical(fmt, graph_file, tmp_path):
    outs = []
    for i in range(2):
        o = tmp_path / f"out{i}"
        r = lmkg("export", "--graph", str(graph_file), "--format", fmt, "-o", str(o))
        assert r.code == 0, r.text
        outs.append({p.name: p.read_bytes() for p in o.iterdir()} if o.is_dir()
                    else o.read_bytes())
    assert outs[0] == outs[1]
    if fmt == "ttl":
        assert b"_:c14n" in outs[0]  # the ontology's blank nodes, canonically labelled


def test_graph_file_attacks_are_one_line(tmp_path, mini_graph):
    cases = {"truncated": None, "not-json": b"\x00\xff garbage", "not-a-graph": b'{"a": 1}',
             "wrong-version": b'{"format": "lmkg-graph", "version": 99}', "a-directory": None}
    g = mini_graph
    for name, content in cases.items():
        p = tmp_path / name
        if name == "truncated":
            p.write_bytes(g.read_bytes()[:500])
        elif name == "a-directory":
            p.mkdir()
        else:
            p.write_bytes(content)
        r = _cli("stats", "--graph", str(p))
        assert r.exit_code in (1, 2) and "Traceback" not in r.output, (name, r.output)
        assert json.dumps(r.output)  # printable
