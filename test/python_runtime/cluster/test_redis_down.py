"""Redis stopped mid-traffic, then restarted (empty: no persistence): the node keeps serving live traffic, says
``redis_unavailable`` / ``redis_recovered``, and a stream whose messages Redis lacks gets a new epoch, so the
client's resume reports the loss (RECOVERY_FAILED epoch_mismatch) instead of a silent gap."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from typing import Any

from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions

from ..harness import PROTOCOL, Client, live
from .nodes import SESSION, TOKEN, eventually, inspect, log_events, node, ready
from .redis_server import RedisServer

FAST = BackoffOptions(min_delay_s=0.02, max_delay_s=0.2)


def user(text: str) -> dict[str, Any]:
    return {"type": "user_message", "message": text}


@live(90)
async def test_live_traffic_continues_while_redis_is_down_and_the_loss_is_explicit_when_it_returns(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a:
        await ready(a)
        c = chat_client(f"ws://127.0.0.1:{a.port}", TOKEN, PROTOCOL, options=ClientOptions(backoff=FAST))
        await c.connect()
        first_epoch = c.epoch
        assert (await c.request(user("/echo before")))["message"] == "before"  # seq 1, 2... stored
        await asyncio.to_thread(redis.stop)
        got = [m async for m in c.stream(user("/stream 5"))]  # Redis is down: delivered live, not stored
        assert [m["type"] for m in got] == ["agent_streaming"] * 5 + ["agent_complete"]
        await eventually(lambda: "redis_unavailable" in log_events(a))
        during = await Client.connect(a, path="/api/ws/liaison/content")  # a new link while Redis is down works too
        assert (await during.recv())["type"] == "session_created"
        await during.send({"type": "user_message", "message": "/echo down", "pillar": "content"})
        assert (await during.recv())["message"] == "down"
        await asyncio.to_thread(redis.start)  # same port, empty dataset
        await eventually(lambda: "redis_recovered" in log_events(a))
        # The broken streams get a new epoch; their connections are closed with 1012 and resume with an explicit loss.
        assert (await during.closed())[0] == 1012
        await eventually(lambda: len(c.resumes) == 2)  # the first connect's resume, then the one after the 1012
        assert c.epoch != first_epoch
        assert [f.get("reason") for f in c.recovery_failures] == ["epoch_mismatch"]
        assert c.resumes == ["resumed", "resumed_with_gap"] and c.reconnects == 1
        # Stored again under the new epoch.
        assert (await c.request(user("/echo after")))["message"] == "after"
        meta = inspect(redis).hgetall(f"wsgen:{{{SESSION}}}:guide:meta")
        assert meta["epoch"] == c.epoch and int(meta["seq"]) >= 1
        assert a.core.health()["status"] == "ok"
        events = log_events(a)
        assert events.count("redis_unavailable") == 1 and events.count("redis_recovered") == 1
        await c.close()


@live(90)
async def test_a_stream_redis_lost_while_idle_gets_a_new_epoch_at_its_next_message_and_the_loss_is_explicit(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a:
        await ready(a)
        c = chat_client(f"ws://127.0.0.1:{a.port}", TOKEN, PROTOCOL, options=ClientOptions(backoff=FAST))
        await c.connect()
        first_epoch = c.epoch
        assert (await c.request(user("/echo before")))["message"] == "before"
        await asyncio.to_thread(redis.stop)  # no message while it is down: no append fails
        await asyncio.to_thread(redis.start)  # empty: the stream's keys are gone
        await eventually(lambda: "redis_recovered" in log_events(a))  # its subscription broke and came back
        reply = await c.request(user("/echo after the loss"))  # append: EPOCH missing → delivered live, stream broken
        assert reply["message"] == "after the loss"
        await eventually(lambda: len(c.resumes) == 2)  # new epoch, 1012, resume
        assert c.epoch != first_epoch and [f.get("reason") for f in c.recovery_failures] == ["epoch_mismatch"]
        assert c.resumes == ["resumed", "resumed_with_gap"]
        broken = [json.loads(line) for line in a.logs.text if '"redis_stream_broken"' in line]
        assert [b["reason"] for b in broken] == ["lost"] and "stream_new_epoch" in log_events(a)
        assert broken[0]["error"].startswith("EPOCH")  # what broke it, as Node's line has
        await c.close()


@live(90)
async def test_an_unreachable_redis_times_out_and_live_traffic_continues_until_it_answers_again(redis: RedisServer) -> None:
    assert redis.proc is not None
    async with node(redis, "node-a") as a:  # timeout_s=1.0: a command slower than that counts as unavailable
        await ready(a)
        c = chat_client(f"ws://127.0.0.1:{a.port}", TOKEN, PROTOCOL, options=ClientOptions(backoff=FAST))
        await c.connect()
        assert (await c.request(user("/echo before")))["message"] == "before"
        os.kill(redis.proc.pid, signal.SIGSTOP)  # unreachable: connections stay open, nothing answers
        try:
            reply = await c.request(user("/echo unreachable"))  # delivered once the append timed out
            assert reply["message"] == "unreachable"
            assert "redis_unavailable" in log_events(a)
        finally:
            os.kill(redis.proc.pid, signal.SIGCONT)
        await eventually(lambda: "redis_recovered" in log_events(a))
        await eventually(lambda: len(c.resumes) == 2)  # the stream Redis lacks a message of: new epoch, 1012, resume
        assert [f.get("reason") for f in c.recovery_failures] == ["epoch_mismatch"] and c.resumes[-1] == "resumed_with_gap"
        assert (await c.request(user("/echo after")))["message"] == "after"
        await c.close()


PATHS = ["/api/ws/guide"] + [f"/api/ws/liaison/{p}" for p in ("content", "insights", "operations", "business_outcomes")]


async def echo(cl: Client, text: str, path: str) -> None:
    """Sends ``/echo <text>`` on ``cl`` (an endpoint of ``path``) and waits for the reply."""
    msg: dict[str, Any] = {"type": "user_message", "message": f"/echo {text}"}
    if "/liaison/" in path:
        msg["pillar"] = path.rsplit("/", 1)[1]
    await cl.send(msg)
    await cl.until(lambda m: m.get("message") == text)


@live(90)
async def test_connections_opened_before_redis_restarted_are_replaced_not_taken_for_a_second_outage(redis: RedisServer) -> None:
    """The node's pool holds connections to the Redis that stopped; after ``redis_recovered`` none of them may fail a
    command (which would count as a second outage and leave the next messages delivered but not stored)."""
    async with node(redis, "node-a") as a:
        await ready(a)
        store = a.core.sessions
        await asyncio.gather(*(store.client.ping() for _ in PATHS))  # the pool now holds one connection per endpoint
        clients = [await Client.connect(a, path=p) for p in PATHS]
        for cl in clients:
            assert (await cl.recv())["type"] == "session_created"
        await asyncio.to_thread(redis.stop)  # every pooled connection is now closed by the server
        await eventually(lambda: "redis_unavailable" in log_events(a))
        await asyncio.to_thread(redis.start)
        await eventually(lambda: "redis_recovered" in log_events(a))
        # Five connections go at once: five releases in flight together, then five links (open.lua) together.
        await asyncio.gather(*(cl.close() for cl in clients))
        clients = list(await asyncio.gather(*(Client.connect(a, path=p) for p in PATHS)))
        for cl in clients:
            assert (await cl.recv())["type"] == "session_created"
        for cl, p in zip(clients, PATHS, strict=True):
            await echo(cl, p, p)
        r = inspect(redis)
        for p in PATHS:
            ep = "guide" if p.endswith("guide") else "liaison:" + p.rsplit("/", 1)[1]
            log = [json.loads(e[1]["d"]).get("message") for e in r.xrange(f"wsgen:{{{SESSION}}}:{ep}:log")]
            assert p in log, f"{ep}: the reply was delivered but not stored"
        events = log_events(a)
        assert events.count("redis_unavailable") == 1 and events.count("redis_recovered") == 1
        assert "redis_stream_broken" not in events
        for cl in clients:
            await cl.close()
