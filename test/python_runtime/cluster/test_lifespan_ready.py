"""``create_server``'s lifespan with a Redis session store (TRIAL9 finding 8): the node is subscribed to its
channel and announced (``node:<id>`` written) when the application starts, before its first connection, as the
Node core's ``ready``; with Redis down, start-up still ends, after the store's command timeout."""

from __future__ import annotations

import time
from typing import Any

from redis.asyncio import Redis
from wsgen_protocol.protocol import PROTOCOL

from wsgen_runtime import InMemorySessionValidator, ServerOptions, create_server
from wsgen_runtime.cluster import RedisOptions, redis_session_store

from ..harness import live
from .redis_server import RedisServer


def _server(url: str, node_id: str, timeout_s: float = 2.0) -> Any:
    store = redis_session_store(RedisOptions(url=url, node_id=node_id, timeout_s=timeout_s))
    return create_server(PROTOCOL, endpoints={"e": "/e"}, handlers={}, validator=InMemorySessionValidator(),
                         options=ServerOptions(session_store=store))  # fmt: skip


@live()
async def test_the_lifespan_subscribes_and_announces_the_node_before_any_connection(redis: RedisServer) -> None:
    server = _server(redis.url, "life-1")
    r = Redis.from_url(redis.url)
    try:
        assert await r.exists("wsgen:node:life-1") == 0
        async with server.lifespan(None):
            assert await r.exists("wsgen:node:life-1") == 1  # announced
            assert await r.pubsub_numsub("wsgen:node:life-1") == [(b"wsgen:node:life-1", 1)]  # subscribed
        assert await r.exists("wsgen:node:life-1") == 0  # the graceful shutdown removed it
    finally:
        await r.aclose()


@live()
async def test_with_redis_down_start_up_ends_after_the_command_timeout(redis: RedisServer) -> None:
    url = redis.url
    redis.stop()
    server = _server(url, "life-2", timeout_s=0.5)
    started = time.monotonic()
    async with server.lifespan(None):
        waited = time.monotonic() - started
    assert 0.4 < waited < 5.0
