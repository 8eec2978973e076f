"""One open connection: its socket, session, endpoint, stream, limits and counters.

It is the StreamSink of its stream while linked, and the handle the transport
feeds (``on_message``, ``on_close``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .limits import TokenBucket, truncate_close_reason
from .sessions import Stream
from .types import Endpoint, SessionInfo, TransportSocket
from .wire import to_json


class ConnectionHooks(Protocol):
    """What every connection of one core shares (one pointer per connection)."""

    soft_bytes: int
    hard_bytes: int
    #: Outbound messages by type (the metrics' table, counted inline: once per message).
    out_by_type: dict[str, int]

    def on_frame(self, c: Connection, text: str | None) -> None:
        """One inbound frame (None: a binary frame)."""
        ...

    def on_closed(self, c: Connection, code: int, reason: str, by_server: bool) -> None:
        """Called once when a connection is closed or lost."""
        ...

    def on_slow(self, c: Connection) -> None:
        """The send buffer went over the hard budget."""
        ...

    validate: Callable[[Mapping[str, Any]], None] | None


@dataclass(frozen=True, slots=True)
class ConnectionHealth:
    """A point-in-time health snapshot of one connection (times in epoch seconds)."""

    connection_id: str
    endpoint: str
    session_id: str
    user_id: str
    tenant: str
    connected_at: float
    last_seen_at: float
    alive: bool
    live: bool
    messages_in: int
    messages_out: int
    buffered_amount: int
    seq: int
    replay_buffered: tuple[int, int]
    in_flight: int


class Connection:
    """An accepted connection."""

    __slots__ = (
        "alive", "bucket", "closed", "connected_at", "endpoint", "hooks", "id", "last_seen_at", "live", "messages_in",
        "messages_out", "resume_floor", "resume_timer", "session", "socket", "stream", "strikes", "token",
    )  # fmt: skip

    def __init__(
        self, cid: str, socket: TransportSocket, endpoint: Endpoint, session: SessionInfo, token: str, stream: Stream, hooks: ConnectionHooks
    ) -> None:
        self.id = cid
        self.socket = socket
        self.endpoint = endpoint
        self.session = session
        self.token = token  # compared with a message's session_token; never logged
        self.stream = stream
        self.hooks = hooks
        self.alive = True
        self.closed = False
        self.live = True
        self.resume_floor = 0
        self.strikes = 0
        self.messages_in = 0
        self.messages_out = 0
        self.connected_at = self.last_seen_at = time.time()
        self.resume_timer: Any = None
        self.bucket: TokenBucket | None = None

    def on_message(self, text: str | None) -> None:
        """One inbound frame from the transport (None for a binary frame)."""
        self.hooks.on_frame(self, text)

    def on_close(self, code: int, reason: str) -> None:
        """The transport reports the socket closed (by either side) or lost."""
        if not self.closed:
            self.hooks.on_closed(self, code, reason, False)

    def over_soft_budget(self) -> bool:
        """Whether the send buffer is over the soft budget."""
        return self.socket.buffered_amount > self.hooks.soft_bytes

    def deliver(self, text: str, kind: str) -> None:
        """Writes one serialized message; closes with SLOW_CONSUMER when the send buffer is over the hard budget."""
        if self.closed:
            return
        socket = self.socket
        hooks = self.hooks
        if socket.buffered_amount > hooks.hard_bytes:
            hooks.on_slow(self)
            return
        socket.send(text)
        self.messages_out += 1
        counts = hooks.out_by_type
        counts[kind] = counts.get(kind, 0) + 1

    def send_ephemeral(self, msg: Mapping[str, Any], kind: str) -> None:
        """Sends a connection-level message (no seq, never buffered): session_created, pong, frame errors."""
        if self.hooks.validate is not None:
            self.hooks.validate(msg)
        self.deliver(to_json(msg), kind)

    def close(self, code: int, reason: str) -> None:
        """Closes with ``code`` (reason cut to 123 bytes) after what is queued, and unlinks at once."""
        if self.closed:
            return
        self.socket.close(code, truncate_close_reason(reason))
        self.hooks.on_closed(self, code, reason, True)

    def terminate(self, code: int, reason: str) -> None:
        """Closes at once, dropping what is queued; ``code`` goes on the wire and into metrics."""
        if self.closed:
            return
        self.socket.terminate(code)
        self.hooks.on_closed(self, code, reason, True)

    def health(self) -> ConnectionHealth:
        """A health snapshot."""
        return ConnectionHealth(
            connection_id=self.id,
            endpoint=self.endpoint.key,
            session_id=self.session.session_id,
            user_id=self.session.user_id,
            tenant=self.session.tenant,
            connected_at=self.connected_at,
            last_seen_at=self.last_seen_at,
            alive=self.alive,
            live=self.live,
            messages_in=self.messages_in,
            messages_out=self.messages_out,
            buffered_amount=self.socket.buffered_amount,
            seq=self.stream.seq,
            replay_buffered=self.stream.buffered,
            in_flight=self.stream.in_flight,
        )
