"""The node's Redis connection pool: waiting for a free connection is back-pressure, never an outage.

redis-py's :class:`~redis.asyncio.BlockingConnectionPool` raises ``ConnectionError("No connection available.")``
once a command has waited ``timeout`` seconds for a free connection: the class of a refused or reset connection,
so a burst (a mass reconnect: every link runs ``open.lua`` and the presence commands) on a node whose connections
are all busy counted as Redis being unavailable, and broke every stream, although Redis answered each command.

Here a command waits for a free connection, in turn, for as long as Redis counts as up: every connection in use is
released within the command timeout (``socket_timeout``/``socket_connect_timeout``, the server's own bounds), so the
wait ends. An outage is only ever detected by a command that reached for Redis (refused, reset, no reply in
``timeout_s``); once the store marks Redis down, :meth:`NodePool.wake` ends the wait of every waiting command with a
``ConnectionError`` at once, so they take the outage path without waiting their turn. ``max_wait_s`` only bounds a
wait that should never happen (a connection never released: a bug): :class:`PoolWaitTimeout`, which is not an outage.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from redis.asyncio import BlockingConnectionPool
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import ConnectionError as RedisConnectionError


class PoolWaitTimeout(Exception):
    """No pooled Redis connection was free for ``max_wait_s`` while Redis counted as up (a connection was never
    released: a bug, or ``max_connections`` far too small). Code ``REDIS_POOL_EXHAUSTED``; not an outage."""

    code = "REDIS_POOL_EXHAUSTED"

    def __init__(self, waited_s: float, max_connections: int) -> None:
        super().__init__(f"no pooled Redis connection free for {waited_s:g} s (max_connections={max_connections}) while Redis answered")
        self.waited_s = waited_s
        self.max_connections = max_connections


class NodePool(BlockingConnectionPool):
    """A blocking pool whose wait ends only on a free connection, on ``is_down()`` after :meth:`wake` (then
    ``ConnectionError``: Redis is unavailable), or after ``max_wait_s`` (:class:`PoolWaitTimeout`).

    ``is_down``: whether the store counts Redis as unavailable. Other keyword arguments: redis-py's connection
    options (``socket_timeout``, ``socket_connect_timeout``, ``max_connections``...). Written against redis-py 8.1
    (the pinned version): it overrides :meth:`get_connection` and uses the pool's ``_condition``.
    """

    def __init__(self, *, is_down: Callable[[], bool], max_wait_s: float, **kwargs: Any) -> None:
        super().__init__(timeout=None, **kwargs)
        self.is_down = is_down
        self.max_wait_s = max_wait_s
        #: Commands waiting for a free connection now.
        self.waiting = 0
        self._wakes: set[asyncio.Task[None]] = set()

    async def get_connection(self, command_name: Any = None, *keys: Any, **options: Any) -> AbstractConnection:
        """A free connection, connected; see the class doc for how the wait ends."""
        self.waiting += 1
        try:
            async with self._condition:
                try:
                    async with asyncio.timeout(self.max_wait_s):
                        await self._condition.wait_for(lambda: self.can_get_connection() or self.is_down())
                except TimeoutError as err:
                    raise PoolWaitTimeout(self.max_wait_s, self.max_connections) from err
                if not self.can_get_connection():
                    raise RedisConnectionError("Redis unavailable: marked down while this command waited for a pooled connection")
                connection: AbstractConnection = self.get_available_connection()  # type: ignore[no-untyped-call]
        finally:
            self.waiting -= 1
        try:
            await self.ensure_connection(connection)
            return connection
        except BaseException:
            await self.release(connection)
            raise

    def wake(self) -> None:
        """Makes every waiting command check again (call it when Redis was marked down)."""
        if self.waiting:
            t = asyncio.get_running_loop().create_task(self._notify_all())
            self._wakes.add(t)
            t.add_done_callback(self._wakes.discard)

    async def _notify_all(self) -> None:
        async with self._condition:
            self._condition.notify_all()
