"""``python -m wsgen_runtime.serve --redis URL``: N reference nodes on one Redis share the dev session (same
``--token``); a client moves from a node that shuts down to another and resumes with nothing lost; every
node restarted, the client still resumes (the streams live in Redis). Bad ``--node-id``: exit 3; no ``redis``
package: exit 2."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions
from wsgen_runtime.serve import shared_session_id

from ..harness import PROTOCOL, live
from .nodes import eventually
from .redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[3]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "runtime" / "python" / "src"), str(ROOT / "generated" / "python")])}
FAST = BackoffOptions(min_delay_s=0.02, max_delay_s=0.3)
TOKEN = "readme-token"


class Served:
    """One ``python -m wsgen_runtime.serve --redis`` process."""

    def __init__(self, redis: RedisServer, node_id: str) -> None:
        args = ["--port", "0", "--token", TOKEN, "--redis", redis.url, "--node-id", node_id, "--jitter", "0.05"]
        self.proc = subprocess.Popen([sys.executable, "-m", "wsgen_runtime.serve", *args], cwd=ROOT, env=ENV, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
        self.banner = ""

    async def started(self) -> int:
        """Reads the banner up to its redis line; returns the port."""
        assert self.proc.stdout is not None
        while "redis:" not in self.banner:
            line = await asyncio.to_thread(self.proc.stdout.readline)
            assert line, f"the node exited: {self.banner}"
            self.banner += line
        m = re.search(r"ws://127\.0\.0\.1:(\d+)/api/ws/guide", self.banner)
        assert m is not None
        return int(m.group(1))

    def stop(self) -> int:
        """SIGTERM (graceful); the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(20)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return code


@live(120)
async def test_reference_nodes_on_one_redis_share_the_session_and_a_client_resumes_across_shutdowns_and_restarts(redis: RedisServer) -> None:
    nodes = [Served(redis, "n1"), Served(redis, "n2")]
    try:
        p1, p2 = [await n.started() for n in nodes]
        assert f"session {shared_session_id(TOKEN)}" in nodes[0].banner and f"session {shared_session_id(TOKEN)}" in nodes[1].banner
        assert f"redis:    {redis.url} (node n1)" in nodes[0].banner
        c = chat_client(f"ws://127.0.0.1:{p1}", TOKEN, PROTOCOL, options=ClientOptions(backoff=FAST))
        seqs: list[int] = []
        c.subscribe(lambda m: seqs.append(m["seq"]) if isinstance(m.get("seq"), int) else None)
        await c.connect()
        await c.request({"type": "user_message", "message": "/echo one"})
        c.url = c.url.replace(f":{p1}/", f":{p2}/")  # the load balancer's move
        assert nodes[0].stop() == 0  # graceful: 1012, the client reconnects to n2
        await eventually(lambda: len(c.resumes) == 2, 20)
        await c.request({"type": "user_message", "message": "/echo two"})
        # every node restarted: n2 stops, n3 starts; the stream lives in Redis
        assert nodes[1].stop() == 0
        nodes.append(Served(redis, "n3"))
        p3 = await nodes[2].started()
        c.url = c.url.replace(f":{p2}/", f":{p3}/")
        await eventually(lambda: len(c.resumes) == 3, 20)
        reply: dict[str, Any] = await c.request({"type": "user_message", "message": "/echo three"})
        assert reply["message"] == "three"
        assert c.resumes == ["resumed"] * 3 and c.recovery_failures == []
        assert seqs == list(range(1, len(seqs) + 1))  # nothing lost, nothing twice, across three nodes
        await c.close()
    finally:
        for n in nodes:
            n.stop()


def test_a_bad_node_id_is_a_usage_error_and_a_missing_redis_package_exits_2(tmp_path: Path) -> None:
    base = [sys.executable, "-m", "wsgen_runtime.serve", "--port", "0", "--redis", "redis://127.0.0.1:1/0"]
    r = subprocess.run([*base, "--node-id", "a/b"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert r.returncode == 3 and "WSGEN_REDIS" in r.stderr and "Traceback" not in r.stderr
    fake = tmp_path / "redis"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('No module named redis (hidden by the test)')\n")
    env = {**ENV, "PYTHONPATH": os.pathsep.join([str(tmp_path), ENV["PYTHONPATH"]])}
    r = subprocess.run(base, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "wsgen-runtime[redis]" in r.stderr and "Traceback" not in r.stderr
