"""An asyncio client on the ``websockets`` library, for Python services, bots and tests.

Reconnects with full-jitter backoff and the close-code table (retry.py), queues sends while disconnected
(bounded, queue.py), sends protocol pings and closes a socket whose pong is late with 4002 (with the ping and
pong roles), resumes with its last seq and epoch on every connect and drops what it already processed (with
the resume capability: ``ProtocolDescriptor.resumable``, as the TS client's resume plugin), and offers
request/reply and streams keyed by the correlation id. Like the server core it reads a ProtocolDescriptor only.
"""

from __future__ import annotations

import asyncio
import inspect
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Literal

import websockets
from websockets.asyncio.client import ClientConnection
from websockets.typing import Subprotocol

from ..auth import token_protocols
from ..descriptor import Issue, ProtocolDescriptor
from ..logs import JsonLogger
from ..types import Logger
from ..versions import parse_version_refusal, schema_protocols
from ..wire import Outbound, as_message, timestamp, to_json
from .errors import ClientError, InvalidMessageError, RequestTimeoutError, server_error
from .gaps import GapWatch
from .inbound import Refused, decode_frame
from .options import ClientOptions
from .queue import SendQueue
from .retry import decide_retry, full_jitter_delay

#: A token, or a function returning one (called before every connect: refresh it there).
TokenSource = str | Callable[[], str | Awaitable[str]]
Status = Literal["idle", "connecting", "open", "reconnecting", "closed", "failed"]
SendResult = Literal["sent", "queued", "dropped"]


def _get(m: dict[str, Any], name: str | None) -> Any:
    """``m[name]``, or None when the protocol lacks the field (``name`` None) or the message lacks it."""
    return m.get(name) if name is not None else None


class WsgenClient:
    """One logical connection to one endpoint URL that survives reconnects."""

    def __init__(self, url: str, token: TokenSource, protocol: ProtocolDescriptor, options: ClientOptions | None = None) -> None:
        self.url = url
        self.proto = protocol
        self.options = options or ClientOptions()
        self.status: Status = "idle"
        self.session_id: str | None = None
        self.epoch: str | None = None
        self.last_seq = 0
        self.reconnects = 0
        self._target = 0
        #: Resume outcomes in order: "resumed", "resumed_with_gap" (the server said so), "reset" (a new session).
        self.resumes: list[str] = []
        #: RECOVERY_FAILED details received, and the seq jumps no RECOVERY_FAILED announced
        #: (``{first_missing, last_missing, reason: "gap_detected"}``, as the TS client's ``gap_detected``).
        self.recovery_failures: list[dict[str, Any]] = []
        self._gaps = GapWatch()
        #: The resume capability: wait for session_created, resume, drop seen seqs (else open at once, seqs ignored).
        self._resumable = protocol.resumable
        chunk = protocol.roles.stream_chunk
        #: The tags of stream chunks: the option, else the protocol's stream-chunk role.
        self.chunk_types = self.options.chunk_types if self.options.chunk_types is not None else frozenset(() if chunk is None else (chunk,))
        #: Inbound frames refused (not JSON, invalid, a client-only type, binary): not delivered, logged.
        self.invalid_frames = 0
        self._log: Logger = self.options.logger if self.options.logger is not None else JsonLogger("warn")
        self._token = token
        self._queue = SendQueue(self.options.queue)
        self._ws: ClientConnection | None = None
        self._subscribers: list[Callable[[dict[str, Any]], None]] = []
        self._pending: dict[str, asyncio.Queue[dict[str, Any]]] = {}
        self._pongs: dict[str, asyncio.Future[None]] = {}
        self._opened: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._close_reason = ""
        self.error: ClientError | None = None

    # -- lifecycle --
    @property
    def dial_url(self) -> str:
        """The URL of the next dial: ``url``, or after a failure the next of ``[url, *failover_urls]`` in turn."""
        urls = self.options.failover_urls
        i = self._target % (len(urls) + 1)
        return self.url if i == 0 else urls[i - 1]

    async def connect(self) -> None:
        """Starts the connection loop; returns once the connection is open (raises ClientError if it stops): with the
        resume capability once the first ``session_created`` arrived, without it once the socket is open."""
        if self._task is None:
            self._opened = asyncio.get_running_loop().create_future()
            self._task = asyncio.get_running_loop().create_task(self._run())
        assert self._opened is not None
        await asyncio.shield(self._opened)

    async def close(self) -> None:
        """Closes for good (1000); pending requests fail."""
        self._stopping = True
        if self._ws is not None:
            await self._ws.close(1000, "client closed")
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        self.status = "closed"

    async def stopped(self) -> ClientError | None:
        """Waits until the client stops for good (a terminal close, a refused upgrade, or ``close()``); returns the error."""
        if self._task is not None:
            await asyncio.shield(self._task)
        return self.error

    def subscribe(self, fn: Callable[[dict[str, Any]], None]) -> None:
        """Calls ``fn`` with every server message delivered (after dedup), in order."""
        self._subscribers.append(fn)

    def health(self) -> dict[str, Any]:
        """``{status, session_id, epoch, last_seq, reconnects, queued, dropped, invalid_frames}``."""
        return {"status": self.status, "session_id": self.session_id, "epoch": self.epoch, "last_seq": self.last_seq,
                "reconnects": self.reconnects, "queued": len(self._queue), "dropped": self._queue.dropped,
                "invalid_frames": self.invalid_frames}  # fmt: skip

    # -- sending --
    async def send(self, msg: Outbound) -> SendResult:
        """Sends ``msg`` (a dict, or a generated model: a field never set is left out, ``wire.as_message``) now when
        open, else queues (pings never); ``timestamp`` is added when absent.

        Raises :class:`InvalidMessageError` (nothing sent) when ``validate_outbound`` is on and the protocol
        refuses the message, or its type is one only the server sends."""
        f, msg = self.proto.fields, as_message(msg)
        if f.timestamp is not None:
            msg.setdefault(f.timestamp, timestamp())
        if self.options.validate_outbound:
            self._check_outbound(msg)
        text = to_json(msg)
        ws = self._ws
        if ws is not None and self.status == "open":
            try:
                await ws.send(text)
                return "sent"
            except websockets.ConnectionClosed:
                pass
        if msg.get(self.proto.tag) in (self.proto.roles.ping, self.proto.roles.pong):
            return "dropped"
        return "queued" if self._queue.push(text) else "dropped"

    def _check_outbound(self, msg: dict[str, Any]) -> None:
        """Raises InvalidMessageError for a message this client may not send: a server-only or unknown type, or issues."""
        tag = msg.get(self.proto.tag)
        if isinstance(tag, str) and tag in self.proto.messages and not self.proto.is_client_type(tag):
            at = "/" + self.proto.tag.replace("~", "~0").replace("/", "~1")
            raise InvalidMessageError([Issue(at, "x-direction", f"{tag!r} is sent by the server only", {"tagValue": tag})])
        issues = self.proto.validate(msg)
        if issues:
            raise InvalidMessageError(issues)

    async def request(self, msg: Outbound, deadline_s: float | None = None) -> dict[str, Any]:
        """Sends ``msg`` and returns the message that ends it (a reply or a stream end), skipping chunks.

        Raises :class:`ServerError` (``code`` ``SERVER_ERROR``: ``error_code``, ``text``, ``message_id``,
        ``retryable``, ``reply``) when that message is an error reply (the protocol's ``error`` role), as the TS
        client's ``request()`` rejects; :class:`RequestTimeoutError` (``code`` ``REQUEST_TIMEOUT``, a TimeoutError)
        when that message has not arrived ``deadline_s`` (default ``request_timeout_s``) after the send, or when a
        stream answering it goes silent for ``stream_idle_timeout_s``; ClientError when the client stops.
        """
        limit, msg = deadline_s if deadline_s is not None else self.options.request_timeout_s, as_message(msg)
        mid = self._correlate(msg)
        try:
            async with asyncio.timeout(limit):
                async for m in self.stream(msg, first_reply_s=limit):
                    kind = m.get(self.proto.tag)
                    if kind == self.proto.roles.error:
                        raise server_error(self.proto, m, mid)
                    if kind not in self.chunk_types:
                        return m
        except TimeoutError as e:
            raise e if isinstance(e, RequestTimeoutError) else RequestTimeoutError(mid, limit, "reply") from None
        raise ClientError("the request ended without a reply", 1006, "transient")

    def _correlate(self, msg: dict[str, Any]) -> str:
        """The correlation id of ``msg``, set to a new UUID when absent (ValueError for a protocol without the role)."""
        cid = self.proto.fields.correlation_id
        if cid is None:
            raise ValueError("the protocol has no correlation-id field role: requests cannot be matched to replies")
        return str(msg.setdefault(cid, str(uuid.uuid4())))

    async def stream(self, msg: Outbound, first_reply_s: float | None = None, idle_s: float | None = None) -> AsyncIterator[dict[str, Any]]:
        """Sends ``msg`` and yields every message with its correlation id, up to and including the one that ends it.

        Bounded: raises :class:`RequestTimeoutError` (``code`` ``REQUEST_TIMEOUT``) when nothing answers within
        ``first_reply_s`` (default ``request_timeout_s``; phase ``"reply"``) or when, once started, the stream
        sends nothing for ``idle_s`` (default ``stream_idle_timeout_s``; phase ``"stream-idle"``). The time the
        caller spends between two ``__anext__`` calls does not count. ClientError when the client stops.
        """
        msg = as_message(msg)
        mid = self._correlate(msg)
        first = first_reply_s if first_reply_s is not None else self.options.request_timeout_s
        idle = idle_s if idle_s is not None else self.options.stream_idle_timeout_s
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._pending[mid] = inbox
        try:
            if await self.send(msg) == "dropped":
                raise ClientError("the send queue is full", 0, "transient")
            started = False
            while True:
                limit = idle if started else first
                try:
                    m = await asyncio.wait_for(inbox.get(), limit)
                except TimeoutError:
                    raise RequestTimeoutError(mid, limit, "stream-idle" if started else "reply") from None
                if m.get("__closed__"):
                    raise self.error or ClientError("the client closed", 1000, "normal")
                started = True
                yield m
                if m.get(self.proto.tag) not in self.chunk_types:
                    return
        finally:
            self._pending.pop(mid, None)

    # -- the connection loop --
    async def _token_value(self) -> str:
        t = self._token
        if isinstance(t, str):
            return t
        v = t()
        return await v if inspect.isawaitable(v) else v

    async def _run(self) -> None:
        attempt = 0
        while not self._stopping:
            self.status = "connecting" if self.reconnects == 0 and self.session_id is None else "reconnecting"
            try:
                token = await self._token_value()
                offered = token_protocols(token) + schema_protocols(self.proto.version, self.proto.schema_hash)
                protocols = [Subprotocol(p) for p in offered]
                ws = await websockets.connect(self.dial_url, subprotocols=protocols, ping_interval=None, max_size=self.options.max_size)
            except websockets.InvalidStatus as e:
                status = e.response.status_code
                if status in (401, 403, 404):
                    self._fail(ClientError(f"the server refused the upgrade with HTTP {status}", status, "auth" if status != 404 else "terminal"))
                    return
            except (OSError, TimeoutError, websockets.InvalidHandshake):
                pass  # not a close event: retryable
            else:
                opened = time.monotonic()
                code, by_client = await self._session(ws)
                if time.monotonic() - opened >= self.options.backoff.reset_after_s:
                    attempt = 0
                decision = decide_retry(code, by_client)
                if self._stopping or not decision.retry:
                    if not self._stopping:
                        self._fail(self._stop_error(code, decision.reason, decision.kind))
                    return
            self.status = "reconnecting"
            await asyncio.sleep(full_jitter_delay(attempt, self.options.backoff))
            attempt += 1
            self.reconnects += 1
            self._target += 1  # the next dial goes to the next failover URL, if any

    def _stop_error(self, code: int, why: str, kind: str) -> ClientError:
        """The error of a terminal close; a 4504 names both schema versions when its reason does."""
        refusal = parse_version_refusal(self._close_reason) if kind == "protocol" else None
        if refusal is None:
            return ClientError(f"closed with {code}: {why}", code, kind, self.proto.version if kind == "protocol" else None)
        text = f"protocol mismatch: server version {refusal.server_version}, client version {self.proto.version} ({refusal.why}); not retrying"
        return ClientError(text, code, kind, self.proto.version, refusal.server_version)

    def _fail(self, err: ClientError) -> None:
        self.status = "failed"
        self.error = err
        if self._opened is not None and not self._opened.done():
            self._opened.set_exception(err)
        for inbox in self._pending.values():
            inbox.put_nowait({"__closed__": True})

    async def _session(self, ws: ClientConnection) -> tuple[int, bool]:
        """One connection: session_created and resume (with the resume capability), flush the queue, then frames;
        returns (close code, closed by us)."""
        self._ws = ws
        beat: asyncio.Task[None] | None = None
        roles = self.proto.roles
        try:
            if self._resumable:
                created = self._decode(await asyncio.wait_for(ws.recv(), self.options.pong_timeout_s))
                if created is None or created.get(self.proto.tag) != roles.session_created:
                    await ws.close(1002, "expected session_created")
                    return 1002, True
                await self._resume(ws, created)
            self.status = "open"
            if self._opened is not None and not self._opened.done():
                self._opened.set_result(None)
            for text in self._queue.drain():
                await ws.send(text)
            if self.options.heartbeat_interval_s > 0 and roles.ping is not None and roles.pong is not None:
                beat = asyncio.get_running_loop().create_task(self._heartbeat(ws))
            async for data in ws:
                m = self._decode(data)
                if m is not None:
                    await self._on_message(ws, m)
        except (websockets.ConnectionClosed, TimeoutError, ValueError):
            pass
        finally:
            if beat is not None:
                beat.cancel()
            self._ws = None
        rcvd, sent = ws.protocol.close_rcvd, ws.protocol.close_sent
        self._close_reason = rcvd.reason if rcvd is not None else ""
        if rcvd is not None and (sent is None or ws.protocol.close_rcvd_then_sent):
            return rcvd.code, False
        if sent is not None:
            return sent.code, sent.code != 4002 and self._stopping
        return 1006, False

    def _gap(self, gap: dict[str, Any]) -> None:
        self.recovery_failures.append(gap)
        self._log.log(
            "warn",
            "gap_detected",
            {
                **gap,
                "code": self.proto.error_code("RECOVERY_FAILED"),
                "url": self.dial_url,
                "hint": "the server skipped seqs without a RECOVERY_FAILED",
            },
        )

    def _decode(self, data: str | bytes) -> dict[str, Any] | None:
        """The frame as a dict with defaults filled (inbound.py), or None after logging and counting a refused one."""
        m = decode_frame(self.proto, data)
        if isinstance(m, Refused):
            self.invalid_frames += 1
            self._log.log("warn", "invalid_frame", m.log_fields(self.dial_url))
            return None
        return m

    async def _resume(self, ws: ClientConnection, created: dict[str, Any]) -> None:
        f = self.proto.fields
        self._gaps.connected()
        sid, epoch, seq = str(_get(created, f.session_id)), str(_get(created, f.epoch)), int(_get(created, f.seq) or 0)
        if self.session_id != sid:
            if self.session_id is not None:
                self.resumes.append("reset")
            self.session_id, self.epoch, self.last_seq = sid, epoch, seq
        resume_epoch, resume_seq = self.epoch, self.last_seq
        if epoch != self.epoch:  # another instance of the stream: resume with the old one so the loss is reported
            self.epoch, self.last_seq = epoch, 0
        kind = self.proto.roles.session_resume
        if kind is not None:
            await ws.send(
                to_json(self.proto.build(kind, {f.timestamp: timestamp(), f.session_id: sid, f.last_seq: resume_seq, f.epoch: resume_epoch}))
            )

    async def _heartbeat(self, ws: ClientConnection) -> None:
        f = self.proto.fields
        while True:
            await asyncio.sleep(self.options.heartbeat_interval_s)
            mid = f"ping-{uuid.uuid4().hex[:12]}"
            fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._pongs[mid] = fut
            try:
                await ws.send(to_json(self.proto.build(str(self.proto.roles.ping), {f.timestamp: timestamp(), f.correlation_id: mid})))
                await asyncio.wait_for(fut, self.options.pong_timeout_s)
            except TimeoutError:
                await ws.close(self.proto.close_code("HEARTBEAT_TIMEOUT", 4002), "no pong in time")
                return
            finally:
                self._pongs.pop(mid, None)

    async def _on_message(self, ws: ClientConnection, m: dict[str, Any]) -> None:
        f, roles, tag = self.proto.fields, self.proto.roles, self.proto.tag
        seq = _get(m, f.seq) if self._resumable else None  # seqs count only with the resume capability
        if isinstance(seq, int):
            if seq <= self.last_seq:
                return  # already processed in this epoch (a replay overlap)
            gap = self._gaps.jump(self.last_seq, seq)
            if gap is not None:
                self._gap(gap)
            self.last_seq = seq
        kind = m.get(tag)
        mid = _get(m, f.correlation_id)
        if kind == roles.ping:
            await ws.send(to_json(self.proto.build(str(roles.pong), {f.timestamp: timestamp(), f.correlation_id: mid or uuid.uuid4().hex})))
        elif kind == roles.pong and isinstance(mid, str) and mid in self._pongs:
            fut = self._pongs[mid]
            if not fut.done():
                fut.set_result(None)
        elif kind == roles.session_updated:
            self.resumes.append(str(_get(m, f.status)))
        elif kind == roles.error and _get(m, f.error_code) == self.proto.error_code("RECOVERY_FAILED"):
            details = dict(_get(m, f.error_details) or {})
            self.recovery_failures.append(details)
            self._gaps.announced(details)
            latest = details.get("latest_seq")
            if details.get("reason") == "last_seq_ahead" and isinstance(latest, int):
                self.last_seq = latest  # the server counts from its latest seq (as the TS client)
        for fn in self._subscribers:
            fn(m)
        if isinstance(mid, str) and mid in self._pending:
            self._pending[mid].put_nowait(m)
