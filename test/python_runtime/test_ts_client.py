"""The repo's TS client (dist/runtime/client, run by node) against the FastAPI server started by
``python -m wsgen_runtime.serve``: guide connect, a streamed answer, and a server restart it survives."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest

from .harness import free_port

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("ts_client_probe.mjs")
CLIENT = ROOT / "dist" / "runtime" / "client" / "index.js"


def start_server(port: int, token: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "runtime" / "python" / "src"), str(ROOT / "generated" / "python")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wsgen_runtime.serve", "--port", str(port), "--token", token, "--jitter", "0.1", "--log-level", "warn"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # the banner ends with the dev token line
        if line.strip().startswith("dev token:"):
            return proc
    proc.stdout.close()
    raise AssertionError(f"no banner; exit code {proc.wait(10)}")


def stop_server(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(20)
    if proc.stdout is not None:
        proc.stdout.close()
    return code


def step(out: IO[str], name: str) -> dict[str, Any]:
    line = out.readline()
    assert line, f"the probe ended before {name}"
    value = json.loads(line)
    assert value["step"] == name, value
    return dict(value)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_ts_client_streams_from_the_fastapi_server_and_survives_a_restart() -> None:
    assert CLIENT.exists(), "run `node scripts/build.mjs` first (dist/runtime/client)"
    port, token = free_port(), "ts-client-token"
    server = start_server(port, token)
    probe = subprocess.Popen(["node", str(PROBE), str(port), token], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert probe.stdout is not None
        streamed = step(probe.stdout, "streamed")
        assert streamed["type"] == "agent_complete" and streamed["complete"] is True
        assert streamed["text"] == "Guide agent here. You said: hello python. This is a mock streamed answer."
        assert streamed["health"]["status"] == "open" and streamed["health"]["sessionId"]
        assert stop_server(server) == 0  # graceful: 1012, the client reconnects
        queued = step(probe.stdout, "reconnecting")
        assert queued["statuses"] == ["queued"] * 3
        server = start_server(port, token)
        after = step(probe.stdout, "after-restart")
        assert after["replies"] == [1, 1, 1]
        assert after["health"]["status"] == "open" and after["health"]["reconnectCount"] >= 1
        assert probe.wait(20) == 0
    finally:
        for p in (probe, server):
            if p.poll() is None:
                p.kill()
                p.wait(10)
            if p.stdout is not None:
                p.stdout.close()
