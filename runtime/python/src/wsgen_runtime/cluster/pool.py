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

Taking and giving back a free connection is kept cheap: redis-py's blocking pool takes its condition's lock, arms a
timeout, dispatches a "released" event and records OpenTelemetry counts (no-ops here) for every command, which cost
as much CPU as the command itself (about 50 of 100 microseconds per ``HGET``, 90 of 190 per two-command pipeline,
with uvloop): a failover's burst of resumes runs several commands per client on the node. When a connection is free
and no command waits before it, :meth:`NodePool.get_connection` takes it at once (the wait above only when none is,
in turn); :meth:`NodePool.release` gives it back and wakes a waiting command only when one waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from redis.asyncio import BlockingConnectionPool
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


class PoolWaitTimeout(Exception):
    """No pooled Redis connection was free for ``max_wait_s`` while Redis counted as up (a connection was never
    released: a bug, or ``max_connections`` far too small). Code ``REDIS_POOL_EXHAUSTED``; not an outage."""

    code = "REDIS_POOL_EXHAUSTED"

    def __init__(self, waited_s: float, max_connections: int) -> None:
        super().__init__(f"no pooled Redis connection free for {waited_s:g} s (max_connections={max_connections}) while Redis answered")
        self.waited_s = waited_s
        self.max_connections = max_connections


class QuickSend:
    """Mixed into the pool's connection class: a command is written without a task of its own.

    redis-py writes each command under ``asyncio.wait_for`` when ``socket_timeout`` is set, which creates and
    schedules a task per command (about a fifth of a pooled command's CPU). Here the bytes go to the transport at
    once (a write never blocks) and only the wait for the transport's buffer to drain, the part that can block, runs
    under ``asyncio.timeout``; the failures are redis-py's: ``TimeoutError`` ("Timeout writing to socket") and
    ``ConnectionError`` after an ``OSError``, the connection closed in both cases (and after any other exception)."""

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        """Writes a packed command (bytes, str or an iterable of bytes); see the class doc."""
        conn: Any = self
        if not conn.is_connected:
            await conn.connect_check_health(check_health=False)
        if check_health:
            await conn.check_health()
        if isinstance(command, str):
            command = command.encode()
        if isinstance(command, bytes):
            command = [command]
        try:
            conn._writer.writelines(command)
            async with asyncio.timeout(conn.socket_timeout or None):
                await conn._writer.drain()
        except TimeoutError:
            await conn.disconnect(nowait=True)
            raise RedisTimeoutError("Timeout writing to socket") from None
        except OSError as e:
            await conn.disconnect(nowait=True)
            raise RedisConnectionError(f"Error while writing to socket: {e!r}") from e
        except BaseException:
            await conn.disconnect(nowait=True)
            raise


def quick_send(cls: type[AbstractConnection]) -> type[AbstractConnection]:
    """``cls`` (redis-py's connection class for the URL's scheme: TCP, TLS or Unix socket) with :class:`QuickSend`."""
    return type(f"QuickSend{cls.__name__}", (QuickSend, cls), {})


class NodePool(BlockingConnectionPool):
    """A blocking pool whose wait ends only on a free connection, on ``is_down()`` after :meth:`wake` (then
    ``ConnectionError``: Redis is unavailable), or after ``max_wait_s`` (:class:`PoolWaitTimeout`).

    ``is_down``: whether the store counts Redis as unavailable. Other keyword arguments: redis-py's connection
    options (``socket_timeout``, ``socket_connect_timeout``, ``max_connections``...). Written against redis-py 8.1
    (the pinned version): it overrides :meth:`get_connection` and :meth:`release`, uses the pool's ``_condition``, and
    its connections write a command without a task of their own (:class:`QuickSend`).
    """

    def __init__(self, *, is_down: Callable[[], bool], max_wait_s: float, **kwargs: Any) -> None:
        super().__init__(timeout=None, **kwargs)
        self.connection_class = quick_send(self.connection_class)
        self.is_down = is_down
        self.max_wait_s = max_wait_s
        #: Commands waiting for a free connection now.
        self.waiting = 0
        self._wakes: set[asyncio.Task[None]] = set()

    async def get_connection(self, command_name: Any = None, *keys: Any, **options: Any) -> AbstractConnection:
        """A free connection, connected and checked as redis-py checks one (see the class doc for how a wait ends):
        at once when one is free and no command waits (first come, first served)."""
        if self.waiting or not self._available_connections:
            return await self._wait_connection()
        return await self._checked(self.get_available_connection())  # type: ignore[no-untyped-call]

    async def _checked(self, connection: AbstractConnection) -> AbstractConnection:
        """``connection`` once ready (:meth:`_ready`); given back when it cannot be made ready."""
        try:
            await self._ready(connection)
            return connection
        except BaseException:
            await self.release(connection)
            raise

    @staticmethod
    async def _ready(connection: AbstractConnection) -> None:
        """Connects ``connection`` if it is not, and connects it again when it holds data nobody asked for or Redis
        closed it (redis-py's ``ensure_connection``, without its retry wrapper around a connection already open)."""
        if not connection.is_connected:
            await connection.connect()  # type: ignore[no-untyped-call]
        try:
            dirty = await connection.can_read()
        except RedisConnectionError:  # closed after a failure
            dirty = True
        if dirty:
            await connection.disconnect()
            await connection.connect()  # type: ignore[no-untyped-call]
            if await connection.can_read():
                raise RedisConnectionError("Connection not ready")

    async def release(self, connection: AbstractConnection) -> None:
        """Gives ``connection`` back (re-authenticating it first when a streaming credential provider asked: redis-py's
        only listener of its "released" event) and wakes the first waiting command, if any."""
        self._in_use_connections.remove(connection)
        if connection.should_reconnect():  # type: ignore[no-untyped-call]
            await connection.disconnect()
        self._available_connections.append(connection)
        await connection.re_auth()  # type: ignore[no-untyped-call]
        if self.waiting:
            async with self._condition:
                self._condition.notify()

    async def _wait_connection(self) -> AbstractConnection:
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
        return await self._checked(connection)

    def wake(self) -> None:
        """Makes every waiting command check again (call it when Redis was marked down)."""
        if self.waiting:
            t = asyncio.get_running_loop().create_task(self._notify_all())
            self._wakes.add(t)
            t.add_done_callback(self._wakes.discard)

    async def _notify_all(self) -> None:
        async with self._condition:
            self._condition.notify_all()
