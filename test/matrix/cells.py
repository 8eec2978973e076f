"""Runs the scenario table (scenarios.json) in one cell of the matrix: starts the cell's server as a child
process per server configuration, runs the cell's client driver over the scenarios, stops, restarts or shuts
the server down when the driver asks (``{"await": "stop" | "restart"}``), and returns each scenario's
observations. Every child is stopped on the way out; every wait is bounded."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TABLE: list[dict[str, Any]] = json.loads((HERE / "scenarios.json").read_text())["scenarios"]
CLIENTS = ("ts", "py")
SERVERS = ("node", "fastapi")
#: The longest any one child may take to start, answer or stop.
WAIT_S = 30.0
PY_ENV = {
    **os.environ,
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONPATH": os.pathsep.join([str(ROOT / "runtime" / "python" / "src"), str(ROOT / "generated" / "python")]),
}


def expected(scenario: dict[str, Any], client: str, server: str) -> tuple[Any, str | None]:
    """The observations a cell must produce, and the reason when the cell's entry differs from the table's."""
    diffs = scenario.get("differences", {})
    d = diffs.get(f"{client}/{server}") or diffs.get(f"*/{server}") or diffs.get(f"{client}/*")
    return (d["expect"], d["why"]) if d else (scenario["expect"], None)


def _readline(stream: IO[str], what: str) -> str:
    """One line, or AssertionError after WAIT_S (a reader thread: pipes have no timeout)."""
    box: list[str] = []
    t = threading.Thread(target=lambda: box.append(stream.readline()), daemon=True)
    t.start()
    t.join(WAIT_S)
    if not box:
        raise AssertionError(f"timed out waiting for {what}")
    return box[0]


class ServerProcess:
    """One server child: ``start(port)`` waits for ``READY <port>``; ``stop()`` is SIGTERM (graceful) then wait."""

    def __init__(self, kind: str, token: str, session_id: str, heartbeat_ms: int) -> None:
        self.kind, self.args = kind, [token, session_id, str(heartbeat_ms)]
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0

    def start(self, port: int = 0) -> int:
        if self.kind == "node":
            cmd, env = (
                ["node", str(HERE / "node_server.mjs"), *self.args, str(port)],
                dict(os.environ),
            )
        else:
            cmd, env = (
                [sys.executable, str(HERE / "py_server.py"), *self.args, str(port)],
                PY_ENV,
            )
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = _readline(self.proc.stdout, f"the {self.kind} server").split()
        assert line[:1] == ["READY"], f"the {self.kind} server did not start: {line}"
        self.port = int(line[1])
        return self.port

    def stop(self) -> int | None:
        p, self.proc = self.proc, None
        if p is None:
            return None
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        try:
            return p.wait(WAIT_S)
        except subprocess.TimeoutExpired:
            p.kill()
            return p.wait()
        finally:
            if p.stdout is not None:
                p.stdout.close()


@contextmanager
def server(kind: str, heartbeat_ms: int) -> Iterator[tuple[ServerProcess, str]]:
    """A started server and its token; always stopped."""
    token = secrets.token_urlsafe(24)
    s = ServerProcess(kind, token, str(uuid.uuid4()), heartbeat_ms)
    try:
        s.start()
        yield s, token
    finally:
        s.stop()


@contextmanager
def driver(client: str, port: int, token: str, names: list[str]) -> Iterator[tuple[IO[str], IO[str]]]:
    """The ``client`` driver running scenarios ``names`` against the server on ``port``: its (stdout, stdin);
    always stopped."""
    d = _driver(client, port, token, names)
    assert d.stdout is not None and d.stdin is not None
    try:
        yield d.stdout, d.stdin
    finally:
        if d.poll() is None:
            d.kill()
        d.wait(WAIT_S)
        d.stdout.close()
        d.stdin.close()


def _driver(client: str, port: int, token: str, names: list[str]) -> subprocess.Popen[str]:
    if client == "ts":
        cmd, env = (
            ["node", str(HERE / "ts_driver.mjs"), str(port), token, *names],
            dict(os.environ),
        )
    else:
        cmd, env = (
            [sys.executable, str(HERE / "py_driver.py"), str(port), token, *names],
            PY_ENV,
        )
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def run_cell(client: str, server_kind: str) -> dict[str, Any]:
    """Every scenario's observations in the cell ``client``/``server_kind``."""
    groups: dict[int, list[str]] = {}
    for s in TABLE:
        groups.setdefault(int(s.get("server", {}).get("heartbeat_ms", 30000)), []).append(s["name"])
    out: dict[str, Any] = {}
    for heartbeat_ms, names in groups.items():
        with server(server_kind, heartbeat_ms) as (srv, token):
            with driver(client, srv.port, token, names) as (stdout, stdin):
                while len([n for n in names if n in out]) < len(names):
                    line = _readline(stdout, f"the {client} driver")
                    if not line:
                        raise AssertionError(f"the {client} driver ended early")
                    msg = json.loads(line)
                    if msg.get("await") in ("stop", "restart"):
                        srv.stop()
                        if msg["await"] == "restart":
                            srv.start(srv.port)
                        stdin.write("go\n")
                        stdin.flush()
                    else:
                        out[msg["scenario"]] = msg["obs"]
    return out
