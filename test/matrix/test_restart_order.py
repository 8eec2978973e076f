"""The restart scenario when the client resumes before the runner's go line reaches the driver.

The client runtime reconnects by itself as soon as the restarted server listens (backoff 50-300 ms), while the
runner writes ``go`` to the driver only after it read the new server's ``READY``: on a loaded machine the resume
exchange (RECOVERY_FAILED, then session_updated resumed_with_gap) can come first. The drivers must observe it
all the same. Here the runner holds ``go`` back until the server has sent its session_updated (its
``messages_out`` counter), the ordering that made the TS client x FastAPI cell miss RECOVERY_FAILED."""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request

import pytest

from .cells import CLIENTS, SERVERS, TABLE, WAIT_S, _readline, driver, expected, server

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
SENT = re.compile(r'^wsgen_messages_out(?:_total)?\{type="session_updated"\} (\d+(?:\.\d+)?)$', re.M)


def _sent_session_updated(port: int) -> int:
    """How many session_updated the server on ``port`` has sent (its /metrics)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=WAIT_S) as r:
        m = SENT.search(r.read().decode())
    return int(float(m.group(1))) if m else 0


@pytest.mark.parametrize("server_kind", SERVERS)
@pytest.mark.parametrize("client", CLIENTS)
def test_restart_is_observed_when_the_resume_comes_before_the_runners_go(client: str, server_kind: str) -> None:
    scenario = next(s for s in TABLE if s["name"] == "restart")
    with server(server_kind, 30000) as (srv, token):
        with driver(client, srv.port, token, ["restart"]) as (stdout, stdin):
            assert json.loads(_readline(stdout, f"the {client} driver")) == {"await": "restart"}
            srv.stop()
            srv.start(srv.port)
            deadline = time.monotonic() + WAIT_S
            while _sent_session_updated(srv.port) < 1:
                assert time.monotonic() < deadline, "the client did not resume on the restarted server"
                time.sleep(0.02)
            stdin.write("go\n")
            stdin.flush()
            got = json.loads(_readline(stdout, f"the {client} driver"))
    assert got == {"scenario": "restart", "obs": expected(scenario, client, server_kind)[0]}
