"""A Python node appends with ``append_many.lua``, one call in flight: the streams that send while a call is in flight
go together in the next call, each stream's messages in order (docs/redis-layout.md "Scripts"; the Node store does
the same, test/redis/append-many.test.ts)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from wsgen_runtime.cluster import RedisSessionStore
from wsgen_runtime.cluster.scripts import Scripts

from ..harness import Client, live
from .nodes import SESSION, eventually, inspect, monitor, node, ready
from .redis_server import RedisServer


def system(text: str) -> dict[str, Any]:
    return {"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": text}


@live()
async def test_one_append_many_call_in_flight_the_streams_that_send_meanwhile_go_together_in_the_next(redis: RedisServer) -> None:
    calls, reading = await monitor(redis, Scripts().append_many.sha)
    r = inspect(redis)
    guide, liaison = (f"wsgen:{{{SESSION}}}:{ep}:log" for ep in ("guide", "liaison:content"))
    try:
        async with node(redis, "node-a") as a:
            await ready(a)
            g = await Client.connect(a)
            await g.recv()
            li = await Client.connect(a, "/api/ws/liaison/content")
            await li.recv()
            r.execute_command("CLIENT", "PAUSE", "10000", "WRITE")  # scripts wait (until UNPAUSE): the first call stays in flight
            assert a.core.send_to_session(SESSION, "guide", system("g1"))
            await eventually(lambda: int(r.info("clients")["blocked_clients"]) == 1)  # Redis holds the call of g1
            assert a.core.send_to_session(SESSION, "liaison:content", system("l1"))
            assert a.core.send_to_session(SESSION, "guide", system("g2"))
            for _ in range(20):  # loop turns: l1 reaches the node's appender, g2 waits for g1's reply
                await asyncio.sleep(0)
            r.execute_command("CLIENT", "UNPAUSE")
            got = await g.until(lambda m: m.get("message") == "g2")
            assert [m["message"] for m in got if m["type"] == "system_message"] == ["g1", "g2"]
            await li.until(lambda m: m.get("message") == "l1")
            await eventually(lambda: len(calls) >= 2)
            assert [[k for k in keys if k.endswith(":log")] for keys in calls] == [[guide], [liaison, guide]]
            assert [e[0] for e in r.xrange(guide)] == ["1-0", "2-0"] and [e[0] for e in r.xrange(liaison)] == ["1-0"]
            await g.close()
            await li.close()
    finally:
        reading.cancel()


@live()
async def test_texts_joined_by_line_feeds_stay_one_entry_each_when_their_strings_hold_line_feeds(redis: RedisServer) -> None:
    r = inspect(redis)
    log = f"wsgen:{{{SESSION}}}:guide:log"
    texts = ["line 1\nline 2", "\n", "é\r\n€"]
    async with node(redis, "node-a") as a:
        await ready(a)
        g = await Client.connect(a)
        await g.recv()
        for t in texts:  # one turn: one batch of three
            assert a.core.send_to_session(SESSION, "guide", system(t))
        await g.until(lambda m: m.get("message") == texts[-1])
        entries = r.xrange(log)
        got = [(e[0], json.loads(e[1]["d"])["message"], int(e[1]["n"]) == len(e[1]["d"].encode())) for e in entries]
        assert got == [(f"{i + 1}-0", t, True) for i, t in enumerate(texts)]
        await g.close()


@live()
async def test_the_appends_hold_one_connection_instead_of_taking_it_from_the_pool_for_every_call(redis: RedisServer) -> None:
    """Per call the pool's round (lock, readiness check, release, redis-py's bookkeeping) cost more CPU than the call:
    the appender takes its connection once, and every append_many call of the node goes on it."""
    calls, reading = await monitor(redis, Scripts().append_many.sha)
    try:
        async with node(redis, "node-a") as a:
            await ready(a)
            store = a.core.sessions
            assert isinstance(store, RedisSessionStore)
            taken = 0
            get = store.append_pool.get_connection

            async def counted(*args: Any, **kwargs: Any) -> Any:
                nonlocal taken
                taken += 1
                return await get(*args, **kwargs)

            store.append_pool.get_connection = counted  # type: ignore[method-assign]
            g = await Client.connect(a)
            await g.recv()
            for i in range(5):  # five calls, one after the other (each waits for its reply)
                assert a.core.send_to_session(SESSION, "guide", system(f"m{i}"))
                await g.until(lambda m, i=i: m.get("message") == f"m{i}")
            await eventually(lambda: len(calls) == 5)
            assert taken == 1
            assert len(store.append_pool._in_use_connections) == 1  # held, not given back between calls
            await g.close()
    finally:
        reading.cancel()
