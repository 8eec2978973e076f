"""A session stream kept in Redis: append, then deliver (docs/redis-layout.md, "Principles").

A message takes its seq at once (so handlers keep their order), is queued, and is delivered to the linked
connection only after Redis answered OK to its append: a node killed mid-stream never delivered a seq that
Redis lacks. One writer task per stream runs the queue in order, handing consecutive messages as one batch to
the node's :class:`~wsgen_runtime.cluster.appender.Appender` (one ``append_many.lua`` call for the batches of
every stream, one call in flight); a replay request waits in the same queue, so it sees every message queued
before it and none after it.

Failures: Redis unreachable → the messages are delivered live without being stored and the stream is
*broken* (it gets a new epoch when Redis returns); ``SEQ`` (another node appended: two owners) → the
connection is closed with 1012 so its client resumes from Redis, and the queued messages are renumbered
after the top and appended, so none is lost; ``EPOCH`` (Redis lost the stream) → broken; an unexpected error
(a bug) → broken too, so the loss is announced. A broken stream sends nothing more to Redis: what is queued is
delivered live, in order, and so is a message sent while Redis is down behind the appends still in flight (it
never overtakes them). The new epoch is written only once the queue is empty
(:meth:`RedisStream.drained`), so no message numbered in the old epoch reaches Redis under the new one.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..sessions import ReplayPlan, SessionState, Stream
from ..types import Endpoint
from ..wire import to_json

if TYPE_CHECKING:
    from .store import RedisSessionStore

#: How many queued messages of one stream one append call carries at most.
BATCH = 64


@dataclass(slots=True)
class Append:
    """A message waiting for its append: seq, the message (renumbered on a conflict), its text and type; ``done``
    (a forwarded send's acknowledgement) is called once it is stored and delivered; ``store`` False: delivered live
    without being stored (sent while Redis was down or the stream broken), in its turn."""

    seq: int
    msg: dict[str, Any]
    text: str
    kind: str
    done: Callable[[], None] | None = None
    store: bool = True


@dataclass(slots=True)
class Replay:
    """A replay request waiting for the appends queued before it; ``seq`` is the stream's seq when it was asked."""

    last_seq: int
    seq: int
    done: Callable[[ReplayPlan], None]


def utf8_size(text: str) -> int:
    """UTF-8 bytes of ``text``."""
    return len(text) if text.isascii() else len(text.encode())


def lost_plan(last_seq: int, seq: int) -> ReplayPlan:
    """The plan of a stream whose history Redis does not have: everything after ``last_seq`` up to ``seq`` is missing."""
    if last_seq > seq:
        return ReplayPlan([], ahead=True)
    return ReplayPlan([], missing=(last_seq + 1, seq) if last_seq < seq else None)


def plan_from(last_seq: int, seq: int, first: int, texts: list[str]) -> ReplayPlan:
    """The plan from ``replay.lua``'s answer (top ``seq``, ``first`` seq returned), as the in-memory store reports it."""
    if last_seq > seq:
        return ReplayPlan([], ahead=True)
    if texts and first > last_seq + 1:
        return ReplayPlan(texts, missing=(last_seq + 1, first - 1))
    if not texts and last_seq < seq:
        return ReplayPlan([], missing=(last_seq + 1, seq))
    return ReplayPlan(texts)


class RedisStream(Stream):
    """A stream whose log is in Redis (``meta`` hash and ``log`` stream keys); this node keeps no replay buffer."""

    __slots__ = ("_ops", "_writer", "broken", "link_id", "log", "meta", "shared", "takeover_from")

    def __init__(self, owner: SessionState, endpoint: Endpoint, store: RedisSessionStore) -> None:
        super().__init__(owner, endpoint, store)
        self.shared = store
        self.meta, self.log = store.keys.stream(owner.info.session_id, endpoint.key)
        #: True while messages were delivered that Redis lacks: the stream needs a new epoch.
        self.broken = False
        #: The link id of this node's current connection (the ``owner`` field is ``<nodeId>/<linkId>``).
        self.link_id = ""
        #: The node to send a takeover notice once the pending link is accepted ('' when none).
        self.takeover_from = ""
        self._ops: deque[Append | Replay] = deque()
        self._writer: asyncio.Task[None] | None = None

    @property
    def owner_id(self) -> str:
        """``<nodeId>/<linkId>`` of this node's link."""
        return f"{self.shared.node_id}/{self.link_id}"

    @property
    def pending(self) -> int:
        """Queued operations (appends and replays) not yet answered by Redis."""
        return len(self._ops)

    def send(self, msg: dict[str, Any], now: float | None = None, on_stored: Callable[[], None] | None = None) -> bool:
        """Numbers one message and queues its append; it is delivered once Redis has it (see the module doc).
        ``on_stored`` (a forwarded send's acknowledgement) is called once it is stored and delivered, in order, or
        at once when it is delivered without being stored (Redis down); not at all when this returns False."""
        if not self.open:
            return False
        store = self.store
        kind = msg.get(store.tag, "")
        c = self.conn
        if kind in store.low_priority and (c is None or not c.live or c.over_soft_budget()):
            self.dropped += 1
            store.on_drop(kind)
            return False
        seq = self.seq + 1
        msg[self.shared.seq_field] = seq
        if store.validate is not None:
            store.validate(msg)  # raises InvalidOutboundError before the seq is taken (no gap)
        text = to_json(msg)
        self.seq = seq
        op = Append(seq, msg, text, kind, on_stored)
        if self.broken or self.shared.down:
            self.shared.mark_broken(self)
            if self._writer is None:  # nothing queued or in flight
                self._deliver(op)
                return True
            op.store = False  # behind the appends queued or in flight: delivered after them, never before
        self._ops.append(op)
        self._kick()
        return True

    def replay(self, last_seq: int, done: Callable[[ReplayPlan], None]) -> None:
        """Hands ``done`` what to replay after ``last_seq``, once the appends queued before are in Redis."""
        self._ops.append(Replay(last_seq, self.seq, done))
        self._kick()

    async def drained(self) -> None:
        """Returns once the queue is empty (shutdown; a new epoch)."""
        while self._writer is not None:
            await asyncio.shield(self._writer)

    def _kick(self) -> None:
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        batch: list[Append] = []  # taken from the queue, not settled yet (emptied as its messages settle)
        try:
            while self._ops:
                head = self._ops[0]
                if isinstance(head, Replay):
                    self._ops.popleft()
                    self._answer(head, await self.shared.replay_plan(self, head))
                    continue
                if self.broken or not head.store:  # nothing more goes to Redis until the stream's new epoch
                    self._ops.popleft()
                    self._deliver(head)
                    continue
                while self._ops and isinstance(op := self._ops[0], Append) and op.store and len(batch) < BATCH:
                    batch.append(op)
                    self._ops.popleft()
                await self._append(batch)
        except Exception as err:  # a bug, never a Redis failure: those are handled below
            self.shared.log_error("redis_stream_failed", err, self)
            self.shared.mark_broken(self, "error", repr(err))
            self._ops.extendleft(reversed(batch))  # the messages in hand too: delivered, in order
            self._fail_all()
        finally:
            self._writer = None
            if self._ops:
                self._kick()

    def _answer(self, op: Replay, plan: ReplayPlan) -> None:
        try:
            op.done(plan)
        except Exception as err:
            self.shared.log_error("replay_callback_failed", err, self)

    def _fail_all(self) -> None:
        while self._ops:
            op = self._ops.popleft()
            if isinstance(op, Replay):
                self._answer(op, lost_plan(op.last_seq, op.seq))
            else:
                self._deliver(op)

    def _deliver(self, op: Append) -> None:
        c = self.conn
        if c is not None and c.live:
            c.deliver(op.text, op.kind)
        done, op.done = op.done, None
        if done is not None:
            done()

    async def _append(self, batch: list[Append]) -> None:
        """Appends ``batch`` and settles it: delivered (emptying ``batch``), or queued again after a ``SEQ``."""
        r = await self.shared.append_batch(self, batch)
        if r is not None and r.startswith("SEQ "):
            self._fenced(batch, int(r.split()[1]))
            return
        if r is None:  # Redis unavailable: delivered live, not stored
            self.shared.mark_broken(self)
        elif r != "OK":  # EPOCH: Redis lost the stream (restart, expiry) or it was re-created
            self.shared.mark_broken(self, "lost", r)
        batch.reverse()
        while batch:
            self._deliver(batch.pop())

    def _fenced(self, rest: list[Append], top: int) -> None:
        """Another node appended to this stream: hand the client to Redis and append ours after its top."""
        self.shared.fenced(self, top)
        queued = list(self._ops)
        self._ops.clear()
        seq_field = self.shared.seq_field
        for op in [*rest, *queued]:
            if isinstance(op, Append):
                top += 1
                op.seq = top
                op.msg[seq_field] = top
                op.text = to_json(op.msg)
            self._ops.append(op)
        rest.clear()  # back in the queue
        self.seq = top
