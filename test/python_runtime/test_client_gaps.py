"""The asyncio client reports a seq jump that no RECOVERY_FAILED announced, as the TS client's ``gap_detected``
(runtime/client/session.ts): in ``recovery_failures`` with the lost range, logged as ``gap_detected`` with the
code RECOVERY_FAILED and a hint; the message after the jump is still delivered. A range the server announced
with RECOVERY_FAILED (a resume after the buffer lost messages) is not reported twice."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from wsgen_runtime import JsonLogger
from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions
from wsgen_runtime.dispatch import Request
from wsgen_runtime.sessions import ReplayLimits

from .harness import PROTOCOL, WAIT_S, Lines, Server, live

FAST = BackoffOptions(min_delay_s=0.02, max_delay_s=0.2)


def skipping(req: Request) -> Any:
    """A faulty server: ``/skip n`` burns n seqs (as an invalid message once did) before it replies."""
    text = req.message.message
    if text.startswith("/skip "):
        req.stream.seq += int(text.split()[1])
    return f"reply to {text}"


@live()
async def test_an_unannounced_seq_jump_is_reported_as_gap_detected_and_the_message_delivered() -> None:
    async with Server(agents={"guide_agent": skipping}) as s:
        lines = Lines()
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST, logger=JsonLogger("debug", lines)))
        await c.connect()
        first = (await c.request({"type": "user_message", "message": "/skip 0"}))["seq"]
        reply = await c.request({"type": "user_message", "message": "/skip 2"})
        assert (reply["message"], reply["seq"]) == ("reply to /skip 2", first + 3)
        assert c.recovery_failures == [{"first_missing": first + 1, "last_missing": first + 2, "reason": "gap_detected"}]
        logged = [json.loads(t) for t in lines.text if '"gap_detected"' in t]
        assert [(e["code"], e["first_missing"], e["last_missing"]) for e in logged] == [("RECOVERY_FAILED", first + 1, first + 2)]
        assert logged[0]["hint"]
        await c.close()


@live()
async def test_a_range_announced_by_recovery_failed_is_not_reported_again() -> None:
    async with Server(agents={"guide_agent": skipping}, replay=ReplayLimits(max_messages=2, max_bytes=1 << 20, ttl_s=60)) as s:
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST))
        await c.connect()
        last = (await c.request({"type": "user_message", "message": "/skip 0"}))["seq"]
        (conn,) = s.core.registry.all()
        conn.close(1012, "test: drop")  # the client reconnects; meanwhile five messages, of which two stay buffered
        for i in range(5):
            notice = {"type": "agent_message", "timestamp": "2026-01-01T00:00:00.000Z", "message": f"m{i}", "agent": "guide_agent"}
            s.core.send_to_session(c.session_id or "", "guide", notice)
        resumed = asyncio.Event()
        c.subscribe(lambda m: resumed.set() if m["type"] == "session_updated" else None)
        await asyncio.wait_for(resumed.wait(), WAIT_S)
        reply = await c.request({"type": "user_message", "message": "after"})
        assert reply["seq"] == last + 7  # five sent, then session_updated, then the reply
        assert c.recovery_failures == [{"first_missing": last + 1, "last_missing": last + 3}]  # announced by the server, no gap_detected
        assert "resumed_with_gap" in c.resumes
        await c.close()
