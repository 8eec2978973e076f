"""The node's appends, batched across streams: one ``append_many.lua`` call in flight at a time (docs/redis-layout.md).

Each stream's writer hands its batch (consecutive messages of one stream) to :meth:`Appender.append` and awaits the
stream's own reply. The batches handed over in one turn of the event loop go in one call; while a call is in
flight, the batches handed over meanwhile wait and go together in the next one. Under load one call carries what
every stream sent during a round trip (fewer, larger calls: the Node store does the same); an idle stream's
message still goes at the end of its turn. A stream has at most one batch in a call (its writer awaits the reply
before it takes the next), so its messages keep their order and the fencing of ``append_many.lua`` (each stream
``OK``, ``EPOCH …`` or ``SEQ <top>``, exactly as ``append.lua`` would answer) applies per stream. With one call in
flight the appends need one Redis connection: they have their own (``RedisSessionStore.append_client``), so live
traffic never waits behind a burst of links, releases or presence commands in the node's pool (``cluster/pool.py``).
The appender takes that connection once and keeps it (:meth:`Appender._evalsha`): a call is one ``EVALSHA`` written
and its reply read on it, without redis-py's per-command pool round (lock, readiness check, release), which cost
more CPU than the call itself (about 130 against 50 microseconds per call measured with uvloop). Before each call it
checks the connection as the pool checks one it hands out: one closed by Redis (a restart while the appends were
idle) or holding unread data is closed, and the call connects again (after a failure redis-py has closed it
already), so a Redis restart is never taken for a second outage.

Failures: when a call is due, the batch of a broken stream, and every batch while Redis counts as down, is not
sent (its reply is None: the writer delivers it live, the stream stays broken until its new epoch; so nothing a
stream numbered before it broke reaches Redis afterwards, under either epoch). A call that fails for an outage
answers None to each batch in it and marks Redis down; a Redis error for the whole call answers its text to each.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError

from .health import DOWN

if TYPE_CHECKING:
    from .store import RedisSessionStore
    from .stream import Append, RedisStream

#: A batch waiting for the next call, with the future of its reply.
_Waiting = tuple["RedisStream", "list[Append]", "asyncio.Future[str | None]"]


class Appender:
    """Batches the appends of every stream of one store (see the module doc)."""

    __slots__ = ("_busy", "_conn", "_store", "_task", "_waiting")

    def __init__(self, store: RedisSessionStore) -> None:
        self._store = store
        self._waiting: list[_Waiting] = []
        #: True while a call is in flight (or about to be sent).
        self._busy = False
        #: The call in flight (a strong reference: the loop keeps only weak ones).
        self._task: asyncio.Task[None] | None = None
        #: The connection of ``store.append_pool`` this appender holds (None until the first call).
        self._conn: Any = None

    @property
    def waiting(self) -> int:
        """How many batches wait for the next call."""
        return len(self._waiting)

    def append(self, s: RedisStream, batch: list[Append]) -> asyncio.Future[str | None]:
        """Queues ``batch`` (consecutive messages of ``s``, numbered from ``batch[0].seq``) for the next call.

        The future's result: ``OK``; the stream's error reply (``SEQ <top>``: seq is not the top + 1, or ``EPOCH
        <epoch|missing>``: nothing of the batch appended); None when Redis is unavailable, or was when the call was
        due, or the stream was broken by then (nothing appended, nothing sent)."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[str | None] = loop.create_future()
        self._waiting.append((s, batch, fut))
        if len(self._waiting) == 1 and not self._busy:
            loop.call_soon(self._flush)
        return fut

    def _flush(self) -> None:
        if self._busy or not self._waiting:
            return
        waiting, self._waiting = self._waiting, []
        down = self._store.down
        for s, _, fut in waiting:
            # Redis counts as down, or the stream is broken (it gets a new epoch first): not sent, the writer delivers
            # the batch live and the stream stays broken, as a message sent now would be (stream.py).
            if (down or s.broken) and not fut.done():
                fut.set_result(None)
        waiting = [w for w in waiting if not w[2].done()]
        if waiting:
            self._busy = True
            self._task = asyncio.get_running_loop().create_task(self._send(waiting))

    async def _send(self, waiting: list[_Waiting]) -> None:
        replies: list[str | None] | Exception
        try:
            replies = await self._call(waiting)
        except DOWN as err:
            self._store.health.mark_down(err)
            replies = [None] * len(waiting)
        except ResponseError as err:  # the call itself failed (not one stream's reply): nothing appended
            replies = [str(err)] * len(waiting)
        except Exception as err:  # a bug, never a Redis failure: every writer learns it (and logs it)
            replies = err
        except BaseException:  # cancelled (shutdown): so are the writers' waits
            self._busy = False
            for _, _, fut in waiting:
                fut.cancel()
            raise
        self._busy = False
        self._task = None
        for i, (_, _, fut) in enumerate(waiting):
            if fut.done():
                continue
            if isinstance(replies, Exception):
                fut.set_exception(replies)
            else:
                fut.set_result(replies[i])
        # After the writers' wake-ups (call_soon order): the next batch of each stream just answered joins the call.
        if self._waiting:
            asyncio.get_running_loop().call_soon(self._flush)

    async def _call(self, waiting: list[_Waiting]) -> list[str | None]:
        """One ``append_many.lua`` call: KEYS meta, log per stream; ARGV the bounds, then epoch, first seq and the
        texts joined by line feeds per stream (compact JSON text has no raw line feed, RFC 8259 section 7)."""
        store = self._store
        lim = store.limits
        keys: list[str] = []
        args: list[Any] = [int(time.time() * 1000), lim.max_messages, lim.max_bytes, int(lim.ttl_s * 1000), store.ttl_ms]
        for s, batch, _ in waiting:
            keys += (s.meta, s.log)
            args += (s.epoch, batch[0].seq, "\n".join([op.text for op in batch]))
        r = await self._evalsha(store.scripts.append_many.sha, len(keys), *keys, *args)
        return [str(x) for x in r]

    async def _evalsha(self, *command: Any) -> Any:
        """``EVALSHA`` on the held connection (taken from ``store.append_pool`` at the first call); after a
        NOSCRIPT reply the scripts are loaded again (through the node's pool) and the call is sent once more.

        Raises what redis-py raises: ``ConnectionError``/``TimeoutError`` (an outage: redis-py has closed the
        connection, the next call connects again), ``ResponseError`` (Redis refused the call)."""
        if self._conn is None:
            self._conn = await self._store.append_pool.get_connection()
        conn = self._conn
        try:
            dirty = await conn.can_read()  # data nobody asked for, or the end of the stream: Redis closed it
        except RedisConnectionError:  # closed after a failure
            dirty = True
        if dirty:
            await conn.disconnect()  # send_command connects again
        try:
            await conn.send_command("EVALSHA", *command)
            return await conn.read_response()
        except NoScriptError:
            await self._store.scripts.load(self._store.client)
            await conn.send_command("EVALSHA", *command)
            return await conn.read_response()

    async def aclose(self) -> None:
        """Gives the held connection back to its pool (shutdown, after the last call)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._store.append_pool.release(conn)
