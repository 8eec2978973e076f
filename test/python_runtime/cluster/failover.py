"""The failover scenario shared by the same-kind and mixed tests: stream from the owner node, SIGKILL it mid-stream,
resume on another node (the client's ``failover_urls``), then stream on."""

from __future__ import annotations

import asyncio
from typing import Any

from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions

from ..harness import PROTOCOL
from .nodes import SESSION, TOKEN, eventually, inspect
from .processes import ChildNode
from .redis_server import RedisServer

FAST = BackoffOptions(min_delay_s=0.02, max_delay_s=0.3)


async def fail_over(redis: RedisServer, owner: ChildNode, other: ChildNode, after: int = 40) -> dict[str, Any]:
    """Streams from ``owner``, SIGKILLs it after ``after`` chunks, resumes on ``other``; returns what the client saw."""
    c = chat_client(owner.url(), TOKEN, PROTOCOL, options=ClientOptions(backoff=FAST, failover_urls=(f"{other.url()}/api/ws/guide",)))
    seqs: list[int] = []
    killed = asyncio.Event()

    def on_message(m: dict[str, Any]) -> None:
        if isinstance(m.get("seq"), int):
            seqs.append(m["seq"])
        if m.get("type") == "agent_streaming" and m.get("stream_index") == after and not killed.is_set():
            owner.kill()  # the client's next dial goes to its failover URL, the other node
            killed.set()

    c.subscribe(on_message)
    await c.connect()
    await c.send({"type": "user_message", "message": "/stream 400", "message_id": "long"})
    await asyncio.wait_for(killed.wait(), 30)
    await eventually(lambda: len(c.resumes) >= 2, 30)
    after_kill = len(seqs)
    done = [m async for m in c.stream({"type": "user_message", "message": "/stream 10"})]  # the other node serves on
    assert done[-1]["type"] == "agent_complete"
    log = inspect(redis).xrange(f"wsgen:{{{SESSION}}}:guide:log")
    await c.close()
    return {"seqs": seqs, "log": [int(e[0].split("-")[0]) for e in log], "client": c, "after_kill": after_kill}


def assert_nothing_lost_or_duplicated(r: dict[str, Any]) -> None:
    """The client's seqs are 1..n, each once, in order, and exactly the stream's log in Redis; both resumes clean."""
    c = r["client"]
    assert r["seqs"] == list(range(1, len(r["seqs"]) + 1))  # each seq once, in order: 0 duplicated, no gap
    assert r["seqs"] == r["log"]  # every message Redis has was delivered: 0 lost
    assert c.resumes == ["resumed", "resumed"] and c.recovery_failures == [] and c.reconnects >= 1
