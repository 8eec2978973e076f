"""An acknowledged forward from a Python node to a Node owner that is releasing the stream (docs/redis-layout.md,
"Channels"): the Python sender waits for the owner's answer before its next send to the stream, so the forwarded
message cannot land after the sender's next, directly appended, one. Deterministic: the Node owner is stopped
(SIGSTOP) while Redis still names it the owner; the test sees the forward go out, releases the stream in Redis
itself, and the Python node sends again."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from typing import Any

import redis.asyncio as redis_async

from ..harness import live
from .nodes import SESSION, eventually, inspect, node, ready
from .processes import node_node
from .redis_server import RedisServer
from .test_mixed_fanout import connect_node, system

META = f"wsgen:{{{SESSION}}}:guide:meta"
LOG = f"wsgen:{{{SESSION}}}:guide:log"


@live(90)
async def test_a_python_send_forwarded_to_a_releasing_node_owner_keeps_its_order(redis: RedisServer) -> None:
    js = node_node(redis, "node-1", ipc=True)
    await asyncio.to_thread(js.start)
    r = inspect(redis)
    listener = redis_async.Redis.from_url(redis.url, decode_responses=True)
    pubsub = listener.pubsub()
    seen: list[dict[str, Any]] = []
    try:
        async with node(redis, "py-1", timeout_s=10.0) as py:  # no timeout here: the owner's answer decides
            await ready(py)
            on_js = await connect_node(js)
            assert (await on_js.recv())["type"] == "session_created"
            await on_js.close()
            await eventually(lambda: r.hget(META, "owner") is None)  # released by node-1
            r.hset(META, "owner", "node-1/releasing")  # ... but Redis still names it (its release is in flight)
            await pubsub.subscribe("wsgen:node:node-1", "wsgen:node:py-1")

            async def collect() -> None:
                async for m in pubsub.listen():
                    if m.get("type") == "message":
                        seen.append(json.loads(m["data"]))

            collector = asyncio.create_task(collect())
            assert js.proc is not None
            os.kill(js.proc.pid, signal.SIGSTOP)
            try:
                assert py.core.send_to_session(SESSION, "guide", system("first"))
                await eventually(lambda: any(m.get("op") == "send" for m in seen))
                r.hdel(META, "owner")  # the release lands
                assert py.core.send_to_session(SESSION, "guide", system("second"))
                # Time for the sender to store 'second' if it did not wait for the owner's answer (it did, before).
                try:
                    await eventually(lambda: r.hget(META, "seq") == "1", within=1.5)
                except TimeoutError:
                    pass
            finally:
                os.kill(js.proc.pid, signal.SIGCONT)
            await eventually(lambda: r.hget(META, "seq") == "2")
            texts = [(json.loads(f["d"])["message"], json.loads(f["d"])["seq"]) for _, f in r.xrange(LOG, "-", "+")]
            assert texts == [("first", 1), ("second", 2)]
            forward = next(m for m in seen if m.get("op") == "send")
            assert (forward["session"], forward["ack"]) == (SESSION, "py-1")
            assert {"op": "ack", "id": forward["id"], "ok": False} in seen  # declined: node-1 holds no connection
            collector.cancel()
            await asyncio.gather(collector, return_exceptions=True)
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await listener.aclose()
        js.stop()
