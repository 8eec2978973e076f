"""Failover between node processes on one Redis: SIGKILL the node holding a client mid-stream; the client
reconnects to another node and resumes with 0 lost and 0 duplicated messages (its seqs are exactly the
stream's log in Redis, each once, in order)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions

from ..harness import PROTOCOL, live
from .nodes import SESSION, TOKEN, eventually, inspect
from .processes import ChildNode, python_node
from .redis_server import RedisServer

FAST = BackoffOptions(min_delay_s=0.02, max_delay_s=0.3)


@pytest.fixture
def two_python_nodes(redis: RedisServer) -> Iterator[tuple[ChildNode, ChildNode]]:
    a, b = python_node(redis, "py-a"), python_node(redis, "py-b")
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


async def fail_over(redis: RedisServer, owner: ChildNode, other: ChildNode, after: int = 40) -> dict[str, Any]:
    """Streams from ``owner``, SIGKILLs it after ``after`` chunks, resumes on ``other``; returns what the client saw."""
    c = chat_client(owner.url(), TOKEN, PROTOCOL, options=ClientOptions(backoff=FAST))
    seqs: list[int] = []
    killed = asyncio.Event()

    def on_message(m: dict[str, Any]) -> None:
        if isinstance(m.get("seq"), int):
            seqs.append(m["seq"])
        if m.get("type") == "agent_streaming" and m.get("stream_index") == after and not killed.is_set():
            c.url = c.url.replace(owner.url(), other.url())  # what a load balancer does once the node is gone
            owner.kill()
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


@live(120)
async def test_sigkill_of_the_owner_mid_stream_resumes_on_the_other_python_node_with_nothing_lost_or_duplicated(
    redis: RedisServer, two_python_nodes: tuple[ChildNode, ChildNode]
) -> None:
    a, b = two_python_nodes
    r = await fail_over(redis, a, b)
    c = r["client"]
    assert r["seqs"] == list(range(1, len(r["seqs"]) + 1))  # each seq once, in order: 0 duplicated, no gap
    assert r["seqs"] == r["log"]  # every message Redis has was delivered: 0 lost
    assert c.resumes == ["resumed", "resumed"] and c.recovery_failures == [] and c.reconnects >= 1
    assert "connection_opened" in b.events()
