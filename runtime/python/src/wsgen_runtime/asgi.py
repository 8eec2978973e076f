"""The ASGI transport: one WebSocket endpoint for Starlette, FastAPI or any ASGI server.

Refusals before the upgrade: when the server offers the WebSocket Denial
Response extension (``scope["extensions"]["websocket.http.response"]``, ASGI
spec 2.4; uvicorn has it with every WebSocket implementation: websockets,
websockets-sansio, wsproto), the refusal is a real HTTP response (401, 403, 404,
503) with a text body. Without it, the only refusal ASGI allows is a
``websocket.close`` before ``websocket.accept``, which servers turn into HTTP
403 (uvicorn, hypercorn, daphne): the status is then 403 whatever the reason.

Sending: the core's ``send`` is synchronous; frames wait in a per-connection
queue. What handling one inbound frame queues is sent inline once the frame is
handled, in :meth:`AsgiSocket.pump` (no task per reply); what other tasks queue (streams, timers) is sent
by a task that exists only while the queue is not empty (idle connections hold
no task and no queue). One sender at a time keeps frames in order. ``buffered_amount`` counts the bytes in that queue:
``await send`` blocks while the server's transport is paused (uvicorn's
flow control), so a client that does not read makes it grow (backpressure).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any

from .connection import Connection
from .core import HandshakeRequest, Refused, ServerCore
from .limits import truncate_close_reason
from .metrics import ServerMetrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: The ASGI extension that lets an application answer an upgrade with an HTTP response.
DENIAL_EXTENSION = "websocket.http.response"


class AsgiSocket:
    """A :class:`wsgen_runtime.types.TransportSocket` over an ASGI ``send`` callable."""

    __slots__ = ("_closing", "_in_frame", "_loop", "_queue", "_send", "_sending", "buffered_amount", "drained", "gone")

    def __init__(self, send: Send, loop: asyncio.AbstractEventLoop) -> None:
        self._send = send
        self._loop = loop
        self._queue: deque[tuple[Message, int]] | None = None  # created on demand, dropped once drained (idle sockets hold none)
        #: UTF-8 bytes queued but not yet handed to the server (a plain attribute: read once per reply).
        self.buffered_amount = 0
        self._closing = False
        self._in_frame = False  # while pump() handles a frame, sends wait for its inline flush (no task)
        self._sending = False  # one sender at a time, so frames leave in order
        self.gone = False
        self.drained: asyncio.Task[None] | None = None

    def send(self, text: str) -> None:
        """Queues a text frame (ignored once closing)."""
        if self._closing or self.gone:
            return
        size = len(text) if text.isascii() else len(text.encode())
        queue = self._queue  # inline: once per reply (what _pending and _kick do)
        if queue is None:
            queue = self._queue = deque()
        queue.append(({"type": "websocket.send", "text": text}, size))
        self.buffered_amount += size
        if not (self._in_frame or self._sending):
            self._kick()

    def close(self, code: int, reason: str) -> None:
        """Queues a close frame after what is queued."""
        if self._closing or self.gone:
            return
        self._closing = True
        self._pending().append(({"type": "websocket.close", "code": code, "reason": truncate_close_reason(reason)}, 0))
        self._kick()

    def terminate(self, code: int) -> None:
        """Drops what is queued and sends a close frame at once."""
        self._queue = None
        #: UTF-8 bytes queued but not yet handed to the server (a plain attribute: read once per reply).
        self.buffered_amount = 0
        self._closing = False
        self.close(code, "")

    def _pending(self) -> deque[tuple[Message, int]]:
        if self._queue is None:
            self._queue = deque()
        return self._queue

    def _kick(self) -> None:
        if self._in_frame or self._sending:
            return
        self._sending = True
        self.drained = self._loop.create_task(self._drain())

    async def pump(
        self, receive: Receive, conn: Connection | None, on_frame: Callable[[Connection, str | None], None], metrics: ServerMetrics
    ) -> None:
        """Feeds ``conn`` every inbound frame until the client disconnects (``conn`` None: frames are dropped).

        What handling one frame queues is sent right after it, here: the usual single reply needs no task and
        no coroutine of its own; more than one, or a close, go through the drain. A send that fails (the client
        went away) drops the queue; the loop goes on until the server reports the disconnect.
        """
        send = self._send
        while True:
            m = await receive()
            kind = m["type"]
            if kind == "websocket.receive":
                if conn is None:
                    continue
                text = m.get("text")
                self._in_frame = True
                try:
                    on_frame(conn, text if isinstance(text, str) else None)
                finally:
                    self._in_frame = False
                    queue = self._queue
                    if queue and not self._sending:
                        if len(queue) == 1 and not self._closing:
                            msg, size = queue.popleft()
                            self._queue = None
                            self._sending = True
                            try:
                                await send(msg)
                                self.buffered_amount -= size
                            except Exception:  # the client went away (uvicorn raises ClientDisconnected, an OSError)
                                self._lost()
                            finally:
                                self._sending = False
                            if self._queue:  # queued while the send awaited
                                self._kick()
                        else:
                            self._sending = True
                            await self._drain()
            elif kind == "websocket.disconnect":
                code = int(m.get("code", 1005))
                if code in (1007, 1009):
                    metrics.count_invalid("utf8" if code == 1007 else "size")
                if conn is not None:
                    conn.on_close(code, str(m.get("reason") or ""))
                return

    def _lost(self) -> None:
        self.gone = True
        self._queue = None
        self.buffered_amount = 0

    async def _drain(self) -> None:
        try:
            while self._queue:
                msg, size = self._queue.popleft()
                try:
                    await self._send(msg)
                finally:
                    self.buffered_amount -= size
            self._queue = None
        except Exception:  # the client went away (uvicorn raises ClientDisconnected, an OSError)
            self._lost()
        finally:
            self._sending = False
            if self._queue is None:
                self.drained = None  # the finished task is not kept by an idle socket


def _header(scope: Scope, name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == name]
    return ", ".join(values) if values else None


async def refuse(scope: Scope, send: Send, status: int, reason: str, retry_after: int | None = None) -> None:
    """Refuses an upgrade: an HTTP response where the server supports the denial extension, else a close (HTTP 403).
    ``retry_after``: seconds for a ``Retry-After`` header (RFC 9110 §10.2.3; the 503 while shutting down)."""
    if DENIAL_EXTENSION in (scope.get("extensions") or {}):
        phrase = HTTPStatus(status).phrase
        body = f"{status} {phrase}: {reason}\n".encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        if retry_after is not None:
            headers.append((b"retry-after", str(retry_after).encode()))
        await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
    else:
        await send({"type": "websocket.close", "code": 1008, "reason": ""})


class WebSocketEndpoint:
    """A raw ASGI application serving the core's endpoints (mount it on a Starlette ``WebSocketRoute``)."""

    def __init__(self, core: ServerCore) -> None:
        self.core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serves one WebSocket scope: handshake, then frames until the socket closes."""
        if scope["type"] != "websocket":
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"not found\n"})
            return
        first = await receive()
        if first["type"] != "websocket.connect":
            return
        core = self.core
        protocols = tuple(scope.get("subprotocols") or ())
        query = scope.get("query_string", b"").decode("latin-1")
        req = HandshakeRequest(path=scope.get("path", "/"), query=query, origin=_header(scope, b"origin"), protocols=protocols)
        try:
            decision = await core.handshake(req)
        except Exception as err:
            core.logger.log(
                "error",
                "handshake_failed",
                {
                    "code": core.proto.error_code("INTERNAL_ERROR"),
                    "error": repr(err),
                    "path": req.path,
                    "hint": "the handshake raised: the client got HTTP 500",
                },
            )
            await refuse(scope, send, 500, "internal error")
            return
        if isinstance(decision, Refused):
            if decision.close_code is not None:  # after the upgrade, so that a browser reads the code and reason
                await send({"type": "websocket.accept", "subprotocol": decision.subprotocol})
                await send({"type": "websocket.close", "code": decision.close_code, "reason": truncate_close_reason(decision.reason)})
                return
            await refuse(scope, send, decision.status, decision.reason, decision.retry_after)
            return
        await send({"type": "websocket.accept", "subprotocol": decision.subprotocol})
        sock = AsgiSocket(send, asyncio.get_running_loop())
        conn = core.open(sock, decision)
        try:
            await sock.pump(receive, conn, core.pipeline.on_frame, core.metrics)
        finally:
            if conn is not None:
                if not conn.closed:
                    conn.on_close(1006, "transport ended")
                core.socket_gone(conn)
            if sock.drained is not None:
                await asyncio.gather(sock.drained, return_exceptions=True)
