"""Flood, backpressure, heartbeat, graceful shutdown, health and metrics over HTTP, against a real uvicorn."""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
import websockets

from wsgen_runtime import Backpressure, FlushedStream, RateLimit, Shutdown

from .harness import Client, Server, live


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return int(r.status), bytes(r.read())
    except urllib.error.HTTPError as e:
        return int(e.code), bytes(e.read())


@live()
async def test_flood_gets_rate_limited_then_closed_with_4503() -> None:
    async with Server(rate_limit=RateLimit(capacity=5, refill_per_second=0.001, close_after=5)) as s:
        c = await Client.connect(s)
        await c.recv()
        for i in range(20):
            await c.send({"type": "ping", "message_id": f"p{i}"})
        replies: list[dict[str, Any]] = []
        try:
            while True:
                replies.append(await c.recv())
        except Exception:
            pass
        code, reason = await c.closed()
        assert [r["type"] for r in replies] == ["pong"] * 5 + ["error_message"] * 4
        assert all(r["error_code"] == "RATE_LIMITED" and "seq" not in r for r in replies[5:])
        assert (code, reason) == (4503, "rate limit exceeded")
        assert b"wsgen_rate_limited_total 5.0" in s.core.metrics.text()
        events = [json.loads(line) for line in s.logs.text]
        (line,) = [e for e in events if e["event"] == "rate_limit_exceeded"]
        assert line["code"] == 4503 and line["level"] == "warn" and line["connection_id"] and line["hint"]


@live()
async def test_a_slow_consumer_is_closed_with_4001_and_recovers_everything_by_resume() -> None:
    async with Server(backpressure=Backpressure(soft_bytes=2_000, hard_bytes=20_000)) as s:
        c = await Client.connect(s)
        created = await c.recv()
        sid = s.core.sessions.sessions[s.session.session_id].info.session_id
        progress = {"type": "progress_update", "timestamp": "2024-01-01T00:00:00Z", "progress": 0.5}
        kept = [
            s.core.send_to_session(sid, "guide", {"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": "x" * 1000})
            for _ in range(40)
        ]  # one synchronous burst: the send queue cannot drain meanwhile
        assert all(kept)
        assert not s.core.send_to_session(sid, "guide", dict(progress))  # over the soft budget: dropped, no seq taken
        assert s.core.metrics.dropped == 1
        code, _ = await c.closed()
        assert code == 4001
        b = await Client.connect(s)
        again = await b.recv()
        assert again["seq"] == 40
        # A replay is a burst too: resume from 30 (11 KB, under the 20 KB budget; the buffer holds all 40).
        await b.send({"type": "session_resume", "session_id": sid, "last_seq": 30, "epoch": created["epoch"]})
        got = await b.until(lambda m: m["type"] == "session_updated")
        assert [m["seq"] for m in got] == list(range(31, 42)) and got[-1]["status"] == "resumed"


@live()
async def test_heartbeat_closes_a_silent_client_with_4002_and_keeps_one_that_answers() -> None:
    async with Server(heartbeat_interval_s=0.5) as s:
        silent = await Client.connect(s)
        await silent.recv()
        answering = await Client.connect(s, "/api/ws/liaison/content")
        await answering.recv()

        async def answer(n: int) -> None:
            for _ in range(n):
                m = await answering.recv()
                assert m["type"] == "ping" and "seq" not in m
                await answering.send({"type": "pong", "message_id": m["message_id"]})

        answering_rounds = asyncio.get_running_loop().create_task(answer(5))
        code, _ = await silent.closed()
        assert code == 4002  # closed at once (ASGI cannot drop a connection without a close frame)
        await answering_rounds  # five rounds later the answering one is still open
        await answering.send({"type": "user_message", "message": "/echo here", "message_id": "h"})
        got = await answering.until(lambda m: m["type"] == "agent_message")
        assert got[-1]["message"] == "here"


@live()
async def test_graceful_shutdown_closes_with_1012_and_refuses_new_upgrades_with_503() -> None:
    flushed: list[FlushedStream] = []
    async with Server(shutdown=Shutdown(jitter_s=1.0, deadline_s=5.0), on_flush=flushed.extend) as s:
        clients = [await Client.connect(s, p) for p in ("/api/ws/guide", "/api/ws/liaison/content", "/api/ws/liaison/insights")]
        for c in clients:
            await c.recv()
        draining = s.core.close()  # the core's drain (uvicorn keeps listening until the test stops it)
        try:
            await websockets.connect(s.url("/api/ws/guide"), subprotocols=["wsgen.v1", f"wsgen.token.{s.token}"], ping_interval=None)
            raise AssertionError("upgraded while shutting down")
        except websockets.InvalidStatus as e:  # Retry-After: the deadline in whole seconds, as the Node server (PROTOCOL.md)
            refused = e.response
        assert refused.status_code == 503 and b"shutting down" in bytes(refused.body or b"") and refused.headers["Retry-After"] == "5"
        hs, hb = await asyncio.to_thread(http_get, f"http://127.0.0.1:{s.port}/healthz")
        assert hs == 503 and json.loads(hb)["status"] == "closing"
        with pytest.raises(urllib.error.HTTPError) as health:
            await asyncio.to_thread(urllib.request.urlopen, f"http://127.0.0.1:{s.port}/healthz", timeout=10)
        assert health.value.headers["Retry-After"] == "5"
        closes = await asyncio.gather(*(c.closed() for c in clients))
        assert closes == [(1012, "server restarting")] * 3
        await asyncio.wait_for(draining, 10)
        await s.stop()
    assert sorted(f.endpoint for f in flushed) == ["guide", "liaison:content", "liaison:insights"]
    assert all(f.session_id == s.session.session_id and f.seq == 0 and f.messages == [] for f in flushed)


@live()
async def test_handler_duration_runs_from_the_frames_arrival_before_its_parse() -> None:
    """``handler_duration_seconds`` means what Node's does: from the frame's arrival (before its parse), not from
    dispatch. A parse made 50 ms slow shows in a sync handler's duration."""
    async with Server() as s:
        parse = s.core.pipeline._parse

        def slow(text: str) -> Any:
            time.sleep(0.05)
            return parse(text)

        s.core.pipeline._parse = slow
        c = await Client.connect(s)
        await c.recv()
        await c.send({"type": "user_message", "message": "/echo m", "message_id": "m"})
        await c.recv()
        _, body = await asyncio.to_thread(http_get, f"http://127.0.0.1:{s.port}/metrics")
        text = body.decode()
        assert 'wsgen_handler_duration_seconds_count{agent="guide_agent",outcome="ok"} 1.0' in text
        total = float(re.search(r'^wsgen_handler_duration_seconds_sum\{agent="guide_agent",outcome="ok"\} (\S+)$', text, re.M)[1])  # type: ignore[index]
        assert 0.05 <= total < 5


@live()
async def test_metrics_and_health_over_http() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await c.send({"type": "user_message", "message": "/echo m", "message_id": "m"})
        await c.recv()
        status, body = await asyncio.to_thread(http_get, f"http://127.0.0.1:{s.port}/metrics")
        text = body.decode()
        assert status == 200
        for line in (
            'wsgen_connections{endpoint="guide",realm="experience"} 1.0',
            'wsgen_messages_in_total{type="user_message"} 1.0',
            "wsgen_connections_opened_total 1.0",
            'wsgen_handler_duration_seconds_count{agent="guide_agent",outcome="ok"} 1.0',
        ):
            assert line in text, line
        status, body = await asyncio.to_thread(http_get, f"http://127.0.0.1:{s.port}/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok", "connections": 1, "sessions": 1, "inFlight": 0}
