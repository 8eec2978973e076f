"""Fan-out and node control over Redis pub/sub (docs/redis-layout.md, "Channels").

``P:fanout`` carries ``{"origin", "audience", "message"}``: every node delivers a publish to its own matching
connections (the origin already did, and ignores its echo). ``P:node:<nodeId>`` carries ``takeover`` (close
your connection of that stream: it was linked elsewhere), ``send`` (a message for a stream you own) and ``ack``
(the answer to a ``send`` that carried ``ack``/``id``: ``ok`` true once stored and delivered, false when the
node holds no connection of the stream and did nothing; the sender waits for it before its next send to the
stream, and appends the message itself on false or after ``timeout_s``, so one node's sends keep their order). A
session-addressed send whose stream has no live owner is appended by the sender (``append.lua`` at top + 1,
retried on ``SEQ``), so a detached session gets it on resume; a stream Redis does not know (expired) drops it,
as in memory. One node's sends to one stream keep their order. Pub/sub is at most once: a node disconnected
from Redis misses what is published meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from redis.exceptions import ResponseError

from ..registry import Audience
from ..wire import to_json
from .health import DOWN
from .stream import utf8_size

if TYPE_CHECKING:
    from .store import RedisSessionStore


def audience_to_wire(a: Audience) -> dict[str, Any]:
    """The wire shape both runtimes read: ``{realm, tenant, endpoint?, name?, userId?}`` (``realm`` is the
    ``realm`` attribute; other attributes travel in ``attributes``, which the Node runtime does not read)."""
    out: dict[str, Any] = {"tenant": a.tenant}
    if "realm" in a.attributes:
        out["realm"] = a.attributes["realm"]
    rest = {k: v for k, v in a.attributes.items() if k != "realm"}
    if rest:
        out["attributes"] = rest
    for key, value in (("endpoint", a.endpoint), ("name", a.name), ("userId", a.user_id)):
        if value is not None:
            out[key] = value
    return out


def audience_from_wire(w: Mapping[str, Any]) -> Audience:
    """The :class:`Audience` of a wire audience (the inverse of :func:`audience_to_wire`)."""
    attributes = {str(k): str(v) for k, v in (w.get("attributes") or {}).items()}
    if w.get("realm") is not None:
        attributes["realm"] = str(w["realm"])
    opt = {k: (None if w.get(k) is None else str(w[k])) for k in ("endpoint", "name", "userId")}
    return Audience(str(w["tenant"]), attributes, opt["endpoint"], opt["userId"], opt["name"])


class Broker:
    """This node's subscriptions and what it publishes."""

    def __init__(self, store: RedisSessionStore) -> None:
        self.store = store
        #: Set while this node is subscribed to the fan-out channel and its own.
        self.subscribed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}
        #: Forwards waiting for the owner's ``ack``, by id.
        self._waiting: dict[str, asyncio.Future[bool]] = {}
        self._forwards = 0

    def start(self) -> None:
        """Starts listening (reconnecting after every Redis outage)."""
        self._task = asyncio.get_running_loop().create_task(self._listen())

    async def stop(self) -> None:
        """Stops listening."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _listen(self) -> None:
        s = self.store
        channels = (s.keys.fanout, s.keys.node(s.node_id))
        while True:
            pubsub = s.client.pubsub()
            try:
                await pubsub.subscribe(*channels)
                self.subscribed.set()
                while True:
                    m = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
                    if m is not None and m.get("type") == "message":
                        self._handle(str(m["channel"]), str(m["data"]))
            except DOWN as err:
                self.subscribed.clear()
                s.health.mark_down(err)
                await asyncio.sleep(s.options.probe_interval_s)
            finally:
                await asyncio.gather(pubsub.aclose(), return_exceptions=True)  # type: ignore[no-untyped-call]

    def _handle(self, channel: str, data: str) -> None:
        s = self.store
        try:
            m = json.loads(data)
            if channel == s.keys.fanout:
                if m.get("origin") != s.node_id:
                    s.deliver_fanout(audience_from_wire(m["audience"]), m["message"])
            elif m.get("op") == "takeover":
                self._takeover_here(str(m["session"]), str(m["endpoint"]))
            elif m.get("op") == "send":
                ack, fid = m.get("ack"), m.get("id")
                reply = (str(ack), str(fid)) if isinstance(ack, str) and isinstance(fid, str) else None
                self._send_here(str(m["session"]), str(m["endpoint"]), dict(m["message"]), reply)
            elif m.get("op") == "ack":
                fut = self._waiting.get(str(m["id"]))
                if fut is not None and not fut.done():
                    fut.set_result(m.get("ok") is True)
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            s.core.logger.log(
                "error",
                "redis_bad_message",
                {
                    "code": s.core.proto.error_code("INTERNAL_ERROR"),
                    "channel": channel,
                    "error": repr(err),
                    "hint": "another node sent a malformed message",
                },
            )

    def _local(self, sid: str, ep: str) -> Any:
        state = self.store.sessions.get(sid)
        return None if state is None else state.streams.get(ep)

    def _takeover_here(self, sid: str, ep: str) -> None:
        stream = self._local(sid, ep)
        c = None if stream is None else stream.conn
        if c is not None and hasattr(c, "close"):
            core = self.store.core
            c.close(core.proto.close_code("REPLACED", 4505), "replaced by a newer connection of the same session")

    def _send_here(self, sid: str, ep: str, msg: dict[str, Any], reply: tuple[str, str] | None) -> None:
        stream = self._local(sid, ep)
        linked = stream is not None and stream.conn is not None
        if reply is None:  # a sender of an earlier version: deliver, or append it here
            if linked:
                stream.send(msg)
            else:
                self.store.spawn(self.append_detached(sid, ep, msg))
            return
        to, fid = reply
        if not linked:  # not here (any more): the sender appends it, in order with its next sends
            self.store.spawn(self._answer(to, fid, False))
            return
        if not stream.send(msg, on_stored=lambda: self.store.spawn(self._answer(to, fid, True))):
            self.store.spawn(self._answer(to, fid, True))  # dropped (low priority), as a local send would be

    async def _answer(self, to: str, fid: str, ok: bool) -> None:
        s = self.store
        await s.client.publish(s.keys.node(to), to_json({"op": "ack", "id": fid, "ok": ok}))

    async def _forward(self, node: str, sid: str, ep: str, msg: dict[str, Any]) -> str:
        """Forwards ``msg`` to the owner ``node`` and waits for its answer: ``ok`` (stored and delivered there),
        ``declined`` (it holds no connection of the stream), ``unheard`` (no subscriber: a dead node) or ``timeout``."""
        s = self.store
        self._forwards += 1
        fid = str(self._forwards)
        fut: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting[fid] = fut
        try:
            c = {"op": "send", "session": sid, "endpoint": ep, "message": msg, "ack": s.node_id, "id": fid}
            if not await s.client.publish(s.keys.node(node), to_json(c)):
                return "unheard"
            try:
                return "ok" if await asyncio.wait_for(fut, s.options.timeout_s) else "declined"
            except TimeoutError:
                return "timeout"
        finally:
            self._waiting.pop(fid, None)

    async def fanout(self, audience: Audience, msg: Mapping[str, Any]) -> None:
        """Publishes to the other nodes."""
        s = self.store
        await s.client.publish(s.keys.fanout, to_json({"origin": s.node_id, "audience": audience_to_wire(audience), "message": dict(msg)}))

    async def takeover(self, node: str, sid: str, ep: str) -> None:
        """Tells ``node`` that its connection of a stream was replaced here."""
        s = self.store
        await s.client.publish(s.keys.node(node), to_json({"op": "takeover", "session": sid, "endpoint": ep}))

    def _lock(self, key: tuple[str, str]) -> asyncio.Lock:
        """The lock that keeps this node's sends to one stream in order (FIFO: tasks queue as they were started);
        counted, so that it is forgotten only when no send holds or awaits it."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        return lock

    def _forget(self, key: tuple[str, str]) -> None:
        lock, users = self._locks[key]
        if users <= 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)

    async def send(self, sid: str, ep: str, msg: dict[str, Any]) -> None:
        """To the live owner's node if there is one, else appended here for the next resume (in order per stream)."""
        await self._routed(sid, ep, msg, to_owner=True)

    async def append_detached(self, sid: str, ep: str, msg: dict[str, Any]) -> bool:
        """Appends ``msg`` at the stream's top + 1 without delivering it (retried on a seq conflict); False when the
        stream is unknown in Redis (expired: dropped, as in memory) or it gave up."""
        return await self._routed(sid, ep, msg, to_owner=False)

    async def _routed(self, sid: str, ep: str, msg: dict[str, Any], to_owner: bool) -> bool:
        s = self.store
        meta, _ = s.keys.stream(sid, ep)
        key = (sid, ep)
        lock = self._lock(key)
        try:
            async with lock:
                return await self._route_locked(sid, ep, meta, msg, to_owner)
        finally:
            self._forget(key)

    async def _route_locked(self, sid: str, ep: str, meta: str, msg: dict[str, Any], to_owner: bool) -> bool:
        s = self.store
        epoch, top, owner = await s.client.hmget(meta, ["epoch", "seq", "owner"])
        if epoch is None:
            s.core.logger.log(
                "info", "route_unknown_stream", {"session_id": sid, "endpoint": ep, "hint": "no such session stream (expired?): message dropped"}
            )
            return False
        node = str(owner).split("/", 1)[0] if owner else ""
        if to_owner and node and node != s.node_id:
            answer = await self._forward(node, sid, ep, msg)
            if answer == "ok":
                return True
            if answer == "timeout":
                hint = "the owner node did not answer within the timeout: appended here (stored twice if that node was only slow)"
                s.core.logger.log("warn", "route_forward_timeout", {"session_id": sid, "endpoint": ep, "node": node, "hint": hint})
            if answer != "unheard":  # the stream changed: read it again
                return await self._route_locked(sid, ep, meta, msg, to_owner=False)
        return await self._append_at_top(sid, ep, str(epoch), int(top or 0), msg)

    async def _append_at_top(self, sid: str, ep: str, epoch: str, top: int, msg: dict[str, Any]) -> bool:
        s = self.store
        meta, log = s.keys.stream(sid, ep)
        lim = s.limits
        for _ in range(s.options.max_send_retries):
            msg[s.seq_field] = top + 1
            text = to_json(msg)
            now = int(time.time() * 1000)
            args = (epoch, top + 1, text, utf8_size(text), now, lim.max_messages, lim.max_bytes, int(lim.ttl_s * 1000), s.ttl_ms)
            try:
                await s.eval(s.scripts.append, meta, log, args=args)
                return True
            except DOWN:
                raise
            except ResponseError as err:
                reply = str(err)
                if not reply.startswith("SEQ "):
                    break
                top = int(reply.split()[1])
        s.core.logger.log("warn", "redis_send_failed", {"session_id": sid, "endpoint": ep, "hint": "the stream kept changing or was lost"})
        return False
