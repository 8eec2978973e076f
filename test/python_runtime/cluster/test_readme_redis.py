"""The README's Redis example is ``examples/redis_app.py``, and its command runs: two uvicorn nodes of it on one
Redis; the node holding a client is SIGKILLed and the client resumes on the other with nothing lost."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions

from ..harness import PROTOCOL, free_port, live
from .nodes import eventually
from .redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "runtime" / "python" / "examples" / "redis_app.py"
README = ROOT / "runtime" / "python" / "README.md"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "runtime" / "python" / "src"), str(ROOT / "generated" / "python")])}


def test_the_redis_example_in_the_readme_is_the_example_file() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    body = re.sub(r'\A""".*?"""\n+', "", EXAMPLE.read_text(), flags=re.S)
    assert body in blocks


def uvicorn_node(redis: RedisServer, node_id: str, port: int) -> subprocess.Popen[bytes]:
    """The README's command for one node."""
    args = ["--app-dir", str(EXAMPLE.parent), "redis_app:app", "--port", str(port), "--ws-max-size", "65536", "--ws-per-message-deflate", "false"]
    env = {**ENV, "REDIS_URL": redis.url, "NODE_ID": node_id}
    return subprocess.Popen([sys.executable, "-m", "uvicorn", *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def listening(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stderr is not None
    while True:  # uvicorn logs "Application startup complete" once the lifespan (ready()) returned
        line = await asyncio.to_thread(proc.stderr.readline)
        assert line, "uvicorn exited"
        if b"Application startup complete" in line:
            return


@live(90)
async def test_two_nodes_of_the_example_share_the_session_across_a_sigkill(redis: RedisServer) -> None:
    p1, p2 = free_port(), free_port()
    nodes = [uvicorn_node(redis, "n1", p1), uvicorn_node(redis, "n2", p2)]
    try:
        await asyncio.gather(*(listening(n) for n in nodes))
        c = chat_client(f"ws://127.0.0.1:{p1}", "shared-token", PROTOCOL, options=ClientOptions(backoff=BackoffOptions(0.02, 0.3)))
        seqs: list[int] = []
        c.subscribe(lambda m: seqs.append(m["seq"]) if isinstance(m.get("seq"), int) else None)
        await c.connect()
        assert (await c.request({"type": "user_message", "message": "/echo on n1"}))["message"] == "on n1"
        c.url = c.url.replace(f":{p1}/", f":{p2}/")
        nodes[0].send_signal(signal.SIGKILL)
        await eventually(lambda: len(c.resumes) == 2, 20)
        assert (await c.request({"type": "user_message", "message": "/echo on n2"}))["message"] == "on n2"
        assert c.resumes == ["resumed", "resumed"] and c.recovery_failures == []
        assert seqs == list(range(1, len(seqs) + 1))
        await c.close()
    finally:
        for n in nodes:
            if n.poll() is None:
                n.terminate()
            n.wait(20)
            if n.stderr is not None:
                n.stderr.close()
