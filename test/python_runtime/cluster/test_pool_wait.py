"""A wait for a free pooled Redis connection is back-pressure, not an outage (issue 12): a burst of links while every
connection of the node's pool is busy waits, longer than ``timeout_s`` if need be, and nothing is taken for Redis
being unavailable (no ``redis_unavailable``, no broken stream, no 1012, no ``RECOVERY_FAILED``). The appends of live
traffic go on their own connection (``cluster/appender.py``), so they do not queue behind such a burst."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from typing import Any

import redis.utils as redis_utils

from ..harness import WAIT_S, Client, live
from .nodes import SESSION, eventually, inspect, log_events, node, ready
from .redis_server import RedisServer

TIMEOUT_S = 0.5


def user(text: str) -> dict[str, Any]:
    return {"type": "user_message", "message": text}


class Held:
    """Every free connection of a pool, taken by the test, and the commands seen waiting for one meanwhile."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.conns: list[Any] = []
        self.waiting = 0
        self.first_wait = 0.0
        self._get = pool.get_connection
        pool.get_connection = self._counted

    async def _counted(self, *args: Any, **kwargs: Any) -> Any:
        if self.waiting == 0 and not self.first_wait:
            self.first_wait = time.monotonic()
        self.waiting += 1
        try:
            return await self._get(*args, **kwargs)
        finally:
            self.waiting -= 1

    async def take(self) -> None:
        self.conns = [await self._get() for _ in range(self.pool.max_connections - len(self.pool._in_use_connections))]

    def waited(self, seconds: float) -> bool:
        """Whether a command has been waiting for a connection for ``seconds`` at least."""
        return self.waiting > 0 and time.monotonic() - self.first_wait >= seconds

    async def release(self) -> None:
        for conn in self.conns:
            await self.pool.release(conn)
        self.pool.get_connection = self._get


async def hold_pool(a: Any) -> Held:
    """Every free connection of node ``a``'s pool, taken once the links' background commands (presence) are done:
    only the subscriptions' connection is then in use."""
    pool = a.core.sessions.client.connection_pool
    await eventually(lambda: len(pool._in_use_connections) == 1)
    held = Held(pool)
    await held.take()
    return held


async def linked(a: Any) -> Client:
    """A connection of the shared session, once ``session_created`` came."""
    c = await Client.connect(a)
    assert (await c.recv())["type"] == "session_created"
    return c


def burst(a: Any, n: int) -> list[asyncio.Future[Client]]:
    """``n`` connections of their own sessions opened at once (each link runs ``open.lua``)."""
    tokens = [a.validator.issue(user_id=f"user-{i}", session_id=f"burst-{i}", attributes={"realm": "experience"})[0] for i in range(n)]
    return [asyncio.ensure_future(Client.connect(a, token=t)) for t in tokens]


@live(120)
async def test_links_waiting_longer_than_timeout_s_for_a_pooled_connection_are_not_an_outage(redis: RedisServer) -> None:
    async with node(redis, "node-a", max_connections=3, timeout_s=TIMEOUT_S) as a:
        await ready(a)
        first = await linked(a)
        held = await hold_pool(a)
        links = burst(a, 12)  # each link waits for a pooled connection
        # Live traffic of a stream already linked is appended meanwhile: its connection is not the pool's.
        await first.send(user("/echo during the burst"))
        await first.until(lambda m: m.get("message") == "during the burst")
        await eventually(lambda: held.waited(4 * TIMEOUT_S), within=30)  # links waited far past timeout_s
        await held.release()
        clients = [await c for c in links]
        for c in clients:
            assert (await c.recv())["type"] == "session_created"
        for i, c in enumerate(clients):
            await c.send(user(f"/echo burst {i}"))
            got = await c.until(lambda m, i=i: m.get("message") == f"burst {i}")
            assert not [m for m in got if m.get("error_code") == "RECOVERY_FAILED"]
        events = log_events(a)
        assert "redis_unavailable" not in events and "redis_stream_broken" not in events
        r = inspect(redis)
        assert [e[0] for e in r.xrange(f"wsgen:{{{SESSION}}}:guide:log")] == ["1-0"]  # the echo's reply, stored
        for i in range(12):
            assert r.xlen(f"wsgen:{{burst-{i}}}:guide:log") >= 1, f"burst-{i}: delivered but not stored"
        for c in [first, *clients]:
            await c.close()


async def stream_of(c: Client, n: int, within: float = 90) -> list[dict[str, Any]]:
    await c.send({"type": "user_message", "message": f"/stream {n}", "message_id": "st"})
    return await c.until(lambda m: m["type"] == "agent_complete", within)


@live(120)
async def test_streams_appending_at_once_go_on_while_every_pooled_connection_is_busy(redis: RedisServer) -> None:
    async with node(redis, "node-a", max_connections=3, timeout_s=TIMEOUT_S) as a:
        await ready(a)
        clients = []
        for i in range(24):
            token, _ = a.validator.issue(user_id=f"user-{i}", session_id=f"session-{i}", attributes={"realm": "experience"})
            clients.append(await Client.connect(a, token=token))
        for c in clients:
            await c.recv()
        held = await hold_pool(a)
        try:  # 24 streams of 20 chunks with no pooled connection free: the appends have their own
            got = await asyncio.gather(*(stream_of(c, 20) for c in clients))
        finally:
            await held.release()
        assert all([m["seq"] for m in msgs] == list(range(1, 22)) for msgs in got)
        assert "redis_unavailable" not in log_events(a)
        r = inspect(redis)
        assert all(r.xlen(f"wsgen:{{session-{i}}}:guide:log") == 21 for i in range(24))  # every message stored
        for c in clients:
            await c.close()


@live(120)
async def test_commands_waiting_for_a_pooled_connection_end_at_once_when_an_append_finds_redis_unreachable(redis: RedisServer) -> None:
    async with node(redis, "node-a", max_connections=3, timeout_s=TIMEOUT_S) as a:
        await ready(a)
        first = await linked(a)
        held = await hold_pool(a)
        try:
            links = burst(a, 6)
            await eventually(lambda: held.waiting >= 1)  # links waiting for a pooled connection
            assert redis.proc is not None
            os.kill(redis.proc.pid, signal.SIGSTOP)  # unreachable: no connection breaks, none is released
            try:
                await first.send(user("/echo redis is gone"))  # its append reaches for Redis: no answer in timeout_s
                await first.until(lambda m: m.get("message") == "redis is gone")  # then delivered live
                assert "redis_unavailable" in log_events(a)
                # The waiting links end now, with the pool still held: linked without Redis (live traffic, broken streams).
                clients = [await asyncio.wait_for(c, WAIT_S) for c in links]
                assert held.waiting == 0
            finally:
                os.kill(redis.proc.pid, signal.SIGCONT)
            for c in clients:
                assert (await c.recv())["type"] == "session_created"
        finally:
            await held.release()
        assert log_events(a).count("redis_unavailable") == 1
        for c in [first, *clients]:
            await c.close()


@live(120)
async def test_a_link_that_finds_no_free_connection_for_pool_wait_s_is_announced_not_taken_for_an_outage(redis: RedisServer) -> None:
    async with node(redis, "node-a", max_connections=3, timeout_s=TIMEOUT_S, pool_wait_s=TIMEOUT_S) as a:
        await ready(a)
        held = await hold_pool(a)
        try:  # a connection never released (a bug): the link waits pool_wait_s, then goes on without Redis
            c = await linked(a)
            exhausted = [json.loads(line) for line in a.logs.text if '"redis_pool_exhausted"' in line]
            assert exhausted and exhausted[0]["code"] == "REDIS_POOL_EXHAUSTED" and exhausted[0]["hint"]
            await c.send(user("/echo not stored"))
            await c.until(lambda m: m.get("message") == "not stored")  # live traffic goes on
        finally:
            await held.release()
        # Its stream got a new epoch once Redis could be reached: its connection is closed so the client's resume
        # reports the loss (RECOVERY_FAILED), never a silent gap.
        assert (await c.closed())[0] == 1012
        events = log_events(a)
        assert "redis_unavailable" not in events and "stream_new_epoch" in events


@live()
async def test_a_burst_of_new_pooled_connections_does_not_read_the_package_metadata_for_each(redis: RedisServer, monkeypatch: Any) -> None:
    """redis-py's default ``CLIENT SETINFO`` data read ``importlib.metadata`` for every new connection (about 0.5 ms of
    CPU each: a failover's burst of links opens the pool's connections at once); the store resolves it once."""
    reads = 0
    version = redis_utils.metadata.version

    def counted(name: str) -> str:
        nonlocal reads
        reads += 1
        return version(name)

    monkeypatch.setattr(redis_utils.metadata, "version", counted)
    async with node(redis, "node-a", max_connections=8) as a:
        await ready(a)
        links = burst(a, 8)  # the pool opens its connections for them
        clients = [await c for c in links]
        for c in clients:
            assert (await c.recv())["type"] == "session_created"
        pool = a.core.sessions.client.connection_pool
        assert len(pool._available_connections) + len(pool._in_use_connections) >= 4
        conns = [*pool._available_connections, *pool._in_use_connections]
        # still the data redis-py sends (CLIENT SETINFO, Redis 7.2+)
        assert {(c.driver_info.formatted_name, c.driver_info.lib_version) for c in conns} == {("redis-py", version("redis"))}
        assert reads == 0
        for c in clients:
            await c.close()


class CountedCondition(asyncio.Condition):
    """The pool's condition, counting how often it is taken."""

    taken = 0

    async def __aenter__(self) -> None:
        CountedCondition.taken += 1
        await super().__aenter__()


@live()
async def test_a_free_pooled_connection_is_taken_and_given_back_without_the_pools_lock_or_its_released_event(redis: RedisServer) -> None:
    """redis-py's per-command pool round (the condition's lock, a timeout, a "released" event, telemetry) cost as much
    CPU as the command: a free connection is taken at once when no command waits, given back without an event."""
    async with node(redis, "node-a", max_connections=4) as a:
        await ready(a)
        client = a.core.sessions.client
        pool = client.connection_pool
        await eventually(lambda: len(pool._in_use_connections) == 1)  # the subscriptions' connection
        await client.ping()  # a free connection exists from now on
        events = 0
        dispatch = pool._event_dispatcher.dispatch_async

        async def counted(event: Any) -> None:
            nonlocal events
            events += 1
            await dispatch(event)

        pool._event_dispatcher.dispatch_async = counted
        pool._condition = CountedCondition()
        CountedCondition.taken = 0
        for i in range(20):
            assert await client.hget(f"k{i}", "f") is None
        assert (CountedCondition.taken, events) == (0, 0)
        # A command that has to wait still gets the next connection given back (test_links_waiting_... above).
        held = await hold_pool(a)
        waiting = asyncio.ensure_future(client.hget("k", "f"))
        await eventually(lambda: pool.waiting == 1)
        await held.release()
        assert await waiting is None and pool.waiting == 0


@live()
async def test_a_command_is_written_without_a_task_of_its_own(redis: RedisServer) -> None:
    """redis-py wrote each command under ``asyncio.wait_for`` (a task per command when ``socket_timeout`` is set):
    the node's connections write at once and bound only the drain (``QuickSend``)."""
    async with node(redis, "node-a", max_connections=4) as a:
        await ready(a)
        client = a.core.sessions.client
        await client.ping()
        loop = asyncio.get_running_loop()
        tasks = 0
        factory = loop.get_task_factory()

        def counted(lp: Any, coro: Any, **kwargs: Any) -> Any:
            nonlocal tasks
            tasks += 1
            return factory(lp, coro, **kwargs) if factory else asyncio.Task(coro, loop=lp, **kwargs)

        loop.set_task_factory(counted)
        try:
            for i in range(10):
                assert await client.hget(f"k{i}", "f") is None
        finally:
            loop.set_task_factory(factory)
        assert tasks == 0
