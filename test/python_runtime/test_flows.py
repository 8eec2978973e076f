"""Guide and liaison flows, streaming order, handler outcomes, and per-message checks, against a real uvicorn."""

from __future__ import annotations

from wsgen_runtime import Audience
from wsgen_runtime.app import LIAISON_AGENTS

from .harness import PROTOCOL, Client, Server, live


def done(m: dict[str, object]) -> bool:
    return m["type"] in ("agent_complete", "agent_message", "error_message")


@live()
async def test_guide_flow_session_created_then_streamed_answer_in_seq_order() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        assert c.ws.subprotocol == "wsgen.v1"
        created = await c.recv()
        assert created["type"] == "session_created"
        assert created["session_id"] == s.session.session_id
        assert created["realm"] == "experience" and created["agent"] == "guide_agent" and "pillar" not in created
        assert created["schema_hash"] == PROTOCOL.schema_hash and created["seq"] == 0 and "epoch" in created
        assert "session_token" not in created
        await c.send({"type": "user_message", "message": "hello guide", "message_id": "m-1"})
        msgs = await c.until(done)
        chunks = msgs[:-1]
        assert [m["type"] for m in chunks] == ["agent_streaming"] * len(chunks) and len(chunks) > 3
        assert [m["stream_index"] for m in chunks] == list(range(len(chunks)))
        assert [m["seq"] for m in msgs] == list(range(1, len(msgs) + 1))
        assert all(m["message_id"] == "m-1" and m["agent"] == "guide_agent" for m in msgs)
        assert "".join(str(m["message"]) for m in chunks) == "Guide agent here. You said: hello guide. This is a mock streamed answer."
        assert msgs[-1]["type"] == "agent_complete" and msgs[-1]["is_streaming"] is False
        for m in [created, *msgs]:
            assert PROTOCOL.validate(m) == (), m


@live()
async def test_every_liaison_pillar_answers_with_its_agent_and_pillar() -> None:
    async with Server() as s:
        for pillar, agent in LIAISON_AGENTS.items():
            c = await Client.connect(s, f"/api/ws/liaison/{pillar}")
            created = await c.recv()
            assert (created["agent"], created["pillar"]) == (agent, pillar)
            await c.send({"type": "user_message", "message": "/echo ping " + pillar, "message_id": f"e-{pillar}", "pillar": pillar})
            reply = await c.recv()
            assert reply["type"] == "agent_message" and reply["message"] == "ping " + pillar
            assert (reply["agent"], reply["pillar"], reply["seq"]) == (agent, pillar, 1)
            await c.send({"type": "user_message", "message": "hi", "message_id": f"w-{pillar}"})
            words = await c.until(done)
            assert "".join(str(m.get("message", "")) for m in words).startswith(f"{pillar} liaison here.")
            await c.close()


@live()
async def test_long_stream_keeps_order_and_seq_without_gaps() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await c.send({"type": "user_message", "message": "/stream 200", "message_id": "s-1"})
        msgs = await c.until(done)
        assert [m["stream_index"] for m in msgs[:-1]] == list(range(200))
        assert [m["message"] for m in msgs[:-1]] == [f"chunk {i} " for i in range(200)]
        assert [m["seq"] for m in msgs] == list(range(1, 202))


@live()
async def test_handler_outcomes_error_timeout_progress_and_unavailable() -> None:
    async with Server(handler_timeout_s=0.3) as s:
        c = await Client.connect(s)
        await c.recv()
        await c.send({"type": "user_message", "message": "/fail", "message_id": "f-1"})
        err = await c.recv()
        assert (err["type"], err["error_code"], err["message_id"], err["seq"]) == ("error_message", "AGENT_ERROR", "f-1", 1)
        assert "reference agent failure" not in err["message"]  # expose_errors is off
        await c.send({"type": "user_message", "message": "/hang", "message_id": "h-1"})
        err = await c.recv()
        assert (err["error_code"], err["message_id"], err["seq"]) == ("AGENT_TIMEOUT", "h-1", 2)
        await c.send({"type": "user_message", "message": "/progress", "message_id": "p-1"})
        msgs = await c.until(done)
        assert [m["progress"] for m in msgs if m["type"] == "progress_update"] == [0.25, 0.5, 0.75, 1]
        assert msgs[-1]["type"] == "agent_message" and msgs[-1]["data"] == {"steps": 4}
        assert s.core.metrics.text().count(b'outcome="timeout"') > 0
    async with Server(max_in_flight=2) as s:
        c = await Client.connect(s)
        await c.recv()
        for i in range(3):
            await c.send({"type": "user_message", "message": "/hang", "message_id": f"hang-{i}"})
        err = await c.recv()
        assert (err["error_code"], err["message_id"], err["seq"]) == ("RATE_LIMITED", "hang-2", 1)
        assert s.core.health()["inFlight"] == 2
    async with Server(agents={}) as s:
        c = await Client.connect(s)
        await c.recv()
        await c.send({"type": "user_message", "message": "anyone?", "message_id": "u-1"})
        err = await c.recv()
        assert (err["error_code"], err["message_id"]) == ("AGENT_UNAVAILABLE", "u-1")


@live()
async def test_connection_level_refusals_carry_no_seq_and_keep_the_connection() -> None:
    async with Server() as s:
        c = await Client.connect(s, "/api/ws/liaison/content")
        await c.recv()
        cases = [
            ({"type": "agent_message", "message": "x", "agent": "guide_agent", "message_id": "a"}, "UNSUPPORTED_TYPE"),
            ({"type": "user_message", "message": "x", "session_token": "other", "message_id": "b"}, "UNAUTHORIZED"),
            ({"type": "user_message", "message": "x", "session_id": "someone-else", "message_id": "c"}, "UNAUTHORIZED"),
            ({"type": "user_message", "message": "x", "pillar": "insights", "message_id": "d"}, "FORBIDDEN"),
        ]
        for msg, code in cases:
            await c.send(msg)
            err = await c.recv()
            assert (err["type"], err["error_code"], err["message_id"]) == ("error_message", code, msg["message_id"])
            assert "seq" not in err
        await c.send({"type": "ping", "message_id": "pp-1"})
        pong = await c.recv()
        assert (pong["type"], pong["message_id"]) == ("pong", "pp-1") and "seq" not in pong
        await c.send({"type": "user_message", "message": "/echo still open", "session_token": s.token, "message_id": "e"})
        reply = await c.recv()
        assert reply["message"] == "still open" and reply["seq"] == 1


@live()
async def test_publish_reaches_only_the_same_tenant_and_realm() -> None:
    async with Server() as s:
        other_realm, _ = s.validator.issue(user_id="u2", attributes={"realm": "smart_city"})
        other_tenant, _ = s.validator.issue(user_id="u3", tenant="t-other", attributes={"realm": "experience"})
        a = await Client.connect(s)
        b = await Client.connect(s, token=other_realm)
        d = await Client.connect(s, token=other_tenant)
        for c in (a, b, d):
            await c.recv()
        n = s.core.publish(
            Audience(tenant="dev-tenant", attributes={"realm": "experience"}),
            {"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": "maintenance"},
        )
        assert n == 1
        got = await a.recv()
        assert (got["type"], got["realm"], got["seq"]) == ("system_message", "experience", 1)
        for c in (b, d):
            await c.send({"type": "ping", "message_id": "x"})
            assert (await c.recv())["type"] == "pong"  # nothing published arrived before the pong
