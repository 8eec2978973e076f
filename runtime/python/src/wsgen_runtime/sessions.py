"""Sessions that survive reconnects (the seed's "Traffic Cop" role).

A session has one stream per endpoint; a stream numbers its server messages
(``seq``), has an ``epoch`` (new whenever the stream is created, so after a
restart or an expiry), keeps a replay buffer bounded by count, bytes and age,
and is linked to at most one connection. What fell out of the buffer is
reported as a gap, never skipped silently (PROTOCOL.md, "Session resume").
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .types import Endpoint, SessionInfo
from .wire import to_json


@dataclass(frozen=True, slots=True)
class ReplayLimits:
    """Bounds of one stream's replay buffer: messages, UTF-8 bytes, and age in seconds."""

    max_messages: int = 256
    max_bytes: int = 256 * 1024
    ttl_s: float = 60.0


class StreamSink(Protocol):
    """Where a stream delivers: its linked connection."""

    @property
    def live(self) -> bool:
        """False while the connection waits for a resume (messages are then only buffered)."""
        ...

    def over_soft_budget(self) -> bool:
        """Whether the send buffer is over the soft budget (low-priority messages are dropped)."""
        ...

    def deliver(self, text: str, kind: str) -> None:
        """Writes one serialized message."""
        ...


@dataclass(slots=True)
class ReplayPlan:
    """What a resume gets: buffered texts after last_seq, the lost range if any, or ``ahead``."""

    texts: list[str]
    missing: tuple[int, int] | None = None
    ahead: bool = False


class Stream:
    """One server-to-client message stream of a session on one endpoint."""

    __slots__ = ("_buf", "_bytes", "conn", "detached_at", "dropped", "endpoint", "epoch", "in_flight", "open", "owner", "seq", "store")

    def __init__(self, owner: SessionState, endpoint: Endpoint, store: SessionStore) -> None:
        self.owner = owner
        self.endpoint = endpoint
        self.store = store
        self.epoch = secrets.token_urlsafe(12)
        self.seq = 0
        self.conn: StreamSink | None = None
        self.detached_at = 0.0
        self.open = True
        self.dropped = 0
        self.in_flight = 0
        self._buf: deque[tuple[str, int, float]] | None = None
        self._bytes = 0

    @property
    def buffered(self) -> tuple[int, int]:
        """(messages, bytes) currently buffered."""
        return (0 if self._buf is None else len(self._buf), self._bytes)

    def send(self, msg: dict[str, Any], now: float | None = None) -> bool:
        """Numbers, buffers and (when a live connection is linked) delivers one message; returns whether it was kept.

        With outbound validation on, an invalid message raises :class:`~wsgen_runtime.wire.InvalidOutboundError`
        before it takes a seq: it is neither buffered nor sent, so the stream has no gap.

        Low-priority types are dropped instead when no live connection is linked or
        its send buffer is over the soft budget: they take no seq, so no gap appears.

        Without the resume capability (the store's ``seq_field`` is None, docs/roles.md) nothing is numbered or
        buffered: the message goes to a live connection or is lost (returns False), as in the Node runtime.
        """
        if not self.open:
            return False
        store = self.store
        kind = msg.get(store.tag, "")
        c = self.conn
        if kind in store.low_priority and (c is None or not c.live or c.over_soft_budget()):
            self.dropped += 1
            store.on_drop(kind)
            return False
        seq_field = store.seq_field
        if seq_field is None:  # no resume capability: nothing is numbered or buffered, a message without a live link is lost
            if store.validate is not None:
                store.validate(msg)
            if c is None or not c.live:
                return False
            c.deliver(to_json(msg), kind)
            return True
        seq = self.seq + 1
        msg[seq_field] = seq
        if store.validate is not None:
            store.validate(msg)  # raises InvalidOutboundError: the message is not sent and takes no seq (no gap)
        text = to_json(msg)
        self.seq = seq
        # The replay buffer (inline: once per message): append, then evict beyond the bounds as trim() does.
        buf = self._buf
        if buf is None:
            buf = self._buf = deque()
        size = len(text) if text.isascii() else len(text.encode())
        t = time.monotonic() if now is None else now
        buf.append((text, size, t))
        self._bytes += size
        lim = store.limits
        if len(buf) > lim.max_messages:  # the usual eviction once full, inline: one in, one out
            self._bytes -= buf.popleft()[1]
        if not buf or self._bytes > lim.max_bytes or buf[0][2] < t - lim.ttl_s:
            self.trim(t)
        if c is not None and c.live:
            c.deliver(text, kind)
        return True

    def trim(self, now: float) -> None:
        """Evicts the oldest messages beyond the count, byte and age bounds."""
        buf = self._buf
        if buf is None:
            return
        lim = self.store.limits
        oldest = now - lim.ttl_s
        while buf and (len(buf) > lim.max_messages or self._bytes > lim.max_bytes or buf[0][2] < oldest):
            self._bytes -= buf.popleft()[1]
        if not buf:
            self._buf = None
            self._bytes = 0

    def replay_after(self, last_seq: int, now: float | None = None) -> ReplayPlan:
        """What to replay to a client whose last processed seq (in this epoch) is ``last_seq`` (``now``: monotonic s)."""
        self.trim(time.monotonic() if now is None else now)
        if last_seq > self.seq:
            return ReplayPlan([], ahead=True)
        texts = [] if self._buf is None else [t for t, _, _ in self._buf]
        first = self.seq - len(texts) + 1
        if last_seq + 1 >= first:
            return ReplayPlan(texts[last_seq + 1 - first :])
        return ReplayPlan(texts, missing=(last_seq + 1, first - 1))

    def replay(self, last_seq: int, done: Callable[[ReplayPlan], None]) -> None:
        """Hands ``done`` the plan of :meth:`replay_after` (at once here; a shared store answers later, in stream order)."""
        done(self.replay_after(last_seq))

    def snapshot(self) -> list[str]:
        """Every buffered text, oldest first (flushed at shutdown)."""
        return [] if self._buf is None else [t for t, _, _ in self._buf]

    def discard(self) -> None:
        """Frees the buffer and stops accepting messages."""
        self.open = False
        self.conn = None
        self._buf = None
        self._bytes = 0


@dataclass(slots=True)
class SessionState:
    """One session and its streams by endpoint key."""

    info: SessionInfo
    streams: dict[str, Stream] = field(default_factory=dict)
    expiry: Any = None  # asyncio.TimerHandle | None


class SessionStore:
    """Every session and its streams, in this process: the default store (nothing to start).

    It is also the store interface: a shared store (:class:`wsgen_runtime.cluster.RedisSessionStore`)
    subclasses it and overrides the hooks below (``attach`` ... ``aclose``), which do nothing here.
    """

    #: Whether other processes share the sessions (a stream without a connection here may be linked elsewhere).
    shared = False

    def __init__(
        self,
        *,
        tag: str,
        seq_field: str | None,
        limits: ReplayLimits,
        detached_ttl_s: float,
        low_priority: frozenset[str],
        on_drop: Callable[[str], None],
        on_expire: Callable[[SessionState], None],
        validate: Callable[[Mapping[str, Any]], None] | None = None,
    ) -> None:
        self.tag = tag
        self.seq_field = seq_field
        self.limits = limits
        self.detached_ttl_s = detached_ttl_s
        self.low_priority = low_priority
        self.on_drop = on_drop
        self.on_expire = on_expire
        self.validate = validate
        self.sessions: dict[str, SessionState] = {}

    def link(self, info: SessionInfo, endpoint: Endpoint, schedule: Callable[[float, Callable[[], None]], Any]) -> tuple[Stream, bool]:
        """The stream of a session on an endpoint, created as needed; ``rejoined`` when it already has history.

        ``schedule(delay_s, fn)`` arms the session's expiry (an event loop's ``call_later``).
        """
        state = self.sessions.get(info.session_id)
        if state is None:
            state = SessionState(info)
            self.sessions[info.session_id] = state
        else:
            state.info = info
        if state.expiry is not None:
            state.expiry.cancel()
            state.expiry = None
        if info.expires_at is not None:
            st = state

            def fire() -> None:
                st.expiry = None
                if self.sessions.get(st.info.session_id) is st:
                    self.on_expire(st)

            state.expiry = schedule(max(0.0, info.expires_at - time.time()), fire)
        stream = state.streams.get(endpoint.key)
        rejoined = stream is not None and stream.seq > 0
        if stream is None:
            stream = self.new_stream(state, endpoint)
            state.streams[endpoint.key] = stream
        return stream, rejoined

    # -- the hooks of a shared store (no-ops in memory) --
    def new_stream(self, state: SessionState, endpoint: Endpoint) -> Stream:
        """A new stream of this store's kind."""
        return Stream(state, endpoint, self)

    def attach(self, core: Any) -> None:
        """Called once by the server core that owns the store (a shared store reaches connections through it)."""

    def start(self, loop: Any) -> None:
        """Called once the event loop runs (a shared store connects and starts its timers)."""

    async def ready(self) -> None:
        """Returns once the store serves (in memory: at once; a shared store: this node subscribed and announced)."""

    @property
    def ready_timeout_s(self) -> float | None:
        """How long :meth:`ServerCore.ready` waits for :meth:`ready` (None: no bound; a shared store: its command timeout)."""
        return None

    async def prepare(self, info: SessionInfo, endpoint: Endpoint) -> None:
        """Called after a handshake succeeded, before :meth:`link` (a shared store opens the stream there)."""

    def linked(self, c: StreamSink, user_id: str) -> None:
        """A connection was linked to its stream (a shared store records its presence)."""

    def unlinked(self, stream: Stream, c: StreamSink | None, user_id: str) -> None:
        """A stream lost its connection (``c``; None when the link was refused): a shared store releases it."""

    def remote_connections(self, user_id: str) -> int:
        """How many connections a user has open on other nodes (0 in memory)."""
        return 0

    def broadcast(self, audience: Any, msg: Mapping[str, Any]) -> None:
        """A publish to an audience, for the other nodes (a shared store sends it over its broker)."""

    def send_elsewhere(self, session_id: str, endpoint_key: str, msg: dict[str, Any]) -> bool:
        """A message for a session stream this process has no connection of; False when nobody can take it."""
        return False

    async def aclose(self) -> None:
        """Called at the end of a graceful shutdown (a shared store releases its links and disconnects)."""

    def drop(self, state: SessionState) -> None:
        """Forgets a session and discards its streams."""
        if state.expiry is not None:
            state.expiry.cancel()
            state.expiry = None
        for s in state.streams.values():
            s.discard()
        state.streams.clear()
        if self.sessions.get(state.info.session_id) is state:
            del self.sessions[state.info.session_id]

    def sweep(self, now: float | None = None) -> None:
        """Trims buffers by age; forgets streams (and sessions) without a connection for longer than detached_ttl_s."""
        t = time.monotonic() if now is None else now
        for state in list(self.sessions.values()):
            for key, s in list(state.streams.items()):
                s.trim(t)
                if s.conn is None and s.in_flight == 0 and t - s.detached_at > self.detached_ttl_s:
                    s.discard()
                    del state.streams[key]
            if not state.streams:
                self.drop(state)

    def streams(self) -> Iterator[Stream]:
        """Every stream of every session."""
        for state in list(self.sessions.values()):
            yield from list(state.streams.values())

    def clear(self) -> None:
        """Discards everything (after shutdown)."""
        for state in list(self.sessions.values()):
            self.drop(state)
