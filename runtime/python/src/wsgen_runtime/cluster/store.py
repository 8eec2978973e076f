"""The Redis session store: sessions, epochs and replay shared by every node (docs/redis-layout.md).

A drop-in for the in-memory :class:`~wsgen_runtime.sessions.SessionStore` (pass :func:`redis_session_store`
as ``ServerOptions.session_store``). Each node keeps its own view of the streams it serves (epoch, seq, the
linked connection); Redis keeps the truth: ``open.lua`` when a connection links (epoch and seq from Redis, a
takeover notice to the previous owner's node), ``append_many.lua`` before every delivery (batched across
streams: :class:`~wsgen_runtime.cluster.appender.Appender`), ``replay.lua`` for a resume, ``release.lua`` when a
connection goes. Fan-out and session-addressed sends go through
:class:`~wsgen_runtime.cluster.broker.Broker`, presence through :class:`~wsgen_runtime.cluster.presence.Presence`,
Redis outages through :class:`~wsgen_runtime.cluster.health.Availability`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import secrets
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.driver_info import DriverInfo
from redis.exceptions import NoScriptError
from redis.maint_notifications import MaintNotificationsConfig

from ..sessions import ReplayPlan, SessionState, SessionStore, Stream, StreamSink
from ..types import Endpoint, SessionInfo
from .appender import Appender
from .broker import Broker
from .health import DOWN, Availability
from .keys import Keys, check_node_id
from .lag import LagGuard
from .options import RedisOptions
from .pool import NodePool, PoolWaitTimeout
from .presence import Presence
from .scripts import Script, Scripts
from .stream import Append, RedisStream, Replay, lost_plan, plan_from

#: What every connection of the store tells Redis in ``CLIENT SETINFO`` (redis-py's defaults, read once): left to
#: redis-py, each new connection read the package metadata again (``importlib.metadata``, about 0.5 ms of CPU), and a
#: node that opens its pool's connections in a burst (100 clients resuming at once after a failover) paid it for each.
DRIVER_INFO = DriverInfo()


@dataclass(frozen=True, slots=True)
class Opened:
    """What ``open.lua`` said about a stream about to be linked (``broken``: Redis was unavailable;
    ``previous_node``: another node whose connection the link replaces)."""

    epoch: str
    seq: int
    link_id: str
    broken: bool
    previous_node: str = ""


def redis_session_store(options: RedisOptions) -> Callable[..., SessionStore]:
    """The ``ServerOptions.session_store`` factory of a Redis store with ``options``."""
    return functools.partial(RedisSessionStore, redis=options)


class RedisSessionStore(SessionStore):
    """Sessions in Redis; see the module doc. ``redis``: where Redis is and this node's id."""

    shared = True
    #: The sequence field: a shared store resumes by seq, so it needs the resume capability (docs/roles.md).
    seq_field: str

    def __init__(self, *, redis: RedisOptions, **kwargs: Any) -> None:
        if kwargs.get("seq_field") is None:
            raise ValueError(
                "the protocol numbers nothing (no session roles or no sequence field role): "
                "a shared session store needs the resume capability (docs/roles.md)"
            )
        super().__init__(**kwargs)
        self.options = redis
        self.node_id = check_node_id(redis.node_id)
        self.keys = Keys(redis.key_prefix)
        self.scripts = Scripts()
        # Waiting for a free pooled connection is back-pressure, not an outage (cluster/pool.py): only a command that
        # reached for Redis and failed marks it down. Maintenance notifications off: redis-py 8's default ("auto")
        # skips the pool's check of an idle connection before it hands it out, so after a Redis restart each
        # connection the old server had closed failed its next command, a second outage in the middle of the
        # recovery (test_redis_down.py, "second_outage"). The appends (one append_many.lua call in flight per node)
        # have a connection of their own, so live traffic never queues behind a burst of links.
        conn = {
            "decode_responses": True,
            "socket_timeout": redis.timeout_s,
            "socket_connect_timeout": redis.timeout_s,
            "retry": None,
            "maint_notifications_config": MaintNotificationsConfig(enabled=False),
            "driver_info": DRIVER_INFO,
        }
        wait = {"is_down": self._is_down, "max_wait_s": redis.pool_wait_s}
        self.client: Redis = Redis.from_pool(NodePool.from_url(redis.url, max_connections=redis.max_connections, **wait, **conn))
        #: The appender's own connection (cluster/appender.py).
        self.append_pool = NodePool.from_url(redis.url, max_connections=1, **wait, **conn)
        self.append_client: Redis = Redis.from_pool(self.append_pool)
        #: A stall of the event loop pushes the command timeouts back (cluster/lag.py): it is not an outage.
        self.lag = LagGuard(self._connections_in_use)
        self.core: Any = None
        self.health = Availability(self)
        self.broker = Broker(self)
        self.presence = Presence(self)
        self.appender = Appender(self)
        self._prepared: dict[tuple[str, str], Opened] = {}
        self._remote: dict[str, int] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._started = False

    def _is_down(self) -> bool:
        return self.health.down

    def _connections_in_use(self) -> list[Any]:
        return [*self.client.connection_pool._in_use_connections, *self.append_client.connection_pool._in_use_connections]

    @property
    def down(self) -> bool:
        """Whether Redis is unavailable (messages are then delivered live, not stored)."""
        return self.health.down

    # -- life cycle --
    def attach(self, core: Any) -> None:
        """Keeps the core (its logger, registry, protocol and application)."""
        self.core = core

    def start(self, loop: Any = None) -> None:
        """Starts the broker (pub/sub) and the presence refresh (idempotent)."""
        if self._started:
            return
        self._started = True
        self.lag.start()
        self.broker.start()
        self.presence.start()

    async def ready(self) -> None:
        """Starts the store and returns once this node is subscribed (it then receives every publish) and its
        ``node:<id>`` presence key was written (or the write failed: an outage): call it at application start-up,
        before taking connections, so that a node with no connection yet still takes session-addressed sends."""
        self.start()
        await self.broker.subscribed.wait()
        await self.presence.announced.wait()

    async def aclose(self) -> None:
        """Appends what is queued (bounded by the client timeout), releases the links, leaves presence, disconnects."""
        streams = [s for s in self.streams() if isinstance(s, RedisStream)]
        await asyncio.gather(*(s.drained() for s in streams), return_exceptions=True)
        if not self.down:
            for s in streams:
                if s.link_id:
                    await self._quiet(self.eval(self.scripts.release, s.meta, args=(s.owner_id, self.ttl_ms)))
        if self._tasks:  # releases and presence removals of the connections just closed
            await asyncio.wait(list(self._tasks), timeout=self.options.timeout_s)
        await self.presence.stop()
        await self.broker.stop()
        self.health.stop()
        self.lag.stop()
        for t in list(self._tasks):
            t.cancel()
        await self.appender.aclose()
        await self.client.aclose()
        await self.append_client.aclose()

    # -- helpers shared by the parts --
    @property
    def ttl_ms(self) -> int:
        """The detached TTL of a stream's keys, in ms."""
        return int(self.detached_ttl_s * 1000)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Runs a background task, kept until it ends (its failures are logged)."""
        t = asyncio.get_running_loop().create_task(self._quiet(coro))
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)

    async def _quiet(self, coro: Coroutine[Any, Any, Any]) -> Any:
        try:
            return await coro
        except DOWN as err:
            self.health.mark_down(err)
        except Exception as err:
            self.log_error("redis_task_failed", err, None)
        return None

    def log_error(self, event: str, err: BaseException, stream: Stream | None) -> None:
        """Logs an unexpected failure (a bug) with the stream it concerns."""
        where: dict[str, Any] = {} if stream is None else {"session_id": stream.owner.info.session_id, "endpoint": stream.endpoint.key}
        code = self.core.proto.error_code("INTERNAL_ERROR")
        self.core.logger.log(
            "error", event, {"code": code, "error": repr(err), "node_id": self.node_id, **where, "hint": "a bug in the Redis store: please report it"}
        )

    def pool_exhausted(self, err: PoolWaitTimeout, stream: Stream | None) -> None:
        """Logs ``redis_pool_exhausted`` (code ``REDIS_POOL_EXHAUSTED``): a command found no free connection for
        ``pool_wait_s`` while Redis answered; the stream it was for is broken (its loss is announced)."""
        where: dict[str, Any] = {} if stream is None else {"session_id": stream.owner.info.session_id, "endpoint": stream.endpoint.key}
        self.core.logger.log(
            "error",
            "redis_pool_exhausted",
            {
                "code": err.code,
                "error": str(err),
                "node_id": self.node_id,
                **where,
                "hint": "a pooled connection was never released (a bug), or raise max_connections",
            },
        )

    async def eval(self, script: Script, *keys: str, args: tuple[Any, ...] = (), client: Redis | None = None) -> Any:
        """``EVALSHA`` of a script on ``client`` (default: the node's pool), loading the scripts again after a NOSCRIPT reply."""
        on = self.client if client is None else client
        try:
            return await on.evalsha(script.sha, len(keys), *keys, *args)
        except NoScriptError:
            await self.scripts.load(on)
            return await on.evalsha(script.sha, len(keys), *keys, *args)

    def wake_waiters(self) -> None:
        """Ends the pool wait of every command waiting for a connection (Redis was just marked down: they fail as
        an outage at once instead of in turn)."""
        for c in (self.client, self.append_client):
            pool = c.connection_pool
            if isinstance(pool, NodePool):
                pool.wake()

    # -- linking --
    def new_stream(self, state: SessionState, endpoint: Endpoint) -> Stream:
        """A :class:`RedisStream`."""
        return RedisStream(state, endpoint, self)

    async def prepare(self, info: SessionInfo, endpoint: Endpoint) -> None:
        """``open.lua`` for the stream about to be linked (Redis' epoch and seq win), the takeover notice, and the
        user's connections on other nodes (for the per-user limit)."""
        self.start()
        if not self.broker.subscribed.is_set() and not self.down:
            # link only once this node takes its control channel (takeover, send), bounded by the command timeout
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.broker.subscribed.wait(), self.options.timeout_s)
        sid, ep = info.session_id, endpoint.key
        meta, log = self.keys.stream(sid, ep)
        link_id = secrets.token_hex(6)
        if self.down:
            self._prepared[(sid, ep)] = Opened(secrets.token_urlsafe(12), 0, link_id, True)
            return
        try:
            epoch, seq, _created, previous = await self.eval(
                self.scripts.open, meta, log, args=(secrets.token_urlsafe(12), f"{self.node_id}/{link_id}", self.ttl_ms)
            )
            remote = await self.presence.remote_count(info.user_id)
        except DOWN as err:
            self.health.mark_down(err)
            self._prepared[(sid, ep)] = Opened(secrets.token_urlsafe(12), 0, link_id, True)
            return
        except PoolWaitTimeout as err:
            self.pool_exhausted(err, None)
            self._prepared[(sid, ep)] = Opened(secrets.token_urlsafe(12), 0, link_id, True)
            return
        node = str(previous).split("/", 1)[0] if previous else ""
        elsewhere = node if node and node != self.node_id else ""
        # The connection this link replaces does not count against the per-user limit (as in memory).
        self._remote[info.user_id] = max(0, remote - (1 if elsewhere else 0))
        self._prepared[(sid, ep)] = Opened(str(epoch), int(seq), link_id, False, elsewhere)

    def link(self, info: SessionInfo, endpoint: Endpoint, schedule: Callable[[float, Callable[[], None]], Any]) -> tuple[Stream, bool]:
        """The local stream, with the epoch and seq ``prepare`` read from Redis; ``rejoined`` when it has history."""
        stream, _ = super().link(info, endpoint, schedule)
        opened = self._prepared.pop((info.session_id, endpoint.key), None)
        if isinstance(stream, RedisStream) and opened is not None:
            stream.link_id = opened.link_id
            stream.takeover_from = opened.previous_node
            if opened.broken:
                self.mark_broken(stream, error="Redis was unavailable at the handshake")
            elif not stream.broken:
                if stream.epoch == opened.epoch:
                    stream.seq = max(stream.seq, opened.seq)
                else:
                    stream.epoch, stream.seq = opened.epoch, opened.seq
        return stream, stream.seq > 0

    def linked(self, c: StreamSink, user_id: str) -> None:
        """Records the connection's presence and, now that the link is accepted, tells the node whose connection
        of the stream it replaces (takeover: that node closes it with 4505)."""
        self.presence.add(user_id, str(getattr(c, "id", "")))
        stream = getattr(c, "stream", None)
        if isinstance(stream, RedisStream) and stream.takeover_from:
            node, stream.takeover_from = stream.takeover_from, ""
            self.spawn(self.broker.takeover(node, stream.owner.info.session_id, stream.endpoint.key))

    def unlinked(self, stream: Stream, c: StreamSink | None, user_id: str) -> None:
        """Releases the stream's owner field (when it still names this link) and the connection's presence."""
        if c is not None:
            self.presence.remove(user_id, str(getattr(c, "id", "")))
        if isinstance(stream, RedisStream) and stream.link_id and not self.down:
            self.spawn(self.eval(self.scripts.release, stream.meta, args=(stream.owner_id, self.ttl_ms)))

    def remote_connections(self, user_id: str) -> int:
        """The user's live connections on other nodes, as read by the last ``prepare``."""
        return self._remote.pop(user_id, 0)

    # -- appends and replay (called by RedisStream's writer) --
    def append_batch(self, s: RedisStream, batch: list[Append]) -> asyncio.Future[str | None]:
        """Appends a batch (all or nothing) in the node's next ``append_many.lua`` call, with the other streams'
        batches (:class:`~wsgen_runtime.cluster.appender.Appender`): ``OK``, the error text (``SEQ <top>``,
        ``EPOCH ...``), or None when Redis is unavailable."""
        return self.appender.append(s, batch)

    async def replay_plan(self, s: RedisStream, op: Replay) -> ReplayPlan:
        """What to replay after ``op.last_seq``: from ``replay.lua``, or all missing when Redis lacks the history."""
        if s.broken or self.down:
            return lost_plan(op.last_seq, op.seq)
        try:
            r = await self.eval(self.scripts.replay, s.meta, s.log, args=(op.last_seq, int(time.time() * 1000), int(self.limits.ttl_s * 1000)))
        except DOWN as err:
            self.health.mark_down(err)
            self.mark_broken(s, error=repr(err))
            return lost_plan(op.last_seq, op.seq)
        except PoolWaitTimeout as err:
            self.pool_exhausted(err, s)
            self.mark_broken(s, "error", repr(err))
            return lost_plan(op.last_seq, op.seq)
        epoch, seq, first, texts = str(r[0]), int(r[1]), int(r[2]), [str(t) for t in r[3:]]
        if epoch != s.epoch:
            self.mark_broken(s, "lost", f"EPOCH: Redis holds epoch {epoch}")
            return lost_plan(op.last_seq, op.seq)
        return plan_from(op.last_seq, seq, first, texts)

    # -- failures --
    def mark_broken(self, s: RedisStream, reason: str = "unavailable", error: str = "Redis is unavailable") -> None:
        """Redis lacks messages of ``s``: ``reason`` ``unavailable`` (not stored), ``lost`` (Redis lost the stream or it
        was re-created: ``EPOCH``) or ``error`` (an unexpected failure, a bug: not stored); it gets a new epoch once
        Redis answers. Logged once as ``redis_stream_broken`` with Node's fields (``error``: what failed)."""
        if not s.broken:
            s.broken = True
            self.health.broken.add(s)
            self.core.logger.log(
                "warn",
                "redis_stream_broken",
                {
                    "session_id": s.owner.info.session_id,
                    "endpoint": s.endpoint.key,
                    "seq": s.seq,
                    "reason": reason,
                    "error": error,
                    "hint": "messages are delivered but not stored",
                },
            )
        self.health.recover_soon()

    def fenced(self, s: RedisStream, top: int) -> None:
        """Another node appended to ``s`` (two owners): close this node's connection with 1012 so its client resumes from Redis."""
        c = s.conn
        self.core.logger.log(
            "warn",
            "redis_fenced",
            {"session_id": s.owner.info.session_id, "endpoint": s.endpoint.key, "seq": s.seq, "top": top, "hint": "appended elsewhere"},
        )
        if c is not None and hasattr(c, "close"):
            c.close(1012, "stream continued on another node: reconnect to resume")

    def deliver_fanout(self, audience: Any, msg: Mapping[str, Any]) -> None:
        """Delivers another node's publish to this node's connections."""
        self.core.publish_local(audience, msg)

    def broadcast(self, audience: Any, msg: Mapping[str, Any]) -> None:
        """Hands a publish to the other nodes (``P:fanout``; at most once)."""
        self.start()
        if not self.down:
            self.spawn(self.broker.fanout(audience, msg))

    def send_elsewhere(self, session_id: str, endpoint_key: str, msg: dict[str, Any]) -> bool:
        """Routes a message to the node owning the stream, or appends it for the next resume."""
        self.start()
        if self.down:
            return False
        self.spawn(self.broker.send(session_id, endpoint_key, msg))
        return True
