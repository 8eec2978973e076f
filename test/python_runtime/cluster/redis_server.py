"""A real ``redis-server`` (/usr/bin/redis-server) for the tests: 127.0.0.1, a free port, a temp dir, no persistence.

Started and stopped by the tests (a pytest fixture); ``stop()`` then ``start()`` restarts it on the same port
with an empty dataset (``--save ''``, ``--appendonly no``: what a crash without persistence leaves).
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

REDIS_SERVER = "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One redis-server child process."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Starts on the last port (a restart) or on a free one, retrying another port when it is taken."""
        for _ in range(5):
            port = self.port or _free_port()
            args = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.workdir)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and proc.poll() is None and not _ping(port):
                time.sleep(0.02)
            if proc.poll() is None and _ping(port):
                self.port, self.proc = port, proc
                return
            proc.kill()
            proc.wait()
            if self.port:  # a restart must reuse its port: wait for it to be released
                time.sleep(0.2)
        raise RuntimeError("redis-server did not start (port busy?)")

    def stop(self) -> None:
        """Stops it (SIGTERM; nothing is saved)."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None
