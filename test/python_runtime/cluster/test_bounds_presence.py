"""Replay stays bounded in Redis (count and bytes of each stream's log), an idle stream's keys expire, and
presence expires: a SIGKILLed node's connections stop counting against the per-user limit once their
presence TTL passes, and its node key vanishes."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import websockets

from wsgen_runtime import ReplayLimits

from ..harness import WAIT_S, Client, live
from .nodes import SESSION, TOKEN, eventually, inspect, node, ready
from .processes import python_node
from .redis_server import RedisServer

META = f"wsgen:{{{SESSION}}}:guide:meta"
LOG = f"wsgen:{{{SESSION}}}:guide:log"


async def stream_of(c: Client, n: int, within: float = WAIT_S) -> list[dict[str, Any]]:
    await c.send({"type": "user_message", "message": f"/stream {n}", "message_id": "st"})
    return await c.until(lambda m: m["type"] == "agent_complete", within)


@live()
async def test_the_log_in_redis_is_bounded_by_count_and_a_resume_past_it_reports_the_missing_range(redis: RedisServer) -> None:
    limits = ReplayLimits(max_messages=10, max_bytes=64 * 1024, ttl_s=60)
    async with node(redis, "node-a", replay=limits) as a, node(redis, "node-b", replay=limits) as b:
        await ready(a, b)
        x = await Client.connect(a)
        created = await x.recv()
        msgs = await stream_of(x, 50)  # seq 1..51
        assert msgs[-1]["seq"] == 51
        r = inspect(redis)
        entries = r.xrange(LOG)
        assert [int(e[0].split("-")[0]) for e in entries] == list(range(42, 52))  # the last 10
        assert int(r.hget(META, "bytes")) == sum(int(e[1]["n"]) for e in entries)
        await x.close()
        y = await Client.connect(b)
        await y.recv()
        await y.send({"type": "session_resume", "session_id": SESSION, "last_seq": 5, "epoch": created["epoch"], "message_id": "r"})
        got = await y.until(lambda m: m["type"] == "session_updated")
        err = got[0]
        assert (err["type"], err["error_code"], err["error_details"]) == (
            "error_message",
            "RECOVERY_FAILED",
            {"first_missing": 6, "last_missing": 41},
        )
        assert [m["seq"] for m in got[1:]] == [*range(42, 52), 52] and got[-1]["status"] == "resumed_with_gap"


@live()
async def test_the_log_in_redis_is_bounded_by_bytes(redis: RedisServer) -> None:
    limits = ReplayLimits(max_messages=1000, max_bytes=2000, ttl_s=60)
    async with node(redis, "node-a", replay=limits) as a:
        await ready(a)
        x = await Client.connect(a)
        await x.recv()
        await stream_of(x, 60)
        r = inspect(redis)
        kept = sum(int(e[1]["n"]) for e in r.xrange(LOG))
        assert 0 < kept <= 2000 and int(r.hget(META, "bytes")) == kept
        assert 0 < r.xlen(LOG) < 61


@live()
async def test_an_idle_streams_keys_expire_after_the_detached_ttl(redis: RedisServer) -> None:
    async with node(redis, "node-a", detached_ttl_s=1.0) as a:
        await ready(a)
        x = await Client.connect(a)
        await x.recv()
        await stream_of(x, 2)
        await x.close()
        r = inspect(redis)
        assert 0 < r.pttl(META) <= 1000 and 0 < r.pttl(LOG) <= 1000
        await eventually(lambda: r.exists(META, LOG) == 0, 5)


@live(90)
async def test_a_killed_nodes_connections_stop_counting_for_the_per_user_limit_when_their_presence_expires(redis: RedisServer) -> None:
    a, b = python_node(redis, "py-a"), python_node(redis, "py-b", "--max-per-user", "1")
    try:
        await asyncio.gather(asyncio.to_thread(a.start), asyncio.to_thread(b.start))
        r = inspect(redis)
        protocols = ["wsgen.v1", f"wsgen.token.{TOKEN}"]
        held = await websockets.connect(f"{a.url()}/api/ws/liaison/content", subprotocols=protocols, ping_interval=None)
        await held.recv()
        await eventually(lambda: r.zcard("wsgen:presence:user:dev-user") == 1)
        assert r.get("wsgen:node:py-a") == "1" and 0 < r.pttl("wsgen:node:py-a") <= 3000
        refused = await websockets.connect(f"{b.url()}/api/ws/guide", subprotocols=protocols, ping_interval=None)
        await refused.wait_closed()  # closed before session_created
        assert refused.close_code == 4502  # the user's connection on py-a counts
        a.kill()
        held.transport.abort()
        await eventually(lambda: r.exists("wsgen:node:py-a") == 0, 10)  # the dead node's key vanishes
        # and its member's score (its expiry) passes: the next read removes it
        await eventually(lambda: all(score < time.time() * 1000 for _, score in r.zrange("wsgen:presence:user:dev-user", 0, -1, withscores=True)))
        ok = await websockets.connect(f"{b.url()}/api/ws/guide", subprotocols=protocols, ping_interval=None)
        assert '"session_created"' in str(await ok.recv())
        await ok.send('{"type":"ping","timestamp":"2024-01-01T00:00:00Z","message_id":"p"}')
        assert '"pong"' in str(await ok.recv())  # still open: the dead member expired and was removed
        await ok.close()
    finally:
        a.stop()
        b.stop()


@live()
async def test_a_nodes_presence_key_exists_once_it_is_ready(redis: RedisServer) -> None:
    async with node(redis, "node-p") as a:
        await ready(a)
        assert inspect(redis).exists("wsgen:node:node-p") == 1
        assert 0 < inspect(redis).pttl("wsgen:node:node-p") <= a.core.sessions.options.presence_ttl_s * 1000  # type: ignore[attr-defined]
