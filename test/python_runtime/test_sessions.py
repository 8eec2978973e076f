"""The replay buffer's bounds (count, bytes, age), its plans, and the store's sweep, with explicit clocks."""

from __future__ import annotations

from typing import Any

from wsgen_runtime.sessions import ReplayLimits, SessionStore, Stream
from wsgen_runtime.types import Endpoint, SessionInfo

EP = Endpoint("guide", "/g")


def store(limits: ReplayLimits, detached_ttl_s: float = 120.0) -> SessionStore:
    return SessionStore(tag="type", seq_field="seq", limits=limits, detached_ttl_s=detached_ttl_s, low_priority=frozenset(),
                        on_drop=lambda _: None, on_expire=lambda _: None)  # fmt: skip


def stream(limits: ReplayLimits, detached_ttl_s: float = 120.0) -> tuple[SessionStore, Stream]:
    st = store(limits, detached_ttl_s)
    s, rejoined = st.link(SessionInfo("s1", "u1", "t1"), EP, lambda *_: None)
    assert not rejoined
    return st, s


def msg(text: str) -> dict[str, Any]:
    return {"type": "system_message", "message": text}


def test_count_bound_reports_the_evicted_range_as_a_gap() -> None:
    _, s = stream(ReplayLimits(max_messages=3))
    for i in range(10):
        s.send(msg(str(i)))
    assert s.buffered[0] == 3
    plan = s.replay_after(2)
    assert plan.missing == (3, 7) and len(plan.texts) == 3 and '"seq":8' in plan.texts[0]
    assert s.replay_after(8).missing is None and len(s.replay_after(8).texts) == 2


def test_byte_bound_counts_utf8_bytes() -> None:
    _, s = stream(ReplayLimits(max_bytes=200))
    for _ in range(4):
        s.send(msg("é" * 40))  # each text is over 100 UTF-8 bytes (80 of them the é's)
    messages, size = s.buffered
    assert messages == 1 and 100 < size <= 200


def test_age_bound_evicts_messages_older_than_ttl() -> None:
    _, s = stream(ReplayLimits(ttl_s=60))
    s.send(msg("old"), now=0.0)
    s.send(msg("new"), now=100.0)
    assert s.buffered[0] == 1  # recording at 100 s evicted the message from 0 s
    assert s.replay_after(0, now=100.0).missing == (1, 1)
    assert s.replay_after(0, now=161.0).missing == (1, 2)


def test_last_seq_ahead_and_detached_streams_are_swept_after_their_ttl() -> None:
    st, s = stream(ReplayLimits(), detached_ttl_s=120)
    s.send(msg("a"), now=0.0)
    assert s.replay_after(5).ahead
    s.detached_at = 10.0
    st.sweep(now=100.0)
    assert "s1" in st.sessions
    st.sweep(now=131.0)
    assert "s1" not in st.sessions and not s.open and not s.send(msg("late"))
    _, s2 = stream(ReplayLimits())
    assert s2.epoch != s.epoch  # a new stream instance gets a new epoch
