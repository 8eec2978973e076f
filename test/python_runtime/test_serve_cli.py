"""``python -m wsgen_runtime.serve``: the banner, --protocol-path from another folder, SIGTERM, and exit code 2
for a busy port or a missing generated package."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "runtime" / "python" / "src")}  # no generated/python on the path


def serve(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "wsgen_runtime.serve", *args], cwd=cwd, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def test_banner_from_another_folder_with_protocol_path_then_sigterm_exits_0(tmp_path: Path) -> None:
    proc = serve("--port", "0", "--token", "cli-token", "--protocol-path", str(ROOT / "generated" / "python"), cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.strip().startswith("dev token:"):
            break
    text = "".join(lines)
    port = re.search(r"ws://127\.0\.0\.1:(\d+)/api/ws/guide", text)
    assert port is not None and int(port.group(1)) > 0, text
    assert len(re.findall(r"/api/ws/liaison/(content|insights|operations|business_outcomes)\n", text)) == 4
    assert "dev token: cli-token" in text and "/metrics" in text and "/healthz" in text
    with connect(f"ws://127.0.0.1:{port.group(1)}/api/ws/guide?session_token=cli-token", open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "session_created"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    logs = proc.stderr.read()
    assert '"event": "connection_opened"' in logs  # the JSON logs ran (info level)...
    assert "cli-token" not in logs  # ...and never carry the token, not even from the query string (uvicorn logs at warning)
    proc.stdout.close()
    proc.stderr.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_sent_at_the_first_banner_line_closes_gracefully(tmp_path: Path, sig: signal.Signals) -> None:
    """A supervisor may signal as soon as the server announces itself: the handlers are in place before the
    banner (uvicorn installs them before startup, the banner follows startup), so the drain runs and the exit is 0
    (the Node ``serve`` once printed first and was killed by such a signal)."""
    proc = serve("--port", "0", "--protocol-path", str(ROOT / "generated" / "python"), cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.send_signal(sig)
    code = proc.wait(30)
    logs = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert first.startswith("wsgen reference server (Python) listening"), first
    assert code == 0, logs
    assert '"event": "shutdown_complete"' in logs, logs


def test_busy_port_and_missing_generated_package_exit_2(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "wsgen_runtime.serve", "--port", str(port), "--protocol-path", str(ROOT / "generated" / "python")],
                           cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert r.returncode == 2 and "WSGEN_LISTEN" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "wsgen_runtime.serve", "--port", "0"], cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 2 and "wsgen_protocol is not importable" in r.stderr
    r = subprocess.run([sys.executable, "-m", "wsgen_runtime.serve", "--bogus"], cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=60)
    assert r.returncode == 3


def test_a_port_out_of_range_is_a_usage_error_exit_3(tmp_path: Path) -> None:
    for bad in ("70000", "-1", "http", "８０"):
        r = subprocess.run([sys.executable, "-m", "wsgen_runtime.serve", "--port", bad], cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=60)
        assert r.returncode == 3 and "Traceback" not in r.stderr and "expected a TCP port" in r.stderr, (bad, r.stderr)
