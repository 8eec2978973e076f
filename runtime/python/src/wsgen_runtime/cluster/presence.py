"""Presence with expiry (docs/redis-layout.md, "Keys"): this node's key and its connections per user.

``P:node:<nodeId>`` (``1``, ``PX`` presence TTL) and one member ``<nodeId>/<connId>`` per connection in
``P:presence:user:<userId>`` (score = expiry, ms since the Unix epoch), refreshed every TTL/3. A node that
dies stops refreshing: its key vanishes and its members are removed once their score passes, so the
connections of a dead node disappear from the registry by themselves.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from .health import DOWN

if TYPE_CHECKING:
    from .store import RedisSessionStore


class Presence:
    """This node's presence key and its connections' members."""

    def __init__(self, store: RedisSessionStore) -> None:
        self.store = store
        self._task: asyncio.Task[None] | None = None
        self.announced = asyncio.Event()
        """Set once the first write of the node key settled (written, or failed: an outage)."""

    @property
    def ttl_ms(self) -> int:
        """The presence TTL in ms."""
        return int(self.store.options.presence_ttl_s * 1000)

    def member(self, conn_id: str) -> str:
        """``<nodeId>/<connId>``."""
        return f"{self.store.node_id}/{conn_id}"

    def start(self) -> None:
        """Starts the refresh (every TTL/3)."""
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        """Stops refreshing and removes this node's key and members (graceful shutdown)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        s = self.store
        if s.down:
            return
        try:
            pipe = s.client.pipeline(transaction=False)
            pipe.delete(s.keys.node(s.node_id))
            for c in s.core.registry.all():
                pipe.zrem(s.keys.user(c.session.user_id), self.member(c.id))
            await pipe.execute()
        except DOWN:
            pass

    def add(self, user_id: str, conn_id: str) -> None:
        """Records one connection (in the background)."""
        s = self.store
        if not s.down:
            s.spawn(self._add(user_id, conn_id))

    async def _add(self, user_id: str, conn_id: str) -> None:
        s = self.store
        key = s.keys.user(user_id)
        pipe = s.client.pipeline(transaction=False)
        pipe.zadd(key, {self.member(conn_id): int(time.time() * 1000) + self.ttl_ms})
        pipe.pexpire(key, self.ttl_ms)
        await pipe.execute()

    def remove(self, user_id: str, conn_id: str) -> None:
        """Forgets one connection (in the background)."""
        s = self.store
        if not s.down:
            s.spawn(self._remove(user_id, conn_id))

    async def _remove(self, user_id: str, conn_id: str) -> None:
        s = self.store
        await s.client.zrem(s.keys.user(user_id), self.member(conn_id))

    async def remote_count(self, user_id: str) -> int:
        """The user's live connections on other nodes (expired members are removed first)."""
        s = self.store
        key = s.keys.user(user_id)
        pipe = s.client.pipeline(transaction=False)
        pipe.zremrangebyscore(key, "-inf", int(time.time() * 1000))
        pipe.zrange(key, 0, -1)
        _, members = await pipe.execute()
        mine = f"{s.node_id}/"
        return sum(1 for m in members if not str(m).startswith(mine))

    async def refresh(self) -> None:
        """One refresh: the node key and every connection's member."""
        s = self.store
        ttl = self.ttl_ms
        expiry = int(time.time() * 1000) + ttl
        pipe = s.client.pipeline(transaction=False)
        pipe.set(s.keys.node(s.node_id), "1", px=ttl)
        by_user: dict[str, dict[str, int]] = {}
        for c in s.core.registry.all():
            by_user.setdefault(c.session.user_id, {})[self.member(c.id)] = expiry
        for user, members in by_user.items():
            pipe.zadd(s.keys.user(user), members)
            pipe.pexpire(s.keys.user(user), ttl)
        await pipe.execute()

    async def _loop(self) -> None:
        every = self.store.options.presence_ttl_s / 3
        while True:
            if not self.store.down:
                try:
                    await self.refresh()
                except DOWN as err:
                    self.store.health.mark_down(err)
            self.announced.set()
            await asyncio.sleep(every)
