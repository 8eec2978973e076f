"""Handlers per message type over the generic core: the :class:`~wsgen_runtime.application.Application` and the
:class:`~wsgen_runtime.dispatch.Shaper` behind :func:`wsgen_runtime.server_app.create_server`.

A handler takes the :class:`~wsgen_runtime.dispatch.Request` (``req.message``: the parsed, validated message;
``req.session``, ``req.endpoint``, ``req.emit``, ``req.cancelled``) and returns, directly or awaited:

- a message (a dict, or a generated pydantic model; a model anywhere is written as ``dump_message`` writes it,
  :func:`~wsgen_runtime.wire.to_json`) with its tag: the reply, into the session stream (numbered,
  buffered); its correlation id is the request's, and its timestamp field (``timestamp_field``) the time, when the
  handler leaves them out;
- :func:`stream` ``(chunks, end=...)``, or any async iterator: a streamed reply, each value the stream-content of
  one stream-chunk message (stream index 0, 1, 2...), then the stream-end message with the ``end`` fields;
- None: nothing (the handler used ``req.emit``).

A type without a handler is answered UNSUPPORTED_TYPE (connection-level, no seq), as by Node's ``createServer``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .descriptor import ProtocolDescriptor
from .dispatch import Request, Route, StreamReply
from .endpoints import ConfigError
from .types import Endpoint, SessionInfo
from .wire import as_message, timestamp

#: Decorates each stream chunk and stream end the runtime builds (the application's own fields), in place.
Decorate = Callable[[dict[str, Any], Request], None]


def stream(chunks: Any, end: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None) -> StreamReply:
    """A streamed reply: ``chunks`` (an async or sync iterable) become stream-chunk messages, then the stream end
    carries ``end``'s fields (a mapping, or a function called after the last chunk); the runtime's own fields (tag,
    correlation id, stream index, seq) win over them, as in Node's ``replyStream(ref, chunks, end)``."""
    return StreamReply(chunks, end)


def handled_types(proto: ProtocolDescriptor) -> list[str]:
    """The message types a handler may be registered for, in the protocol's order: those a client may send
    (``x-direction`` client or both), less the role messages the runtime answers itself (ping, pong, session
    resume; docs/roles.md)."""
    roles = proto.roles
    answered = {roles.ping, roles.pong, roles.session_resume} - {None}
    return [t for t in proto.messages if proto.is_client_type(t) and t not in answered]


def check_handlers(proto: ProtocolDescriptor, handlers: Mapping[str, Any]) -> None:
    """Refuses handlers the runtime would never call (:class:`ConfigError` at ``handlers.<type>``): an unknown type,
    a server-only type, a role message the runtime answers itself (ping, pong, resume), or a handler that is not
    callable. The checks of Node's ``createServer``; the hint of the first three lists :func:`handled_types`."""
    allowed = handled_types(proto)
    listed = ", ".join(allowed) if allowed else "none: the protocol has no message a handler answers"
    for kind, fn in handlers.items():
        if kind not in proto.messages:
            raise ConfigError(f"handlers.{kind}", f"{kind} is not a message type of the protocol", f"register a handler for one of: {listed}")
        if not proto.is_client_type(kind):
            raise ConfigError(
                f"handlers.{kind}", f"clients may not send {kind} (x-direction server)", f"remove it; a handler may be registered for: {listed}"
            )
        if kind not in allowed:
            raise ConfigError(
                f"handlers.{kind}", f"{kind} is a role message the runtime answers itself", f"remove it; a handler may be registered for: {listed}"
            )
        if not callable(fn):
            raise ConfigError(f"handlers.{kind}", f"the handler is a {type(fn).__name__}, not a function", "pass a function of the request")


class HandlerShaper:
    """Builds replies, stream chunks and stream ends from the protocol's roles (docs/roles.md)."""

    def __init__(self, proto: ProtocolDescriptor, decorate: Decorate | None) -> None:
        self._proto = proto
        self._decorate = decorate
        f = proto.fields
        self._cid = f.correlation_id
        self._index = f.stream_index
        self._content = f.stream_content
        self._ts = f.timestamp

    def reply(self, req: Request, value: Any) -> dict[str, Any]:
        """The handler's message, with the request's correlation id and (``timestamp_field``) the time when the message
        leaves them out and its type has them (no correlation id for a request sent without one)."""
        msg = dict(as_message(value))
        has = self._proto.carries.get(str(msg.get(self._proto.tag)))
        cid = self._cid
        if cid is not None and req.message_id is not None and cid not in msg and (has is None or cid in has):
            msg[cid] = req.message_id
        ts = self._ts
        if ts is not None and ts not in msg and (has is None or ts in has):
            msg[ts] = timestamp()
        return msg

    def _built(self, kind: str | None, req: Request, pairs: dict[str | None, Any]) -> dict[str, Any]:
        if kind is None:
            raise ValueError("the protocol has no stream-chunk and stream-end roles: a handler cannot stream (docs/roles.md, streams)")
        msg = self._proto.build(kind, {self._ts: timestamp(), self._cid: req.message_id, **pairs})
        if self._decorate is not None:
            self._decorate(msg, req)
        return msg

    def chunk(self, req: Request, value: Any, index: int) -> dict[str, Any]:
        """Stream chunk ``index``: ``value`` is its stream-content."""
        return self._built(self._proto.roles.stream_chunk, req, {self._index: index, self._content: value})

    def end(self, req: Request, count: int) -> dict[str, Any]:
        """The stream end after ``count`` chunks (its stream index, when its type has one, is ``count``)."""
        return self._built(self._proto.roles.stream_end, req, {self._index: count})


class HandlerApplication:
    """An :class:`~wsgen_runtime.application.Application` of concrete endpoints and handlers by message type."""

    def __init__(
        self,
        proto: ProtocolDescriptor,
        endpoints: Mapping[str, Endpoint],
        handlers: Mapping[str, Callable[[Request], Any]],
        *,
        decorate: Decorate | None = None,
        session_fields: Callable[[SessionInfo], Mapping[str, Any]] | None = None,
    ) -> None:
        check_handlers(proto, handlers)
        self._endpoints = dict(endpoints)
        self._handlers = dict(handlers)
        self._tag = proto.tag
        self._fields = session_fields
        self._route = Route(self._handle, HandlerShaper(proto, decorate), frozenset(self._handlers), label_by_type=True)

    def _handle(self, req: Request) -> Any:
        """Runs the handler of the message's type (the pipeline refused the other types with UNSUPPORTED_TYPE)."""
        kind = getattr(req.message, self._tag)
        result = self._handlers[kind if type(kind) is str else str(kind)](req)
        return as_message(result) if hasattr(result, "model_dump") else result  # a model: a dict, for the sync path

    def match(self, path: str) -> Endpoint | None:
        """The endpoint of a concrete request path, or None (404)."""
        return self._endpoints.get(path)

    def route(self, endpoint: Endpoint) -> Route | None:
        """One route for every endpoint: handlers are by message type (``req.endpoint`` tells endpoints apart)."""
        return self._route

    def session_fields(self, session: SessionInfo) -> Mapping[str, Any]:
        """The ``session_fields`` option's fields, else none."""
        return self._fields(session) if self._fields is not None else {}
