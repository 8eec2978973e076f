"""In-process nodes on one Redis: the harness's uvicorn Server with the Redis session store, sharing one
token and session id, plus a synchronous Redis client to inspect the keys."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

import redis as redis_sync

from wsgen_runtime.cluster import RedisOptions, RedisSessionStore, redis_session_store

from ..harness import Server
from .redis_server import RedisServer

QUOTED = re.compile(rb'"((?:[^"\\]|\\.)*)"')
TOKEN = "cluster-test-token"
SESSION = "5b0c6f4e-8f3c-4d5e-9a1b-2c3d4e5f6a7b"


def node(redis: RedisServer, node_id: str, **options: Any) -> Server:
    """A node (not started: ``async with``) on ``redis`` with the shared token and session (``url``: reach it another
    way, through a proxy)."""
    ro = RedisOptions(
        url=options.pop("url", redis.url),
        node_id=node_id,
        presence_ttl_s=options.pop("presence_ttl_s", 3.0),
        probe_interval_s=0.1,
        timeout_s=options.pop("timeout_s", 1.0),
        max_connections=options.pop("max_connections", 32),
        pool_wait_s=options.pop("pool_wait_s", 30.0),
    )
    return Server(token=TOKEN, session_id=SESSION, session_store=redis_session_store(ro), **options)


async def ready(*servers: Server) -> None:
    """Waits until every node is subscribed to the fan-out and its control channel."""
    for s in servers:
        store = s.core.sessions
        assert isinstance(store, RedisSessionStore)
        await store.ready()


def inspect(redis: RedisServer) -> redis_sync.Redis:
    """A synchronous client (decoded strings) for assertions."""
    return redis_sync.Redis.from_url(redis.url, decode_responses=True)


def log_events(s: Server) -> list[str]:
    """The event names logged by a node so far."""
    return [json.loads(line)["event"] for line in s.logs.text if line.strip()]


async def eventually(pred: Callable[[], bool], within: float = 10.0, every: float = 0.02) -> None:
    """Waits until ``pred()`` holds (bounded by ``within`` s): for states with no event to await (log lines, Redis
    keys, another process's client state)."""
    async with asyncio.timeout(within):
        while not pred():  # noqa: ASYNC110 - no event exists for these conditions
            await asyncio.sleep(every)


async def monitor(redis: RedisServer, sha: str) -> tuple[list[list[str]], asyncio.Task[None]]:
    """MONITOR on its own connection: the KEYS of every EVALSHA of ``sha``, in the order Redis runs them (cancel the
    task to stop)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", redis.port)
    writer.write(b"MONITOR\r\n")
    await writer.drain()
    assert (await reader.readline()).startswith(b"+OK")
    calls: list[list[str]] = []

    async def read() -> None:
        try:
            while line := await reader.readline():
                args = QUOTED.findall(line)
                if len(args) > 2 and args[0].lower() == b"evalsha" and args[1].decode() == sha:
                    calls.append([k.decode() for k in args[3 : 3 + int(args[2])]])
        finally:
            writer.close()

    return calls, asyncio.get_running_loop().create_task(read())
