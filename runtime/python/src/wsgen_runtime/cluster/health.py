"""Redis availability: ``redis_unavailable`` / ``redis_recovered``, and a new epoch for every broken stream.

While Redis is unavailable the node keeps serving live traffic: messages are delivered without being stored,
and their streams are *broken*. A probe tries Redis every ``probe_interval_s``; once it answers, every broken
stream gets a **new epoch** in Redis (``reset.lua``: the log is deleted, meta re-created; written once the
stream's messages of the old epoch have settled) and its connection is closed with 1012, so its client reconnects
and its resume from the old epoch gets ``RECOVERY_FAILED`` ``epoch_mismatch``: an explicit loss, never a silent
gap (docs/redis-layout.md).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING

from redis.exceptions import BusyLoadingError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .pool import PoolWaitTimeout

if TYPE_CHECKING:
    from .store import RedisSessionStore
    from .stream import RedisStream

#: The failures that mean "Redis is unavailable" (refused, reset, timed out, loading its data).
DOWN: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, BusyLoadingError, OSError)


class Availability:
    """Tracks whether Redis answers, and recovers the broken streams when it does again."""

    def __init__(self, store: RedisSessionStore) -> None:
        self.store = store
        self.down = False
        #: Streams whose messages Redis lacks.
        self.broken: set[RedisStream] = set()
        self._probe: asyncio.Task[None] | None = None

    def mark_down(self, err: BaseException) -> None:
        """Redis did not answer: log ``redis_unavailable`` once and start probing."""
        if not self.down:
            self.down = True
            self.store.core.logger.log(
                "warn",
                "redis_unavailable",
                {"node_id": self.store.node_id, "error": repr(err), "hint": "live traffic continues; messages are not stored until Redis returns"},
            )
            self.store.wake_waiters()
        self.recover_soon()

    def recover_soon(self) -> None:
        """Starts the probe (idempotent): it waits for Redis, then gives every broken stream a new epoch."""
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        """Stops probing (shutdown)."""
        if self._probe is not None:
            self._probe.cancel()

    async def _run(self) -> None:
        s = self.store
        while True:
            if self.down:
                await asyncio.sleep(s.options.probe_interval_s)
            try:
                await s.client.ping()
                await s.scripts.load(s.client)
                if self.down:
                    self.down = False
                    s.core.logger.log("info", "redis_recovered", {"node_id": s.node_id, "broken_streams": len(self.broken)})
                for stream in list(self.broken):
                    await self._new_epoch(stream)
                if not self.broken and not self.down:
                    return
            except DOWN as err:
                if not self.down:
                    self.mark_down(err)
            except PoolWaitTimeout as err:  # Redis answers, but no pooled connection came free: not an outage
                s.pool_exhausted(err, None)
                await asyncio.sleep(s.options.probe_interval_s)
            except Exception as err:
                s.log_error("redis_recovery_failed", err, None)
                await asyncio.sleep(s.options.probe_interval_s)

    async def _new_epoch(self, stream: RedisStream) -> None:
        s = self.store
        # What the stream queued in the old epoch settles first (an append in flight, bounded by timeout_s; a broken
        # stream delivers the rest live): no message numbered in the old epoch is sent under the new one.
        await stream.drained()
        if not stream.open:
            self.broken.discard(stream)
            return
        c = stream.conn
        linked = c is not None and bool(stream.link_id)
        epoch = secrets.token_urlsafe(12)
        done = await s.eval(
            s.scripts.reset, stream.meta, stream.log, args=(stream.owner_id if linked else "", epoch, s.ttl_ms, "1" if linked else "0")
        )
        s.core.logger.log(
            "info",
            "stream_new_epoch",
            {
                "session_id": stream.owner.info.session_id,
                "endpoint": stream.endpoint.key,
                "epoch": epoch,
                "old_epoch": stream.epoch,
                "reset": done == 1,
            },
        )
        if done == 1:
            stream.epoch, stream.seq = epoch, 0
        stream.broken = False
        self.broken.discard(stream)
        if c is not None and hasattr(c, "close"):
            # The client still counts in the old epoch: it reconnects, and its resume reports the loss. When another
            # node holds the stream (reset refused), this connection was replaced.
            if done == 1:
                c.close(1012, "session store recovered: reconnect to resume")
            else:
                c.close(s.core.proto.close_code("REPLACED", 4505), "replaced by a newer connection of the same session")
