"""A stream's messages keep their order across an outage, and nothing numbered in one epoch is appended in the next
(cluster/stream.py, cluster/appender.py): a message sent while Redis counts as down is delivered live behind the
appends still in flight, never before them; a broken stream sends nothing more to Redis; its new epoch is written
once what it queued in the old one has settled.

The interleavings are forced with Redis itself: ``CLIENT PAUSE WRITE`` holds an append in flight (scripts that
write wait), ``CLIENT KILL TYPE pubsub`` makes the node see an outage at once (its subscription breaks) while the
held call is still pending, ``CLIENT UNPAUSE`` lets it finish."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from wsgen_runtime.cluster import RedisSessionStore
from wsgen_runtime.cluster.scripts import Scripts

from ..harness import Client, live
from .holding_proxy import HoldingProxy
from .nodes import SESSION, eventually, inspect, log_events, monitor, node, ready
from .redis_server import RedisServer

GUIDE_LOG = f"wsgen:{{{SESSION}}}:guide:log"


def system(text: str) -> dict[str, Any]:
    return {"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": text}


def texts(got: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(m["message"], m["seq"]) for m in got if m["type"] == "system_message"]


@live(60)
async def test_a_message_sent_while_redis_is_down_is_delivered_after_the_append_in_flight_not_before(redis: RedisServer) -> None:
    r = inspect(redis)
    async with node(redis, "node-a", timeout_s=5.0) as a:  # the held call must not time out meanwhile
        await ready(a)
        store = a.core.sessions
        assert isinstance(store, RedisSessionStore)
        g = await Client.connect(a)
        assert (await g.recv())["type"] == "session_created"
        r.execute_command("CLIENT", "PAUSE", "20000", "WRITE")
        try:
            assert a.core.send_to_session(SESSION, "guide", system("m1"))  # its append waits in Redis
            await eventually(lambda: int(r.info("clients")["blocked_clients"]) == 1)
            r.execute_command("CLIENT", "KILL", "TYPE", "pubsub")  # the node sees an outage while m1 is in flight
            await eventually(lambda: store.down)
            assert a.core.send_to_session(SESSION, "guide", system("m2"))  # live, not stored: after m1 all the same
        finally:
            r.execute_command("CLIENT", "UNPAUSE")
        got = await g.until(lambda m: m.get("message") == "m2")
        assert texts(got) == [("m1", 1), ("m2", 2)]
        await eventually(lambda: "stream_new_epoch" in log_events(a))  # m2 is not in Redis: the stream's loss is announced
        assert (await g.closed())[0] == 1012


@live(60)
async def test_a_batch_queued_behind_the_call_in_flight_is_not_sent_once_its_stream_is_broken(redis: RedisServer) -> None:
    r = inspect(redis)
    calls, reading = await monitor(redis, Scripts().append_many.sha)
    async with node(redis, "node-a", timeout_s=5.0) as a:
        await ready(a)
        store = a.core.sessions
        assert isinstance(store, RedisSessionStore)
        g = await Client.connect(a)
        assert (await g.recv())["type"] == "session_created"
        li = await Client.connect(a, "/api/ws/liaison/content")
        assert (await li.recv())["type"] == "session_created"
        r.execute_command("CLIENT", "PAUSE", "20000", "WRITE")
        try:
            assert a.core.send_to_session(SESSION, "liaison:content", system("x"))  # the call in flight
            await eventually(lambda: int(r.info("clients")["blocked_clients"]) == 1)
            assert a.core.send_to_session(SESSION, "guide", system("m1"))  # waits for the next call
            await eventually(lambda: store.appender.waiting == 1)
            r.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
            await eventually(lambda: store.down)
            assert a.core.send_to_session(SESSION, "guide", system("m2"))  # the guide stream is broken now
        finally:
            r.execute_command("CLIENT", "UNPAUSE")
        got = await g.until(lambda m: m.get("message") == "m2")
        assert texts(got) == [("m1", 1), ("m2", 2)]
        await eventually(lambda: log_events(a).count("stream_new_epoch") == 1)
        assert (await g.closed())[0] == 1012
        # m1 was numbered in the old epoch of a stream that broke before its call was due: never sent to Redis (under
        # the old epoch or, after the reset, the new one), and the new epoch's log starts empty.
        reading.cancel()
        assert [GUIDE_LOG in keys for keys in calls] == [False]
        assert r.xrange(GUIDE_LOG) == []
        await li.close()


@live(60)
async def test_a_new_epoch_is_written_only_after_the_old_epochs_batch_waiting_for_the_next_call_settled(redis: RedisServer) -> None:
    """The node's probe finds Redis back while a batch of a broken stream still waits behind the call in flight (held
    in a proxy; the probe's PING, SCRIPT LOAD and reset.lua pass). The reset waits for it: the batch is delivered
    live, not sent under the new epoch (where it would be stored as seq 1 of the new log)."""
    r = inspect(redis)
    sha = Scripts().append_many.sha
    calls, reading = await monitor(redis, sha)
    proxy = HoldingProxy(redis.port)
    await proxy.start()
    try:
        async with node(redis, "node-a", timeout_s=5.0, url=proxy.url) as a:
            await ready(a)
            store = a.core.sessions
            assert isinstance(store, RedisSessionStore)
            g = await Client.connect(a)
            assert (await g.recv())["type"] == "session_created"
            li = await Client.connect(a, "/api/ws/liaison/content")
            assert (await li.recv())["type"] == "session_created"
            proxy.hold(sha.encode())
            assert a.core.send_to_session(SESSION, "liaison:content", system("x"))  # held in the proxy: in flight
            await asyncio.wait_for(proxy.held.wait(), 10)
            assert a.core.send_to_session(SESSION, "guide", system("m1"))  # waits for the next call
            await eventually(lambda: store.appender.waiting == 1)
            r.execute_command("CLIENT", "KILL", "TYPE", "pubsub")  # the node sees an outage; Redis is up
            await eventually(lambda: store.down)
            assert a.core.send_to_session(SESSION, "guide", system("m2"))  # the guide stream is broken
            await eventually(lambda: "redis_recovered" in log_events(a))
            # Time for a reset that would not wait (it needs two round trips; the fixed node writes none until m1 settled).
            with contextlib.suppress(TimeoutError):
                await eventually(lambda: "stream_new_epoch" in log_events(a), within=1.0)
            proxy.release()
            got = await g.until(lambda m: m.get("message") == "m2")
            assert texts(got) == [("m1", 1), ("m2", 2)]
            assert (await g.closed())[0] == 1012
            await eventually(lambda: log_events(a).count("stream_new_epoch") == 1)
            reading.cancel()
            assert [GUIDE_LOG in keys for keys in calls] == [False]  # m1 never sent: neither epoch has it
            assert r.xrange(GUIDE_LOG) == []
            await li.close()
    finally:
        reading.cancel()
        await proxy.close()


@live(60)
async def test_an_unexpected_failure_of_a_streams_writer_breaks_the_stream_so_the_loss_is_announced(redis: RedisServer) -> None:
    """A bug in the writer (injected: the store's append raises) delivers the queued messages without storing them:
    the stream is broken, so it gets a new epoch and its client is told (1012, then RECOVERY_FAILED on resume)."""
    async with node(redis, "node-a") as a:
        await ready(a)
        store = a.core.sessions
        assert isinstance(store, RedisSessionStore)
        g = await Client.connect(a)
        assert (await g.recv())["type"] == "session_created"

        def failing(*_: Any) -> Any:
            raise RuntimeError("injected bug")

        store.append_batch = failing  # type: ignore[method-assign]
        assert a.core.send_to_session(SESSION, "guide", system("m1"))
        got = await g.until(lambda m: m.get("message") == "m1")
        assert texts(got) == [("m1", 1)]
        assert (await g.closed())[0] == 1012
        broken = [json.loads(line) for line in a.logs.text if '"redis_stream_broken"' in line]
        assert [b["reason"] for b in broken] == ["error"] and broken[0]["error"]  # what broke it, as Node's line has
        assert "redis_stream_failed" in log_events(a) and "stream_new_epoch" in log_events(a)
