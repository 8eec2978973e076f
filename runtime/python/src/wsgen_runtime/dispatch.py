"""Runs request handlers: one reply, or an async iterator of stream chunks, under a deadline.

Replies go into the session stream, not the socket, so that they survive a
reconnect (numbered and buffered). How a reply or a chunk becomes a message is
the application's business (a :class:`Shaper`); this module knows only the
generic error replies (HANDLER_UNAVAILABLE, HANDLER_ERROR, HANDLER_TIMEOUT,
RATE_LIMITED), which the descriptor maps to the protocol's codes.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol

from .descriptor import ProtocolDescriptor
from .sessions import Stream
from .types import Endpoint, Logger, SessionInfo
from .wire import InvalidOutboundError, Outbound, as_message, error_reply

_ids = itertools.count(1)

if TYPE_CHECKING:  # a default (PEP 696) for type checkers only: typing.TypeVar takes none before Python 3.13
    from typing_extensions import TypeVar

    M = TypeVar("M", default=Any)
else:
    from typing import TypeVar

    M = TypeVar("M")


class Request(Generic[M]):
    """What a handler receives: the validated message, its session, endpoint and connection, the
    ``message_id`` replies carry, ``cancelled`` (set on timeout, expiry or shutdown) and ``emit``.

    ``Request[M]`` types ``message`` as ``M``: annotate a handler with the generated model of the type it is
    registered for (``def join(req: Request[JoinLobby])``) and ``mypy --strict`` checks its field names, as Node's
    handlers are typed by the descriptor; a bare ``Request`` is ``Request[Any]``. The runtime does not check ``M``:
    the message is what the generated ``parse`` returned for the registered type (its model).

    ``message_id`` is the request's correlation id; for a request sent without one it is None until a stream
    reply answers it, which gives it a server id ``s<n>`` (n hexadecimal), kept by its later error reply."""

    __slots__ = ("_cancelled", "connection_id", "done", "message", "message_id", "started", "stream", "task")

    def __init__(self, message: M, stream: Stream, connection_id: str, message_id: str | None, started: float | None = None) -> None:
        self.message = message
        self.stream = stream
        self.connection_id = connection_id
        self.message_id = message_id
        #: ``time.perf_counter()`` at the frame's arrival (before its parse), from which the handler duration runs.
        self.started = time.perf_counter() if started is None else started
        self._cancelled: asyncio.Event | None = None  # created on first use: a sync reply never needs one
        self.done = False
        self.task: asyncio.Task[None] | None = None

    @property
    def cancelled(self) -> asyncio.Event:
        """Set on timeout, session expiry or shutdown."""
        if self._cancelled is None:
            self._cancelled = asyncio.Event()
        return self._cancelled

    @property
    def session(self) -> SessionInfo:
        """The authenticated session."""
        return self.stream.owner.info

    @property
    def endpoint(self) -> Endpoint:
        """The endpoint the message arrived on."""
        return self.stream.endpoint

    def emit(self, msg: Outbound) -> bool:
        """Sends any other server message (progress, data...) into the session stream (numbered, buffered): a dict,
        or a generated model (written as ``dump_message`` writes it: a field never set is left out,
        :func:`~wsgen_runtime.wire.as_message`).

        Raises :class:`~wsgen_runtime.wire.InvalidOutboundError` (with outbound validation on) for a message the
        schema refuses: it is not sent and takes no seq; uncaught, the request fails with INTERNAL_ERROR."""
        return not self.done and self.stream.send(as_message(msg))


class Shaper(Protocol):
    """Turns a handler's results into the application's messages."""

    def reply(self, req: Request, value: Any) -> dict[str, Any]:
        """One complete reply."""
        ...

    def chunk(self, req: Request, value: Any, index: int) -> dict[str, Any]:
        """Stream chunk number ``index`` (0, 1, 2...)."""
        ...

    def end(self, req: Request, count: int) -> dict[str, Any]:
        """The end of a stream of ``count`` chunks."""
        ...


#: A handler: sync or async, returning one reply, an async iterator of chunks, or None (it used ``emit``).
Handler = Callable[[Request], Any]


@dataclass(frozen=True, slots=True)
class Wording:
    """How a request's failure is answered and logged, as the Node server does: ``failed`` (a handler raised, or its
    reply broke the schema) without ``expose_errors``, else ``exposed`` followed by the error's text; ``timeout``
    (no answer by the deadline) with ``{type}``, the request's message type, and ``{ms}``, the deadline in
    milliseconds; the log events of a failure and a timeout, and ``subject``, the log field naming what failed:
    ``type`` (the request's message type) or ``agent`` (the route's label, the bundled app's agent). The default
    is Node's ``createServer`` (runtime/server/pipeline.ts); :data:`AGENT_WORDING` is its chat service's
    (runtime/server/chat/service.ts), the bundled app's."""

    failed: str = "the server failed while handling the message"
    exposed: str = "handler failed: "
    timeout: str = "{type} was not answered within {ms} ms"
    error_event: str = "handler_error"
    timeout_event: str = "handler_timeout"
    subject: str = "type"


#: The bundled chat app's wording and log events, as the Node chat service's.
AGENT_WORDING = Wording(
    failed="the agent failed while handling the message",
    exposed="agent failed: ",
    timeout="the agent did not answer within {ms} ms",
    error_event="agent_error",
    timeout_event="agent_timeout",
    subject="agent",
)


@dataclass(frozen=True, slots=True)
class Route:
    """The handler of an endpoint and the shaper of its replies.

    ``types``: the client message types the handler serves; a message of another type is refused with a
    connection-level UNSUPPORTED_TYPE (no seq), as the Node server answers a type without a handler. None: the
    handler takes every type (it branches on the tag itself)."""

    handler: Handler
    shaper: Shaper
    types: frozenset[str] | None = None
    #: Label the latency series (``handler_duration_seconds{agent}``) by message type, as Node's ``createServer``
    #: does, rather than by the endpoint's label (the bundled app: its agent).
    label_by_type: bool = False
    #: The texts of its failure and timeout replies.
    wording: Wording = Wording()


class StreamReply:
    """A handler's streamed reply with the fields of its stream end (Node's ``replyStream(ref, chunks, end)``).

    ``chunks``: an async or a sync iterable; each value becomes a stream chunk (:meth:`Shaper.chunk`). ``end``: a
    mapping, or a function of no argument called after the last chunk (for totals known only then), whose fields go
    into the stream end; the shaper's own fields (:meth:`Shaper.end`: tag, correlation id, stream index...) win,
    as the runtime's fields win over ``end`` in Node's ``replyStream``."""

    __slots__ = ("_chunks", "end")

    def __init__(self, chunks: Any, end: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None) -> None:
        self._chunks = chunks
        self.end = end

    def __aiter__(self) -> AsyncIterator[Any]:
        c = self._chunks
        return c.__aiter__() if hasattr(c, "__aiter__") else _aiter(c)

    def end_fields(self) -> Mapping[str, Any]:
        """The stream end's fields given by the handler (empty without ``end``)."""
        e = self.end
        return {} if e is None else as_message(e() if callable(e) else e)


async def _aiter(items: Any) -> AsyncIterator[Any]:
    for item in items:
        yield item


class Dispatcher:
    """Routes validated requests to handlers and streams their replies, with a per-step deadline."""

    def __init__(
        self,
        proto: ProtocolDescriptor,
        *,
        timeout_s: float,
        max_in_flight: int,
        expose_errors: bool,
        logger: Logger,
        observe: Callable[[str, str, float], None],
    ) -> None:
        self._proto = proto
        self._tag_attr = proto.attr(proto.tag)  # the tag's attribute on a parsed message (`class` → `class_`)
        self._timeout = timeout_s
        self._max = max_in_flight
        self._expose = expose_errors
        self._log = logger
        self._observe = observe
        self.pending: set[Request] = set()

    def _error(self, stream: Stream, code: str, text: str, message_id: str | None) -> None:
        try:
            stream.send(error_reply(self._proto, code, text, message_id=message_id, session_id=stream.owner.info.session_id))
        except InvalidOutboundError:
            pass  # logged as invalid_outbound by the check; an error reply that breaks the schema is not sent either

    def dispatch(
        self, stream: Stream, connection_id: str, msg: Any, route: Route | None, message_id: str | None, started: float | None = None
    ) -> None:
        """Runs ``route``'s handler on ``msg``: a sync reply at once, anything else in a task with a deadline.

        ``started``: ``time.perf_counter()`` at the frame's arrival, before its parse (the pipeline's reading), from
        which ``handler_duration_seconds`` runs, as on Node; None: now (a call made outside a frame)."""
        # The message stays the client's: a request sent without a correlation id has none, and gets a server id
        # only from a stream reply (the stream-chunk and stream-end roles require one), in ``_run``.
        mid = message_id
        if route is None:
            self._error(stream, "HANDLER_UNAVAILABLE", f"nothing serves {stream.endpoint.key}", mid)
            return
        if stream.in_flight >= self._max:
            self._error(stream, "RATE_LIMITED", f"too many requests in flight (limit {self._max})", mid)
            return
        req = Request(msg, stream, connection_id, mid, started)
        label = str(getattr(msg, self._tag_attr)) if route.label_by_type else stream.endpoint.label or stream.endpoint.key
        try:
            result = route.handler(req)
        except Exception as err:
            self._fail(req, err, label, route.wording)
            return
        if type(result) is str or type(result) is dict or isinstance(result, Mapping):
            try:
                stream.send(route.shaper.reply(req, result))
            except Exception as err:  # an invalid reply (InvalidOutboundError) or a failing shaper: not sent, no seq
                self._fail(req, err, label, route.wording)
                return
            self._observe(label, "ok", time.perf_counter() - req.started)
            return
        if result is None:
            self._observe(label, "ok", time.perf_counter() - req.started)
            return
        stream.in_flight += 1
        self.pending.add(req)
        req.task = asyncio.get_running_loop().create_task(self._run(req, result, route, label))

    async def _run(self, req: Request, result: Any, route: Route, label: str) -> None:
        loop = asyncio.get_running_loop()
        shaper = route.shaper
        it: AsyncIterator[Any] | None = None
        try:
            async with asyncio.timeout(self._timeout) as deadline:
                r = (await result) if inspect.isawaitable(result) else result
                if hasattr(r, "__aiter__"):
                    it = r.__aiter__()
                    if req.message_id is None:
                        req.message_id = f"s{next(_ids):x}"
                    index = 0
                    while True:
                        deadline.reschedule(loop.time() + self._timeout)
                        try:
                            chunk = await it.__anext__()
                        except StopAsyncIteration:
                            break
                        req.stream.send(shaper.chunk(req, chunk, index))
                        index += 1
                    end = shaper.end(req, index)
                    extra = r.end_fields() if type(r) is StreamReply else None
                    req.stream.send({**end, **extra, **end} if extra else end)  # the shaper's fields win, in its order
                elif r is not None:
                    req.stream.send(shaper.reply(req, r))
            self._finish(req)
            self._observe(label, "ok", time.perf_counter() - req.started)
        except TimeoutError:
            if req.done or not deadline.expired():
                self._fail(req, TimeoutError("handler raised TimeoutError"), label, route.wording)
                return
            self._finish(req)
            req.cancelled.set()
            w, ms = route.wording, round(self._timeout * 1000)
            fields = self._log_fields(req, "HANDLER_TIMEOUT", label, w)
            fields["hint"] = f"no answer within {ms} ms"
            self._log.log("warn", w.timeout_event, fields)
            self._observe(label, "timeout", time.perf_counter() - req.started)
            self._error(req.stream, "HANDLER_TIMEOUT", w.timeout.format(type=self._kind(req), ms=ms), req.message_id)
        except asyncio.CancelledError:
            self._finish(req)
            raise
        except Exception as err:
            if not req.done:
                self._fail(req, err, label, route.wording)
        finally:
            aclose = getattr(it, "aclose", None)
            if aclose is not None and req.done:
                try:
                    await aclose()
                except (Exception, asyncio.CancelledError):
                    pass

    def _finish(self, req: Request) -> None:
        if req.done:
            return
        req.done = True
        if req in self.pending:
            self.pending.discard(req)
            req.stream.in_flight -= 1

    def _kind(self, req: Request) -> str:
        """The request's message type (its tag value)."""
        return str(getattr(req.message, self._proto.tag, None))

    def _log_fields(self, req: Request, code: str, label: str, w: Wording) -> dict[str, Any]:
        """The fields a failure's or a timeout's log line starts with, in Node's order, and the endpoint."""
        return {
            "code": self._proto.error_code(code),
            "connection_id": req.connection_id,
            "message_id": req.message_id,
            w.subject: label if w.subject == "agent" else self._kind(req),
            "endpoint": req.endpoint.key,
        }

    def _fail(self, req: Request, err: BaseException, label: str, wording: Wording) -> None:
        """The handler raised, or its reply, a stream chunk or end (or an ``emit``) broke the schema
        (:class:`InvalidOutboundError`: not sent, no seq taken): the requester gets the handler-failure code, as
        the Node server answers (the protocol's INTERNAL_ERROR; the bundled protocol's AGENT_ERROR, as the Node
        chat app), with the route's :class:`Wording`, the error's text only with ``expose_errors``. The log line
        (``handler_error``; the chat app's ``agent_error``) has Node's fields (``code``, ``connection_id``,
        ``message_id``, ``type``: the request's message type, or ``agent``, ``error``, ``hint``) and the endpoint;
        an invalid message also its ``errors``."""
        self._finish(req)
        fields = self._log_fields(req, "HANDLER_ERROR", label, wording)
        if isinstance(err, InvalidOutboundError):
            fields.update(error=str(err), errors=err.issues, hint=f"the handler's {err.kind} breaks the schema: not sent, no seq taken")
        else:
            fields.update(error=repr(err), hint="the handler raised or its stream failed")
        self._log.log("warn", wording.error_event, fields)
        self._observe(label, "error", time.perf_counter() - req.started)
        text = f"{wording.exposed}{err}" if self._expose else wording.failed
        self._error(req.stream, "HANDLER_ERROR", text, req.message_id)

    def abort_all(self, stream: Stream | None = None) -> None:
        """Cancels every pending request (of ``stream`` only, when given): shutdown or session expiry."""
        for req in list(self.pending):
            if stream is not None and req.stream is not stream:
                continue
            self._finish(req)
            req.cancelled.set()
            if req.task is not None:
                req.task.cancel()
