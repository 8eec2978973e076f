"""The asyncio client against the real FastAPI server (uvicorn): request/reply, streams, drop and resume,
restart with an epoch change, terminal closes, the offline queue, and the heartbeat against a silent server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets

from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import (
    BackoffOptions,
    ClientError,
    ClientOptions,
    InvalidMessageError,
    QueueLimits,
    RequestTimeoutError,
    ServerError,
    WsgenClient,
    decide_retry,
    full_jitter_delay,
)

from .harness import PROTOCOL, Server, free_port, live

FAST = BackoffOptions(min_delay_s=0.02, max_delay_s=0.2)


def user(text: str, **kw: Any) -> dict[str, Any]:
    return {"type": "user_message", "message": text, **kw}


@live()
async def test_request_reply_and_a_stream_in_order() -> None:
    async with Server() as s:
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST))
        await c.connect()
        reply = await c.request(user("/echo hi"))
        assert (reply["type"], reply["message"]) == ("agent_message", "hi")
        got = [m async for m in c.stream(user("/stream 30"))]
        assert [m["stream_index"] for m in got[:-1]] == list(range(30)) and got[-1]["type"] == "agent_complete"
        done = await c.request(user("plain words"))
        assert done["type"] == "agent_complete"
        liaison = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, pillar="operations")
        await liaison.connect()
        assert (await liaison.request(user("/echo ops", pillar="operations")))["pillar"] == "operations"
        await liaison.close()
        await c.close()
        assert c.health()["status"] == "closed" and c.reconnects == 0


@live()
async def test_a_server_side_drop_mid_stream_is_resumed_without_loss_or_duplicates() -> None:
    async with Server(agents=None) as s:
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST))
        await c.connect()
        seen: list[int] = []
        dropped = False
        async for m in c.stream(user("/stream 300")):
            if m["type"] == "agent_streaming":
                seen.append(m["stream_index"])
                if len(seen) == 20 and not dropped:
                    dropped = True
                    (conn,) = s.core.registry.all()
                    conn.close(1012, "test: restart this socket")  # retryable: the client reconnects and resumes
        assert seen == list(range(300))
        assert c.reconnects == 1 and c.resumes[-1] == "resumed" and c.recovery_failures == []
        await c.close()


@live()
async def test_after_a_restart_the_epoch_change_is_reported_and_queued_messages_are_sent() -> None:
    port = free_port()
    async with Server(port=port, token="tok", session_id="sess") as s1:
        c = chat_client(f"ws://127.0.0.1:{port}", "tok", PROTOCOL, options=ClientOptions(backoff=FAST, queue=QueueLimits(max_messages=2)))
        await c.connect()
        await c.request(user("/stream 3"))
        old_epoch = c.epoch
        await s1.drain()
    assert c.status == "reconnecting"
    assert await c.send(user("/echo queued 1", message_id="q1")) == "queued"
    assert await c.send(user("/echo queued 2", message_id="q2")) == "queued"
    assert await c.send(user("/echo one too many", message_id="q3")) == "dropped"
    assert await c.send({"type": "ping", "message_id": "never-queued"}) == "dropped"
    replies: list[dict[str, Any]] = []
    both = asyncio.Event()

    def on_message(m: dict[str, Any]) -> None:
        if m["type"] == "agent_message":
            replies.append(m)
            if len(replies) == 2:
                both.set()

    c.subscribe(on_message)
    async with Server(port=port, token="tok", session_id="sess") as s2:
        await asyncio.wait_for(both.wait(), 10)
        assert [m["message_id"] for m in replies] == ["q1", "q2"]
        assert c.epoch != old_epoch and c.recovery_failures[0]["reason"] == "epoch_mismatch"
        assert "resumed_with_gap" in c.resumes
        assert (await c.request(user("/echo after")))["seq"] == c.last_seq
        assert s2.core.health()["connections"] == 1
        await c.close()


@live()
async def test_terminal_outcomes_stop_the_client() -> None:
    async with Server() as s:
        bad = chat_client(f"ws://127.0.0.1:{s.port}", "not-a-token", PROTOCOL, options=ClientOptions(backoff=FAST))
        with pytest.raises(ClientError) as info:
            await bad.connect()
        assert (info.value.code, info.value.kind, bad.status) == (401, "auth", "failed")
        first = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST))
        await first.connect()
        second = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST))
        await second.connect()  # replaces the first: 4505 is terminal
        assert await asyncio.wait_for(first.stopped(), 10) is first.error
        assert first.status == "failed" and first.error is not None and (first.error.code, first.reconnects) == (4505, 0)
        await second.close()


@live()
async def test_a_server_that_never_answers_pings_is_closed_with_4002_and_reconnected() -> None:
    connections = 0
    second = asyncio.Event()

    async def silent(ws: Any) -> None:
        nonlocal connections
        connections += 1
        if connections == 2:
            second.set()
        await ws.send(json.dumps({"type": "session_created", "timestamp": "2024-01-01T00:00:00Z", "session_id": "s", "realm": "experience",
                                  "schema_hash": PROTOCOL.schema_hash, "epoch": "e1", "seq": 0}))  # fmt: skip
        async for _ in ws:
            pass  # never a pong

    async with websockets.serve(silent, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        c = chat_client(f"ws://127.0.0.1:{port}", "t", PROTOCOL, options=ClientOptions(backoff=FAST, heartbeat_interval_s=0.1, pong_timeout_s=0.1))
        await c.connect()
        await asyncio.wait_for(second.wait(), 10)
        assert c.reconnects >= 1
        await c.close()


def test_close_code_table_and_full_jitter() -> None:
    assert [decide_retry(c).retry for c in (1001, 1005, 1006, 1011, 1012, 1013, 1014, 3000, 4000, 4001, 4002, 4003, 4499)] == [True] * 13
    assert [decide_retry(c).retry for c in (1002, 1003, 1007, 1008, 1009, 1010, 4500, 4502, 4503, 4504, 4505)] == [False] * 11
    assert (decide_retry(4500).kind, decide_retry(4504).kind) == ("auth", "protocol")
    assert decide_retry(1000).retry and not decide_retry(1000, client_initiated=True).retry
    o = BackoffOptions(min_delay_s=0.5, max_delay_s=30)
    assert [full_jitter_delay(n, o, lambda: 1.0) for n in (0, 1, 2, 6, 7, 100)] == [0.5, 1.0, 2.0, 30.0, 30.0, 30.0]
    assert full_jitter_delay(100, o, lambda: 0.0) == 0.0  # full jitter after the cap: anywhere in [0, cap)


@live()
async def test_the_client_resumes_with_its_last_seq_and_epoch_and_drops_what_it_already_processed() -> None:
    resumes: list[dict[str, Any]] = []
    visits = 0

    def msg(seq: int) -> str:
        return json.dumps({"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": f"m{seq}", "seq": seq})

    async def replaying(ws: Any) -> None:
        nonlocal visits
        visits += 1
        await ws.send(json.dumps({"type": "session_created", "timestamp": "2024-01-01T00:00:00Z", "session_id": "s", "realm": "experience",
                                  "schema_hash": PROTOCOL.schema_hash, "epoch": "e1", "seq": 2 * (visits - 1)}))  # fmt: skip
        resumes.append(json.loads(await ws.recv()))
        for seq in (1, 2) if visits == 1 else (1, 2, 3):  # the second visit replays too much: the client drops 1 and 2
            await ws.send(msg(seq))
        if visits == 1:
            await ws.close(1012, "restart")
        else:
            async for _ in ws:
                pass

    seen: list[str] = []
    third = asyncio.Event()

    def on_message(m: dict[str, Any]) -> None:
        seen.append(m["message"])
        if m["message"] == "m3":
            third.set()

    async with websockets.serve(replaying, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        c = chat_client(f"ws://127.0.0.1:{port}", "t", PROTOCOL, options=ClientOptions(backoff=FAST, heartbeat_interval_s=0))
        c.subscribe(on_message)
        await c.connect()
        await asyncio.wait_for(third.wait(), 10)
        assert seen == ["m1", "m2", "m3"]
        assert [(r["type"], r["last_seq"], r["epoch"]) for r in resumes] == [("session_resume", 0, "e1"), ("session_resume", 2, "e1")]
        await c.close()


@live()
async def test_send_refuses_what_the_protocol_refuses_and_sends_nothing() -> None:
    async with Server() as s:
        c = WsgenClient(f"ws://127.0.0.1:{s.port}/api/ws/guide", s.token, PROTOCOL, ClientOptions(backoff=FAST))
        await c.connect()
        cases: list[tuple[dict[str, Any], str, str]] = [
            ({"type": "user_mesage", "message": "typo"}, "/type", "discriminator"),  # an unknown type
            ({"type": "user_message", "message": 5}, "/message", "type"),  # a wrong field type
            ({"type": "user_message", "message": "x", "extra": 1}, "", "additionalProperties"),  # an unknown property
            ({"type": "user_message"}, "", "required"),  # a missing property
            ({"type": "agent_message", "message": "x", "agent": "guide_agent"}, "/type", "x-direction"),  # the server's type
        ]
        for msg, path, keyword in cases:
            with pytest.raises(InvalidMessageError) as caught:
                await c.send(msg)
            assert caught.value.code == "INVALID_MESSAGE"
            assert (caught.value.issues[0].path, caught.value.issues[0].keyword) == (path, keyword), msg
            assert "nothing was sent" in str(caught.value)
        # Nothing reached the server: the next request is answered as the first thing the server saw.
        reply = await c.request({"type": "user_message", "message": "/echo after"})
        assert reply["message"] == "after" and c.health()["queued"] == 0
        assert "INVALID_MESSAGE" not in s.log_text() and "invalid_message" not in s.log_text()
        await c.close()
        # validate_outbound=False sends it anyway, and the server answers INVALID_MESSAGE.
        raw = WsgenClient(f"ws://127.0.0.1:{s.port}/api/ws/guide", s.token, PROTOCOL, ClientOptions(backoff=FAST, validate_outbound=False))
        await raw.connect()
        with pytest.raises(ServerError) as refused:
            await raw.request({"type": "user_message", "message": 5})
        assert (refused.value.reply["type"], refused.value.error_code) == ("error_message", "INVALID_MESSAGE")
        assert "invalid_message" in s.log_text()  # the server logs what it refuses: the check above can fail
        await raw.close()


@live()
async def test_request_raises_server_error_for_an_error_reply_as_the_ts_client_rejects() -> None:
    async with Server() as s:
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST))
        await c.connect()
        # A handler failure: AGENT_ERROR, which the protocol's table marks retryable.
        with pytest.raises(ServerError) as failed:
            await c.request(user("/fail", message_id="req-fail"))
        e = failed.value
        assert (e.code, e.error_code, e.message_id, e.retryable) == ("SERVER_ERROR", "AGENT_ERROR", "req-fail", True)
        assert e.reply["type"] == "error_message" and e.reply["message_id"] == "req-fail" and e.reply["error_code"] == "AGENT_ERROR"
        assert e.text == e.reply["message"] and "AGENT_ERROR" in str(e) and "retryable" in e.hint
        # A refusal of the frame (sent unchecked): INVALID_MESSAGE, not retryable; the id is the generated one.
        c.options = ClientOptions(backoff=FAST, validate_outbound=False)
        msg = user("x", pillar="nowhere")
        with pytest.raises(ServerError) as refused:
            await c.request(msg)
        assert (refused.value.error_code, refused.value.retryable) == ("INVALID_MESSAGE", False)
        assert refused.value.message_id == msg["message_id"] and "fix the request" in refused.value.hint
        # stream() still yields the error reply as the message that ends the stream; the connection goes on.
        got = [m async for m in c.stream(user("/fail"))]
        assert [m["type"] for m in got] == ["error_message"]
        assert (await c.request(user("/echo still open")))["message"] == "still open"
        await c.close()


@live()
async def test_request_skips_stream_chunks_by_the_protocols_stream_chunk_role() -> None:
    async with Server() as s:
        c = WsgenClient(f"ws://127.0.0.1:{s.port}/api/ws/guide", s.token, PROTOCOL, ClientOptions(backoff=FAST))
        assert c.chunk_types == frozenset({"agent_streaming"})
        await c.connect()
        done = await c.request({"type": "user_message", "message": "/stream 5"})
        assert done["type"] == "agent_complete"
        await c.close()
        assert WsgenClient("ws://127.0.0.1:1/", "t", PROTOCOL, ClientOptions(chunk_types=frozenset())).chunk_types == frozenset()


def _stalling_agents(chunks: int, release: asyncio.Event) -> dict[str, Any]:
    """A guide agent that streams ``chunks`` chunks, then neither streams nor ends until ``release`` is set:
    to the client, the same as a handler that died with its node mid-stream."""

    async def guide(_req: Any) -> Any:
        for i in range(chunks):
            yield f"c{i} "
        await release.wait()

    return {"guide_agent": guide}


@live()
async def test_a_stream_that_stops_mid_way_ends_with_request_timeout_after_the_idle_limit() -> None:
    release = asyncio.Event()
    async with Server(agents=_stalling_agents(2, release)) as s:
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST, stream_idle_timeout_s=0.5))
        await c.connect()
        got: list[dict[str, Any]] = []
        with pytest.raises(RequestTimeoutError) as e:
            async for m in c.stream(user("hello")):
                got.append(m)
        assert [m["type"] for m in got] == ["agent_streaming", "agent_streaming"]
        assert (e.value.code, e.value.phase, e.value.timeout_s) == ("REQUEST_TIMEOUT", "stream-idle", 0.5)
        assert e.value.message_id == got[0]["message_id"] and isinstance(e.value, TimeoutError)
        # request() over the same kind of stream: bounded by its deadline, the same error code
        with pytest.raises(RequestTimeoutError) as r:
            await c.request(user("again"), deadline_s=0.8)
        assert (r.value.code, r.value.phase) == ("REQUEST_TIMEOUT", "stream-idle")
        release.set()
        await c.close()


@live()
async def test_a_request_nothing_answers_ends_with_request_timeout_after_the_first_reply_limit() -> None:
    release = asyncio.Event()
    async with Server(agents=_stalling_agents(0, release)) as s:
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST, request_timeout_s=0.5))
        await c.connect()
        with pytest.raises(RequestTimeoutError) as e:
            _ = [m async for m in c.stream(user("hello"))]
        assert (e.value.code, e.value.phase, e.value.timeout_s) == ("REQUEST_TIMEOUT", "reply", 0.5)
        with pytest.raises(RequestTimeoutError) as r:
            await c.request(user("again"))
        assert (r.value.code, r.value.phase, r.value.timeout_s) == ("REQUEST_TIMEOUT", "reply", 0.5)
        release.set()
        await c.close()


def test_the_stream_bounds_default_to_the_ts_clients_30_s() -> None:
    o = ClientOptions()
    assert (o.request_timeout_s, o.stream_idle_timeout_s) == (30.0, 30.0)
