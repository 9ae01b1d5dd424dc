"""Throwaway Neo4j servers on 127.0.0.1 for tests and benchmarks, and Neo4j's own bulk importer.

Neo4j Community 5.26 LTS comes from Maven Central (``org.neo4j.test:neo4j-harness`` and
``org.neo4j:neo4j-import-tool``, cached in ``~/.m2``); the small Java project in
``tests/support/neo4j-launcher`` is built with Maven on first use (offline when the cache has
everything, else online) into its ``target/`` folder.

One JVM (:class:`Neo4jLauncher`) hosts any number of in-process servers from Neo4j's test
harness, each with Bolt on a free loopback port, authentication on and the user ``neo4j`` with
:data:`TEST_PASSWORD`. The JVM reads its commands from a pipe: when this process ends, however
it ends, the pipe closes and the JVM stops its servers and exits, so no JVM outlives a test run.

:func:`neo4j_admin` runs ``neo4j-admin`` (``org.neo4j.cli.AdminTool``, the class the
``neo4j-admin`` script runs) in its own JVM from a DBMS home folder, exactly as a user runs
``neo4j-admin database import full`` there.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

LAUNCHER_DIR = Path(__file__).resolve().parent / "neo4j-launcher"
TARGET = LAUNCHER_DIR / "target"
JAR = TARGET / "lmkg-neo4j-launcher.jar"
CLASSPATH_FILE = TARGET / "classpath.txt"
MAIN_CLASS = "org.lmkg.testsupport.Neo4jLauncher"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
NEO4J_VERSION = "5.26.30"
TEST_USER = "neo4j"
TEST_PASSWORD = "lmkg-test-Neo4j-pw"
PASSWORD_ENV = "LMKG_TEST_NEO4J_PASSWORD"
# For short test runs on a small machine: the client compiler only and the serial collector
# start a server and run its first queries two to three times faster (measured here). The
# benchmarks leave them out, to run Neo4j as a production server runs.
TEST_JVM_ARGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


class Neo4jLauncherError(RuntimeError):
    """Building the launcher, starting the JVM or a server, or running neo4j-admin failed."""


def _tool(name: str, hint: str) -> str:
    path = shutil.which(name)
    if not path:
        raise Neo4jLauncherError(f"{name} not found on PATH ({hint})")
    return path


def java() -> str:
    """The ``java`` to run Neo4j with: ``$JAVA_HOME/bin/java`` if set, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return _tool("java", "Debian: apt-get install -y openjdk-17-jdk-headless")


def _stale() -> bool:
    if not (JAR.exists() and CLASSPATH_FILE.exists()):
        return True
    built = min(JAR.stat().st_mtime, CLASSPATH_FILE.stat().st_mtime)
    sources = [LAUNCHER_DIR / "pom.xml", *LAUNCHER_DIR.glob("src/**/*.java")]
    if any(p.stat().st_mtime > built for p in sources):
        return True
    return not all(Path(p).exists() for p in CLASSPATH_FILE.read_text().strip().split(os.pathsep))


def build_launcher() -> list[str]:
    """Build the launcher if needed and return its classpath (the jar, then the Neo4j jars).

    ``mvn -q -o package`` first (everything in ``~/.m2``), then online against Maven Central.
    """
    TARGET.mkdir(exist_ok=True)
    with (TARGET / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time (tests and a benchmark, say)
        if _stale():
            mvn = _tool("mvn", "Debian: apt-get install -y maven")
            errors = []
            for offline in (True, False):
                cmd = [mvn, "-q", "-B", *(["-o"] if offline else []), "package"]
                res = subprocess.run(cmd, cwd=LAUNCHER_DIR, capture_output=True, text=True,
                                     timeout=900, check=False)
                if res.returncode == 0:
                    break
                errors.append(f"$ {' '.join(cmd)}\n{(res.stdout + res.stderr)[-3000:]}")
            else:
                raise Neo4jLauncherError("could not build the Neo4j launcher with Maven:\n"
                                         + "\n".join(errors))
    return [str(JAR), *CLASSPATH_FILE.read_text().strip().split(os.pathsep)]


@dataclass(frozen=True)
class Neo4jServer:
    """One running Neo4j: where Bolt listens, who may log in, and where its files are."""

    name: str
    uri: str
    home: Path
    user: str = TEST_USER
    password: str = TEST_PASSWORD

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    def log_text(self) -> str:
        """Everything the server has logged so far (``neo4j.log``, ``debug.log``, ...)."""
        out = []
        for p in sorted(self.home.rglob("*.log")):
            with contextlib.suppress(OSError):
                out.append(p.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(out)


class Neo4jLauncher:
    """One JVM hosting throwaway Neo4j servers; close it (or use :func:`neo4j_launcher`)."""

    def __init__(self, work_dir: Path | None = None, heap: str = "1g",
                 password: str = TEST_PASSWORD, start_timeout: float = 120.0,
                 jvm_args: Sequence[str] = ()) -> None:
        self.classpath = build_launcher()
        self._own_dir = work_dir is None
        self.work_dir = Path(work_dir or tempfile.mkdtemp(prefix="lmkg-neo4j-"))
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.password = password
        self.servers: dict[str, Neo4jServer] = {}
        self._stderr_path = self.work_dir / "launcher.stderr"
        self._stderr = self._stderr_path.open("wb")
        env = {**os.environ, PASSWORD_ENV: password}
        self.proc = subprocess.Popen(
            [java(), f"-Xmx{heap}", "-Dfile.encoding=UTF-8", *jvm_args,
             "-cp", os.pathsep.join(self.classpath), MAIN_CLASS, str(self.work_dir / "servers")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
            text=True, encoding="utf-8", bufsize=1)
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self._answer("hello", start_timeout)
        except BaseException:
            self.close()
            raise

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _stderr_tail(self) -> str:
        self._stderr.flush()
        try:
            return self._stderr_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""

    def _answer(self, want: str, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise Neo4jLauncherError(f"the Neo4j launcher gave no {want!r} answer within "
                                         f"{timeout:.0f} s\n{self._stderr_tail()}") from None
            if line is None:
                raise Neo4jLauncherError(f"the Neo4j launcher JVM exited "
                                         f"(code {self.proc.wait()})\n{self._stderr_tail()}")
            fields = line.split("\t")
            if fields[0] == want:
                return fields[1:]
            if fields[0] == "error":
                raise Neo4jLauncherError(f"Neo4j launcher: {' '.join(fields[2:])}\n"
                                         f"{self._stderr_tail()}")

    def _send(self, *fields: str) -> None:
        if self.proc.poll() is not None or self.proc.stdin is None:
            raise Neo4jLauncherError(f"the Neo4j launcher JVM is not running\n"
                                     f"{self._stderr_tail()}")
        self.proc.stdin.write("\t".join(fields) + "\n")
        self.proc.stdin.flush()

    def start(self, name: str, from_home: Path | None = None,
              lock_timeout_ms: int | None = None, pagecache_mb: int = 128,
              timeout: float = 180.0) -> Neo4jServer:
        """A new server. ``from_home``: a DBMS home in which ``neo4j-admin database import``
        wrote ``data/databases/neo4j``; the server starts on a copy of that database.
        ``lock_timeout_ms``: how long a transaction waits for a lock before Neo4j fails it
        with the transient ``LockAcquisitionTimeout`` (default: it waits, as Neo4j does).
        ``pagecache_mb``: Neo4j's page cache (off-heap), 128 MB by default."""
        self._send("start", name, str(Path(from_home).resolve()) if from_home else "",
                   str(lock_timeout_ms or ""), str(pagecache_mb))
        _, uri, home = self._answer("ready", timeout)
        server = Neo4jServer(name, uri.rstrip("/"), Path(home), password=self.password)
        self.servers[name] = server
        return server

    def stop(self, name: str, timeout: float = 120.0) -> None:
        self._send("stop", name)
        self._answer("stopped", timeout)
        self.servers.pop(name, None)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self, timeout: float = 120.0) -> None:
        """Stop every server and the JVM (killed if it does not exit in time)."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                assert self.proc.stdin is not None
                self.proc.stdin.write("quit\n")
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin:
                self.proc.stdin.close()
        self._stderr.close()
        self.servers.clear()
        if self._own_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def __enter__(self) -> Neo4jLauncher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def neo4j_launcher(**kwargs) -> Iterator[Neo4jLauncher]:
    """A :class:`Neo4jLauncher`, closed on exit whatever happened."""
    launcher = Neo4jLauncher(**kwargs)
    try:
        yield launcher
    finally:
        launcher.close()


@contextlib.contextmanager
def neo4j_server(name: str = "neo4j", **kwargs) -> Iterator[Neo4jServer]:
    """One throwaway server in its own JVM, stopped on exit."""
    with neo4j_launcher(**kwargs) as launcher:
        yield launcher.start(name)


@dataclass(frozen=True)
class AdminRun:
    """One ``neo4j-admin`` run: its arguments, exit code, output and how long it took."""

    args: tuple[str, ...]
    returncode: int
    output: str
    seconds: float


def neo4j_admin(home: Path, args: Sequence[str], heap: str = "2g",
                timeout: float = 1800.0, jvm_args: Sequence[str] = ()) -> AdminRun:
    """``neo4j-admin ARGS`` run from the DBMS home ``home`` (NEO4J_HOME; NEO4J_CONF=home/conf).

    Relative paths in ``args`` (``--nodes=import/...``) resolve against ``home``, as they do
    for a user who runs the command there.
    """
    home = Path(home).resolve()
    (home / "conf").mkdir(parents=True, exist_ok=True)
    classpath = build_launcher()
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    t0 = time.perf_counter()
    res = subprocess.run(
        [java(), f"-Xmx{heap}", "-Dfile.encoding=UTF-8", *jvm_args,
         "-cp", os.pathsep.join(classpath), ADMIN_CLASS, *args],
        cwd=home, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
        check=False, stdin=subprocess.DEVNULL)
    return AdminRun(tuple(args), res.returncode, res.stdout + res.stderr,
                    time.perf_counter() - t0)


def main(argv: Sequence[str] | None = None) -> int:
    """A throwaway Neo4j for trying lmkg by hand, or ``neo4j-admin`` from a DBMS home.

    ``python tests/support/neo4j_server.py serve [--from-home HOME]`` starts a server, prints
    its URI, user and password, and stops it on Ctrl-C or SIGTERM;
    ``python tests/support/neo4j_server.py admin HOME ARGS...`` runs ``neo4j-admin ARGS...``
    from the DBMS home ``HOME``.
    """
    import argparse
    import signal
    import sys

    ap = argparse.ArgumentParser(prog="neo4j_server.py", description=main.__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    serve = sub.add_parser("serve", help="start a throwaway server until Ctrl-C")
    serve.add_argument("--from-home", type=Path, help="open the database imported into HOME")
    serve.add_argument("--heap", default="1g")
    admin = sub.add_parser("admin", help="run neo4j-admin from a DBMS home")
    admin.add_argument("home", type=Path)
    admin.add_argument("args", nargs=argparse.REMAINDER)
    ns = ap.parse_args(argv)
    if ns.cmd == "admin":
        run = neo4j_admin(ns.home, ns.args)
        sys.stdout.write(run.output)
        return run.returncode
    with neo4j_launcher(heap=ns.heap) as launcher:
        server = launcher.start("neo4j", from_home=ns.from_home)
        print(f"Neo4j {NEO4J_VERSION} at {server.uri}  user {server.user}  password "
              f"{server.password}  (a throwaway test server; Ctrl-C stops it)", flush=True)
        def interrupt(*_: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, interrupt)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
