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

Failures: when a call is due, the batch of a broken stream, and every batch while Redis counts as down, is not
sent (its reply is None: the writer delivers it live, the stream stays broken until its new epoch; so nothing a
stream numbered before it broke reaches Redis afterwards, under either epoch). A call that fails for an outage
answers None to each batch in it and marks Redis down; a Redis error for the whole call answers its text to each.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from redis.exceptions import ResponseError

from .health import DOWN

if TYPE_CHECKING:
    from .store import RedisSessionStore
    from .stream import Append, RedisStream

#: A batch waiting for the next call, with the future of its reply.
_Waiting = tuple["RedisStream", "list[Append]", "asyncio.Future[str | None]"]


class Appender:
    """Batches the appends of every stream of one store (see the module doc)."""

    __slots__ = ("_busy", "_store", "_task", "_waiting")

    def __init__(self, store: RedisSessionStore) -> None:
        self._store = store
        self._waiting: list[_Waiting] = []
        #: True while a call is in flight (or about to be sent).
        self._busy = False
        #: The call in flight (a strong reference: the loop keeps only weak ones).
        self._task: asyncio.Task[None] | None = None

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
        r = await store.eval(store.scripts.append_many, *keys, args=tuple(args), client=store.append_client)
        return [str(x) for x in r]
