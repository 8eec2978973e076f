"""The per-frame pipeline and resume (PROTOCOL.md "Wire rules", "Session resume").

Per inbound frame: binary → close 1003; oversize → close 1009; token bucket →
RATE_LIMITED, or close 4503 after ``close_after`` refusals in a row; one parse +
validate → INVALID_MESSAGE; server-only type → UNSUPPORTED_TYPE; foreign
``session_token`` / ``session_id`` → UNAUTHORIZED; a field named like a path
parameter with another value → FORBIDDEN; the application's ``refuse`` → its error; then ping → pong, pong → nothing,
resume → replay, any other client type → the endpoint's handler (UNSUPPORTED_TYPE when its
route lists the types it serves and this one is not among them). Every reply to
one bad frame is connection-level: no seq, never replayed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .auth import safe_equal
from .descriptor import IssueLike
from .endpoints import path_text
from .limits import TokenBucket
from .sessions import ReplayPlan
from .wire import InvalidOutboundError, error_reply, invalid_reply, salvage_message_id, timestamp

if TYPE_CHECKING:
    from .connection import Connection
    from .core import ServerCore

_ids = itertools.count(1)
#: What the pipeline does with a valid message a client may send (by its tag, see ``Pipeline._actions``).
_HANDLE, _PING, _PONG, _RESUME = 0, 1, 2, 3


class Pipeline:
    """Handles the frames of every connection of one core."""

    def __init__(self, core: ServerCore) -> None:
        self.core = core
        self.proto = core.proto
        f = core.proto.fields
        self._cid = f.correlation_id
        self._tag = core.proto.tag
        self._parse = core.proto.parse
        # A parsed message holds each field under its attribute (`class` → `class_`): the names read per frame.
        attr = core.proto.attr
        self._tag_attr = attr(self._tag)
        self._cid_attr = attr(self._cid) if self._cid is not None else None
        self._token_field = attr(f.session_token) if f.session_token is not None else None
        self._session_field = attr(f.session_id) if f.session_id is not None else None
        roles = core.proto.roles
        resume = roles.session_resume if core.proto.resumable else None  # the runtime serves a resume only with the capability
        #: Every type a client may send → its action (a ping role wins over pong, pong over resume); others are UNSUPPORTED_TYPE.
        self._actions: dict[str, int] = {}
        for t in core.proto.messages:
            if core.proto.is_client_type(t):
                self._actions[t] = _PING if t == roles.ping else _PONG if t == roles.pong else _RESUME if t == resume else _HANDLE
        #: The application's optional refusal of a valid message (application.py), or None.
        self._refuse = getattr(core.app, "refuse", None)
        #: Connections waiting for a replay plan (a shared store answers after a round trip): no second flush meanwhile.
        self._replaying: set[Connection] = set()

    def _ephemeral(self, c: Connection, msg: dict[str, Any]) -> None:
        try:
            c.send_ephemeral(msg, str(msg[self._tag]))
        except InvalidOutboundError:
            pass  # logged as invalid_outbound by the check: not sent, and the connection stays open

    def _reject(self, c: Connection, code: str, text: str, message_id: Any) -> None:
        self._ephemeral(c, error_reply(self.proto, code, text, message_id=message_id if isinstance(message_id, str) else None))

    def session_created(self, c: Connection) -> None:
        """The first message of every connection (no seq field role: its ``seq`` is the stream's latest)."""
        kind = self.proto.roles.session_created
        if kind is None:
            return
        f = self.proto.fields
        s = c.stream
        msg = self.proto.build(
            kind,
            {
                f.timestamp: timestamp(),
                f.session_id: c.session.session_id,
                f.schema_hash: self.proto.schema_hash,
                f.epoch: s.epoch,
                f.seq: s.seq,
            },
            self.core.app.session_fields(c.session),
            c.endpoint.fields,
        )
        self._ephemeral(c, msg)

    def ping(self, c: Connection) -> None:
        """A protocol ping (heartbeat), connection-level; none when the protocol's ping is client-only."""
        kind = self.proto.roles.ping
        if kind is not None and self.proto.sends(kind):
            self._ephemeral(c, self.proto.build(kind, {self.proto.fields.timestamp: timestamp(), self._cid: f"hb-{next(_ids):x}"}))

    def on_frame(self, c: Connection, text: str | None) -> None:
        """One inbound frame (None: binary): the checks in the module's order, then the handler.

        The common case runs inline (one call per frame); every refusal is a helper.
        """
        if c.closed:
            return
        core = self.core
        c.alive = True
        c.messages_in += 1
        if text is None:
            self._binary(c)
            return
        arrived = time.perf_counter()  # the handler duration runs from here, before the parse (as Node's frame clock)
        limit = core.options.max_payload
        if len(text) * 4 > limit and len(text.encode()) > limit:
            core.metrics.count_invalid("size")
            c.close(1009, f"frame over {limit} bytes")
            return
        c.last_seen_at = time.time()
        if core.options.rate_limit is not None and not self._admit(c):
            return
        parsed = self._parse(text)
        if not parsed.ok:
            self._invalid(c, text, parsed.errors)  # type: ignore[attr-defined]
            return
        m = parsed.value  # type: ignore[attr-defined]
        kind = getattr(m, self._tag_attr)
        if type(kind) is not str:
            kind = str(kind)
        mid = getattr(m, self._cid_attr, None) if self._cid_attr is not None else None
        counts = core.metrics.in_by_type  # count_in, inline: once per frame
        counts[kind] = counts.get(kind, 0) + 1
        action = self._actions.get(kind)
        if action is None:
            self._reject(c, "UNSUPPORTED_TYPE", f"clients may not send {kind}", mid)
            return
        name = self._token_field
        token = getattr(m, name, None) if name is not None else None
        if token is not None and not safe_equal(str(token), c.token):
            self._foreign(c, mid, "session_token differs from the handshake token", "session_token is not this connection's token")
            return
        name = self._session_field
        sid = getattr(m, name, None) if name is not None else None
        if sid is not None and sid != c.session.session_id:
            self._foreign(c, mid, "session_id differs from the connection session", "session_id is not this connection's session")
            return
        if action != _HANDLE:
            self._control(c, m, action, mid)
            return
        endpoint = c.endpoint
        if endpoint.params and self._forbidden(c, m, kind, mid):
            return
        if self._refuse is not None:
            refusal = self._refuse(m, endpoint)
            if refusal is not None:
                self._reject(c, refusal[0], refusal[1], mid)
                return
        if not c.live:
            self.go_live(c)
        route = core.app.route(endpoint)
        if route is not None and route.types is not None and kind not in route.types:
            self._reject(c, "UNSUPPORTED_TYPE", f"no handler serves {kind} on {endpoint.key}", mid)  # as the Node server
            return
        core.dispatcher.dispatch(c.stream, c.id, m, route, mid, arrived)

    def _binary(self, c: Connection) -> None:
        """A binary frame: the protocol is text-only (close 1003)."""
        self.core.metrics.count_invalid("binary")
        self.core.logger.log(
            "info", "binary_frame", {"code": self.proto.error_code("INVALID_MESSAGE"), "connection_id": c.id, "hint": "the protocol is text-only"}
        )
        c.close(1003, "binary frames are not supported")

    def _admit(self, c: Connection) -> bool:
        """The connection's token bucket: False when the frame was refused (RATE_LIMITED, or close 4503 after ``close_after`` in a row)."""
        core = self.core
        rl = core.options.rate_limit
        if rl is None:
            return True
        now = time.monotonic()
        bucket = c.bucket
        if bucket is None:
            bucket = c.bucket = TokenBucket(rl.capacity, rl.refill_per_second, now)
        if bucket.take(now):
            c.strikes = 0
            return True
        core.metrics.rate_limited += 1
        c.strikes += 1
        if c.strikes >= rl.close_after:
            code = self.proto.close_code("RATE_LIMIT_EXCEEDED", 4503)
            core.logger.log("warn", "rate_limit_exceeded", {"code": code, "connection_id": c.id, "hint": "kept flooding after RATE_LIMITED"})
            c.close(code, "rate limit exceeded")
            return False
        self._reject(c, "RATE_LIMITED", "too many messages: this one was dropped; slow down", None)
        return False

    def _invalid(self, c: Connection, text: str, issues: Sequence[IssueLike]) -> None:
        """A frame that failed parsing or validation: INVALID_MESSAGE with its issues (connection-level)."""
        first = issues[0]
        self.core.metrics.count_invalid(first.keyword)
        mid = salvage_message_id(text, self._cid)
        self.core.logger.log(
            "debug",
            "invalid_message",
            {
                "code": self.proto.error_code("INVALID_MESSAGE"),
                "connection_id": c.id,
                "message_id": mid,
                "path": first.path,
                "keyword": first.keyword,
            },
        )
        self._ephemeral(c, invalid_reply(self.proto, issues, mid))

    def _forbidden(self, c: Connection, m: Any, kind: str, mid: Any) -> bool:
        """Whether a field named like a path parameter (by wire name: ``class`` is read from ``class_``) holds another
        value than the parameter, compared as path text (:func:`~wsgen_runtime.endpoints.path_text`: the field
        ``level: 2`` matches the parameter ``"2"``); then refused with FORBIDDEN, the text of Node's ``params.ts``.
        An absent or null field is no mismatch."""
        for name, value in c.endpoint.params.items():
            attr = self.proto.attribute(kind, name)
            given = getattr(m, attr, None) if attr is not None else None
            if given is None:
                continue
            text = path_text(given)
            if text != value:
                self._reject(c, "FORBIDDEN", f"{name} {text} is not served on {c.endpoint.key}", mid)
                return True
        return False

    def _foreign(self, c: Connection, mid: Any, hint: str, text: str) -> None:
        """A message naming another session (token or id): logged, refused with UNAUTHORIZED."""
        self.core.logger.log(
            "warn", "foreign_session", {"code": self.proto.error_code("UNAUTHORIZED"), "connection_id": c.id, "message_id": mid, "hint": hint}
        )
        self._reject(c, "UNAUTHORIZED", text, mid)

    def _control(self, c: Connection, m: Any, action: int, mid: Any) -> None:
        """ping → pong (same correlation id), pong → nothing, session_resume → replay."""
        f = self.proto.fields
        if action == _PING:
            pong = self.proto.roles.pong or self.proto.roles.ping or ""
            self._ephemeral(c, self.proto.build(pong, {f.timestamp: timestamp(), self._cid: mid if mid is not None else f"pong-{next(_ids):x}"}))
        elif action == _RESUME:
            attr = self.proto.attr
            self.resume(c, int(getattr(m, attr(str(f.last_seq)))), str(getattr(m, attr(str(f.epoch)))), mid)

    def _recovery_failed(self, c: Connection, details: dict[str, Any], text: str) -> None:
        self._ephemeral(c, error_reply(self.proto, "RECOVERY_FAILED", text, session_id=c.session.session_id, details=details))

    def go_live(self, c: Connection) -> None:
        """Ends the wait for a resume: flush what was produced since the link (reporting a gap), then go live."""
        if c.live or c.closed or c in self._replaying:
            return
        if c.resume_timer is not None:
            c.resume_timer.cancel()
            c.resume_timer = None
        self._replaying.add(c)
        c.stream.replay(c.resume_floor, lambda plan: self._flush(c, plan))

    def _flush(self, c: Connection, plan: ReplayPlan) -> None:
        self._replaying.discard(c)
        if c.live or c.closed:
            return
        if plan.missing is not None:
            self._recovery_failed(
                c,
                {"first_missing": plan.missing[0], "last_missing": plan.missing[1]},
                "some server messages are no longer buffered and cannot be replayed",
            )
        for t in plan.texts:
            c.deliver(t, "replay")
        c.live = True

    def resume(self, c: Connection, last_seq: int, epoch: str, message_id: Any) -> None:
        """Replays the stream after ``last_seq`` of ``epoch``, reporting every gap with RECOVERY_FAILED, then session_updated."""
        if c.resume_timer is not None:
            c.resume_timer.cancel()
            c.resume_timer = None
        s = c.stream
        same = epoch == s.epoch
        if not same:
            self._recovery_failed(
                c,
                {"first_missing": None, "last_missing": None, "latest_seq": s.seq, "reason": "epoch_mismatch", "epoch": s.epoch},
                f"epoch {epoch} is not the stream's epoch {s.epoch}: the messages after last_seq {last_seq} are lost (restart?)",
            )
        self._replaying.add(c)
        s.replay(last_seq if same else 0, lambda plan: self._resumed(c, plan, last_seq, same, message_id))

    def _resumed(self, c: Connection, plan: ReplayPlan, last_seq: int, same: bool, message_id: Any) -> None:
        self._replaying.discard(c)
        if c.closed:
            return
        s = c.stream
        if plan.ahead:
            self._recovery_failed(
                c,
                {"first_missing": None, "last_missing": None, "latest_seq": s.seq, "reason": "last_seq_ahead"},
                f"last_seq {last_seq} is beyond the latest seq {s.seq}: the server does not know that history (restart?)",
            )
        elif plan.missing is not None:
            self._recovery_failed(
                c,
                {"first_missing": plan.missing[0], "last_missing": plan.missing[1]},
                "some server messages are no longer buffered and cannot be replayed",
            )
        for t in plan.texts:
            c.deliver(t, "replay")
        c.live = True
        kind = self.proto.roles.session_updated
        if kind is None:
            return
        f = self.proto.fields
        gap = plan.missing is not None or plan.ahead or not same
        upd = self.proto.build(
            kind,
            {
                f.timestamp: timestamp(),
                f.session_id: c.session.session_id,
                f.status: "resumed_with_gap" if gap else "resumed",
                self._cid: message_id if isinstance(message_id, str) else None,
            },
            self.core.app.session_fields(c.session),
        )
        s.send(upd)
