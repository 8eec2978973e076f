"""Drop and resume (PROTOCOL.md "Session resume"): replay after last_seq, held live messages, gaps reported as
RECOVERY_FAILED, last_seq ahead, and an epoch mismatch after a server restart, against a real uvicorn."""

from __future__ import annotations

from typing import Any

from wsgen_runtime import ReplayLimits

from .harness import Client, Server, free_port, live


def system(text: str) -> dict[str, Any]:
    return {"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": text}


async def stream_of(c: Client, n: int) -> list[dict[str, Any]]:
    await c.send({"type": "user_message", "message": f"/stream {n}", "message_id": "st"})
    return await c.until(lambda m: m["type"] == "agent_complete")


@live()
async def test_drop_then_resume_replays_after_last_seq_in_order_and_holds_live_messages() -> None:
    async with Server() as s:
        a = await Client.connect(s)
        created = await a.recv()
        msgs = await stream_of(a, 5)  # seq 1..6
        assert msgs[-1]["seq"] == 6
        await a.close()  # the client processed only up to seq 3 (say): it resumes from there
        sid = s.session.session_id
        assert s.core.send_to_session(sid, "guide", system("while away"))  # seq 7, buffered
        b = await Client.connect(s)
        again = await b.recv()
        assert (again["type"], again["epoch"], again["seq"]) == ("session_created", created["epoch"], 7)
        assert s.core.send_to_session(sid, "guide", system("held until the resume"))  # seq 8: held, not sent yet
        await b.send({"type": "session_resume", "session_id": sid, "last_seq": 3, "epoch": created["epoch"], "message_id": "r-1"})
        got = await b.until(lambda m: m["type"] == "session_updated")
        assert [m["seq"] for m in got] == [4, 5, 6, 7, 8, 9]
        assert [m["type"] for m in got[3:]] == ["system_message", "system_message", "session_updated"]
        assert (got[-1]["status"], got[-1]["message_id"]) == ("resumed", "r-1")
        assert b'type="replay"' in s.core.metrics.text()


@live()
async def test_a_gap_beyond_the_replay_buffer_is_reported_before_the_rest_is_replayed() -> None:
    async with Server(replay=ReplayLimits(max_messages=3)) as s:
        a = await Client.connect(s)
        created = await a.recv()
        await stream_of(a, 9)  # seq 1..10; the buffer keeps 8..10
        await a.close()
        b = await Client.connect(s)
        await b.recv()
        await b.send({"type": "session_resume", "session_id": s.session.session_id, "last_seq": 2, "epoch": created["epoch"]})
        got = await b.until(lambda m: m["type"] == "session_updated")
        err = got[0]
        assert (err["error_code"], err["error_details"]) == ("RECOVERY_FAILED", {"first_missing": 3, "last_missing": 7})
        assert "seq" not in err
        assert [m["seq"] for m in got[1:]] == [8, 9, 10, 11]
        assert got[-1]["status"] == "resumed_with_gap"


@live()
async def test_last_seq_beyond_the_latest_is_reported_as_last_seq_ahead() -> None:
    async with Server() as s:
        a = await Client.connect(s)
        created = await a.recv()
        await a.send({"type": "session_resume", "session_id": s.session.session_id, "last_seq": 999, "epoch": created["epoch"]})
        got = await a.until(lambda m: m["type"] == "session_updated")
        assert got[0]["error_details"] == {"first_missing": None, "last_missing": None, "latest_seq": 0, "reason": "last_seq_ahead"}
        assert got[-1]["status"] == "resumed_with_gap"


@live()
async def test_after_a_server_restart_the_old_epoch_gets_epoch_mismatch_and_the_new_epoch_from_its_start() -> None:
    port = free_port()
    async with Server(port=port, token="restart-token", session_id="sess-restart") as s1:
        a = await Client.connect(s1)
        first = await a.recv()
        await stream_of(a, 3)  # seq 1..4 of epoch 1
        await s1.drain()
        code, _ = await a.closed()
        assert code == 1012
    async with Server(port=port, token="restart-token", session_id="sess-restart") as s2:
        other = await Client.connect(s2)  # another client takes the new epoch past seq 4 first
        second = await other.recv()
        assert second["epoch"] != first["epoch"] and second["seq"] == 0
        await stream_of(other, 5)  # seq 1..6 of epoch 2
        await other.close()
        b = await Client.connect(s2)
        await b.recv()
        await b.send({"type": "session_resume", "session_id": "sess-restart", "last_seq": 4, "epoch": first["epoch"]})
        got = await b.until(lambda m: m["type"] == "session_updated")
        details = got[0]["error_details"]
        assert (got[0]["error_code"], details["reason"], details["epoch"], details["latest_seq"]) == (
            "RECOVERY_FAILED",
            "epoch_mismatch",
            second["epoch"],
            6,
        )
        assert [m["seq"] for m in got[1:]] == [1, 2, 3, 4, 5, 6, 7]
        assert got[-1]["status"] == "resumed_with_gap"


@live()
async def test_without_a_resume_held_messages_flow_after_resume_wait_or_at_the_first_request() -> None:
    async with Server(resume_wait_s=0.2) as s:
        a = await Client.connect(s)
        await a.recv()
        await stream_of(a, 1)  # seq 1..2
        await a.close()
        s.core.send_to_session(s.session.session_id, "guide", system("before the link"))  # seq 3: session_created says so
        b = await Client.connect(s)
        assert (await b.recv())["seq"] == 3
        s.core.send_to_session(s.session.session_id, "guide", system("after the link"))  # seq 4: held
        m = await b.recv()  # after resume_wait_s: what was produced since the link
        assert (m["type"], m["message"], m["seq"]) == ("system_message", "after the link", 4)
        await b.close()
    async with Server() as s:
        a = await Client.connect(s)
        await a.recv()
        await stream_of(a, 1)
        await a.close()
        b = await Client.connect(s)
        await b.recv()
        s.core.send_to_session(s.session.session_id, "guide", system("held"))  # seq 3, held
        await b.send({"type": "user_message", "message": "/echo now", "message_id": "n"})
        got = await b.until(lambda m: m["type"] == "agent_message")
        assert [(m["type"], m["seq"]) for m in got] == [("system_message", 3), ("agent_message", 4)]
