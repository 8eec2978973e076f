"""The transport-agnostic server core (like graphql-ws's ``makeServer``).

Attaching accepted sockets to sessions, the hooks connections share, publishing,
health, and the heartbeat and sweeping timers. The handshake decision lives in
handshake.py, graceful shutdown in shutdown.py, the per-frame pipeline in
pipeline.py; transports (asgi.py) only move frames.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from .application import Application
from .connection import Connection, ConnectionHealth
from .descriptor import ProtocolDescriptor
from .dispatch import Dispatcher
from .handshake import Accepted, HandshakeRequest, Refused, decide_handshake
from .heartbeat import Heartbeat
from .logs import StdlibLogger
from .metrics import ServerMetrics
from .options import ServerOptions
from .pipeline import Pipeline
from .registry import Audience, Registry
from .sessions import SessionState, SessionStore
from .shutdown import Draining, graceful_shutdown
from .types import LogLevel, SessionValidator, TransportSocket
from .wire import InvalidOutboundError, Outbound, as_message, timestamp

__all__ = ["Accepted", "HandshakeRequest", "Refused", "ServerCore"]  # the handshake types stay importable from here


class ServerCore:
    """The server core of one application over one protocol."""

    def __init__(self, protocol: ProtocolDescriptor, app: Application, validator: SessionValidator, options: ServerOptions | None = None) -> None:
        self.options = o = options if options is not None else ServerOptions()
        self.proto = protocol
        self.app = app
        self.validator = validator
        self.logger = o.logger if o.logger is not None else StdlibLogger()
        self.registry = Registry()
        self.metrics = ServerMetrics(lambda: ((c.session.attributes.get("realm", ""), c.endpoint.key) for c in self.registry.all()), o.metrics_prefix)
        self.out_by_type = self.metrics.out_by_type  # the ConnectionHooks counter table, counted inline
        self.closing = False
        self.validate: Callable[[Mapping[str, Any]], None] | None = self._check_outbound if o.validate_outbound else None
        self.soft_bytes = o.backpressure.soft_bytes
        self.hard_bytes = o.backpressure.hard_bytes
        self.dispatcher = Dispatcher(
            protocol,
            timeout_s=o.handler_timeout_s,
            max_in_flight=o.max_in_flight,
            expose_errors=o.expose_errors,
            logger=self.logger,
            observe=self.metrics.observe,
        )
        # Without the resume capability (the session roles and a sequence field, docs/roles.md) nothing is numbered or
        # buffered, as in Node: a sequence field alone is left out of every message.
        self.sessions = (o.session_store or SessionStore)(
            tag=protocol.tag,
            seq_field=protocol.fields.seq if protocol.resumable else None,
            limits=o.replay,
            detached_ttl_s=o.detached_ttl_s,
            low_priority=protocol.low_priority_types(),
            on_drop=self._on_drop,
            on_expire=self._expire,
            validate=self.validate,
        )
        if not protocol.resumable and self.sessions.shared:
            raise ValueError(
                "the protocol numbers nothing (no session roles or no sequence field role): a shared session store needs the resume "
                "capability (docs/roles.md); serve it with the in-memory store (no session_store)"
            )
        self.sessions.attach(self)
        self.pipeline = Pipeline(self)
        self.heartbeat = Heartbeat(o.heartbeat_interval_s, self.registry.all, self.pipeline.ping, self._stale)
        self._draining = Draining()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sweeper: asyncio.TimerHandle | None = None
        self._close_task: asyncio.Task[None] | None = None
        self._ids = 0
        self._id_prefix = secrets.token_hex(4) + "-"

    # -- hooks the connections share (ConnectionHooks) --
    def on_frame(self, c: Connection, text: str | None) -> None:
        """One inbound frame: the pipeline."""
        self.pipeline.on_frame(c, text)

    def on_slow(self, c: Connection) -> None:
        """The send buffer went over the hard budget: close with SLOW_CONSUMER (retryable; the replay buffer keeps the message)."""
        code = self.proto.close_code("SLOW_CONSUMER", 4001)
        self.logger.log(
            "warn", "slow_consumer", {"code": code, "connection_id": c.id, "buffered": c.socket.buffered_amount, "hint": "client reads too slowly"}
        )
        c.close(code, "slow consumer: send buffer over budget")

    def on_closed(self, c: Connection, code: int, reason: str, by_server: bool) -> None:
        """Unlinks, unindexes, counts and logs a closed connection (once)."""
        c.closed = True
        if c.resume_timer is not None:
            c.resume_timer.cancel()
            c.resume_timer = None
        self.registry.remove(c)
        if c.stream.conn is c:
            c.stream.conn = None
            c.stream.detached_at = time.monotonic()
            self.sessions.unlinked(c.stream, c, c.session.user_id)
        if by_server:
            self._draining.closed_by_server(c)
        else:
            self._draining.gone(c)
        self.metrics.count_close(code)
        level: LogLevel = "warn" if code >= 4000 or code in (1008, 1009, 1011) else "info"
        self.logger.log(
            level,
            "connection_closed",
            {
                "connection_id": c.id,
                "session_id": c.session.session_id,
                "endpoint": c.endpoint.key,
                "close_code": code,
                "reason": reason,
                "by": "server" if by_server else "client",
            },
        )

    def socket_gone(self, c: Connection) -> None:
        """The transport finished with a socket (its close handshake ended, or it was lost)."""
        self._draining.gone(c)

    def _check_outbound(self, msg: Mapping[str, Any]) -> None:
        """Validates one outbound message; logs ``invalid_outbound`` (code, type, errors, hint) and raises
        :class:`InvalidOutboundError` for an invalid one (callers check before a seq is taken: nothing is sent)."""
        issues = self.proto.validate(msg)
        if issues:
            code = self.proto.error_code("INTERNAL_ERROR")
            errors = [i.to_dict() for i in issues]
            kind = str(msg.get(self.proto.tag))
            self.logger.log(
                "error",
                "invalid_outbound",
                {"code": code, "type": kind, "errors": errors, "hint": "the server built a message its schema refuses: not sent, no seq taken"},
            )
            raise InvalidOutboundError(code, kind, errors)

    def _on_drop(self, kind: str) -> None:
        self.metrics.dropped += 1

    def _stale(self, c: Connection) -> None:
        code = self.proto.close_code("HEARTBEAT_TIMEOUT", 4002)
        self.logger.log("info", "heartbeat_timeout", {"code": code, "connection_id": c.id, "hint": "no frame within one heartbeat interval"})
        c.terminate(code, "heartbeat timeout")

    def _expire(self, state: SessionState) -> None:
        sid = state.info.session_id
        self.logger.log("info", "session_expired", {"session_id": sid})
        kind = self.proto.roles.session_expired
        for stream in list(state.streams.values()):
            self.dispatcher.abort_all(stream)
            c = stream.conn
            if kind is not None:
                f = self.proto.fields
                stream.send(self.proto.build(kind, {f.timestamp: timestamp(), f.session_id: sid}, self.app.session_fields(state.info)))
            if isinstance(c, Connection):
                c.close(self.proto.close_code("SESSION_EXPIRED", 4003), "session expired: refresh the token and reconnect")
        self.sessions.drop(state)

    def _start(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = loop = asyncio.get_running_loop()
            self.heartbeat.start(loop)
            self.sessions.start(loop)
            every = min(5.0, max(0.1, self.options.replay.ttl_s / 4))

            def sweep() -> None:
                self.sessions.sweep()
                self._sweeper = loop.call_later(every, sweep)

            self._sweeper = loop.call_later(every, sweep)
        return self._loop

    # -- the handshake and attaching sockets --
    async def handshake(self, req: HandshakeRequest) -> Accepted | Refused:
        """Decides an upgrade request (path, Origin, token, session, permission) before any WebSocket exists
        (handshake.py)."""
        self._start()
        return await decide_handshake(self, req)

    def open(self, socket: TransportSocket, a: Accepted) -> Connection | None:
        """Attaches an accepted socket; returns its connection, or None when it was closed at once (limit, shutdown)."""
        loop = self._start()
        if self.closing:
            socket.close(self.options.shutdown.code, "shutting down")
            return None
        stream, rejoined = self.sessions.link(a.session, a.endpoint, loop.call_later)
        previous = stream.conn if isinstance(stream.conn, Connection) else None
        users = self.registry.for_user(a.session.user_id) - (1 if previous is not None else 0) + self.sessions.remote_connections(a.session.user_id)
        if users >= self.options.max_connections_per_user:
            code = self.proto.close_code("TOO_MANY_CONNECTIONS", 4502)
            self.metrics.count_close(code)
            self.logger.log(
                "warn", "too_many_connections", {"code": code, "user_id": a.session.user_id, "limit": self.options.max_connections_per_user}
            )
            socket.close(code, f"too many connections for this user (limit {self.options.max_connections_per_user})")
            if stream.conn is None and stream.detached_at == 0:
                stream.detached_at = time.monotonic()
                self.sessions.unlinked(stream, None, a.session.user_id)
            return None
        self._ids += 1
        c = Connection(f"{self._id_prefix}{self._ids:x}", socket, a.endpoint, a.session, a.token, stream, self)
        if previous is not None:
            stream.conn = c
            previous.close(self.proto.close_code("REPLACED", 4505), "replaced by a newer connection of the same session")
        stream.conn = c
        stream.detached_at = 0
        self.registry.add(c)
        self.sessions.linked(c, a.session.user_id)
        self.metrics.opened += 1
        c.resume_floor = stream.seq
        self.pipeline.session_created(c)
        if rejoined:
            # Hold live messages until the client says what it has (session_resume), so replay stays in order.
            c.live = False
            c.resume_timer = loop.call_later(self.options.resume_wait_s, self.pipeline.go_live, c)
        self.logger.log(
            "info",
            "connection_opened",
            {
                "connection_id": c.id,
                "session_id": a.session.session_id,
                "user_id": a.session.user_id,
                "realm": a.session.attributes.get("realm", ""),
                "endpoint": a.endpoint.key,
                "rejoined": rejoined,
            },
        )
        return c

    # -- sending from outside a request --
    def send_to_session(self, session_id: str, endpoint_key: str, msg: Outbound) -> bool:
        """Sends a server message (a dict or a generated model: :func:`~wsgen_runtime.wire.as_message`) into a
        session's stream on an endpoint (numbered, buffered, replayable).

        With a shared store, a stream this process holds no connection of is handed to the store, which
        routes it to the node that does, or appends it for the next resume."""
        msg = as_message(msg)
        state = self.sessions.sessions.get(session_id)
        stream = state.streams.get(endpoint_key) if state is not None else None
        if stream is not None and (stream.conn is not None or not self.sessions.shared):
            return stream.send(msg)
        return self.sessions.send_elsewhere(session_id, endpoint_key, msg)

    def publish(self, audience: Audience, msg: Outbound) -> int:
        """Sends a copy of ``msg`` (a dict or a generated model: :func:`~wsgen_runtime.wire.as_message`) into the
        stream of every connection the audience selects; returns how many got it on this node (a shared store also
        hands it to the other nodes, which deliver to theirs)."""
        msg = as_message(msg)
        self.sessions.broadcast(audience, msg)
        return self.publish_local(audience, msg)

    def publish_local(self, audience: Audience, msg: Mapping[str, Any]) -> int:
        """The part of :meth:`publish` on this node's connections (a shared store calls it for the other nodes' publishes)."""
        n = 0
        msg = as_message(msg)
        for c in self.registry.select(audience):
            if c.stream.send({**msg, **self.app.session_fields(c.session)}):
                n += 1
        return n

    # -- health --
    def connection_health(self, cid: str) -> ConnectionHealth | None:
        """Health of one connection."""
        c = self.registry.get(cid)
        return None if c is None else c.health()

    def health(self) -> dict[str, Any]:
        """``{status, connections, sessions, inFlight}`` (status ``closing`` during shutdown): the Node server's
        ``/healthz`` body, key for key (the JSON is shared between runtimes, so its keys are the Node spelling)."""
        return {
            "status": "closing" if self.closing else "ok",
            "connections": len(self.registry),
            "sessions": len(self.sessions.sessions),
            "inFlight": len(self.dispatcher.pending),
        }

    @property
    def retry_after(self) -> int:
        """``Retry-After`` of a 503 while shutting down: the shutdown deadline in whole seconds, at least 1 (as Node)."""
        return max(1, math.ceil(self.options.shutdown.deadline_s))

    def heartbeat_tick(self) -> None:
        """One heartbeat round (the timer calls it; tests may too)."""
        self.heartbeat.tick()

    # -- graceful shutdown --
    def close(self) -> asyncio.Task[None]:
        """Graceful shutdown (idempotent): refuse handshakes with 503, close every connection at a uniformly random
        moment within the jitter window, close the rest at the deadline, abort requests, flush and free the buffers."""
        if self._close_task is None:
            self.closing = True
            self._close_task = asyncio.get_running_loop().create_task(graceful_shutdown(self, self._draining))
        return self._close_task

    def stop_sweeper(self) -> None:
        """Stops the timer that sweeps expired sessions (shutdown)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
