"""Invalid outbound messages (``validate_outbound``): whatever path built one (a sync or async handler's reply, a
stream chunk, ``emit``, a publish, ``send_to_session``), it is not sent and takes no seq, so the stream keeps no
gap; a request gets the handler-failure reply (AGENT_ERROR here, INTERNAL_ERROR in a protocol without it:
test_whiteboard.py) under its message_id and the connection stays open; the fault is
logged with its code and a hint. (The Node server's counterpart is test/server/outbound.test.ts.)"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from wsgen_runtime import Audience
from wsgen_runtime.dispatch import Request
from wsgen_runtime.wire import InvalidOutboundError, timestamp

from .harness import Client, Server, live

#: A reply the bundled schema refuses: metadata must be an object.
BAD_REPLY = {"message": "price 0.21000000000000002", "metadata": "not an object"}
#: A chunk the bundled schema refuses: message is at most 32768 characters.
BAD_CHUNK = "x" * 40000


def sync_bad(req: Request) -> Any:
    return BAD_REPLY


async def async_bad(req: Request) -> Any:
    return BAD_REPLY


async def _stream(req: Request) -> AsyncIterator[str]:
    yield "first "
    yield BAD_CHUNK
    yield "never sent"


def stream_bad(req: Request) -> Any:
    return _stream(req)


def emit_bad(req: Request) -> Any:
    req.emit({"type": "progress_update", "timestamp": timestamp(), "message_id": req.message_id, "progress": 1.5, "agent": "guide_agent"})
    return "not reached"


def route(req: Request) -> Any:
    """One handler per command: the first word of the message picks the faulty path."""
    text = req.message.message
    if text == "ok":
        return "fine"
    return {"sync": sync_bad, "async": async_bad, "stream": stream_bad, "emit": emit_bad}[text](req)


def invalid_logs(s: Server) -> list[dict[str, Any]]:
    return [json.loads(line) for line in s.logs.text if '"invalid_outbound"' in line or '"agent_error"' in line]


@pytest.mark.parametrize("path", ["sync", "async", "stream", "emit"])
@live()
async def test_an_invalid_reply_is_not_sent_takes_no_seq_and_answers_internal_error(path: str) -> None:
    async with Server(agents={"guide_agent": route}) as s:
        c = await Client.connect(s)
        await c.recv()  # session_created
        await c.send({"type": "user_message", "message": path, "message_id": "r-1"})
        msgs = await c.until(lambda m: m["type"] == "error_message")
        first = 1
        if path == "stream":  # the valid chunk before the bad one was sent
            assert [(m["type"], m["seq"]) for m in msgs[:-1]] == [("agent_streaming", 1)]
            first = 2
        else:
            assert len(msgs) == 1
        err = msgs[-1]
        assert (err["error_code"], err["message_id"], err["seq"]) == ("AGENT_ERROR", "r-1", first)  # as the Node chat app
        assert "metadata" not in err["message"] and "40000" not in err["message"]  # expose_errors is off
        # The connection stays open and the stream has no gap: the next reply takes the next seq.
        await c.send({"type": "user_message", "message": "ok", "message_id": "r-2"})
        reply = await c.recv()
        assert (reply["type"], reply["message"], reply["seq"]) == ("agent_message", "fine", first + 1)
        logs = invalid_logs(s)
        assert [e["event"] for e in logs] == ["invalid_outbound", "agent_error"]  # the Node chat service's events
        assert [e["code"] for e in logs] == ["INTERNAL_ERROR", "AGENT_ERROR"] and all("schema" in e["hint"] for e in logs)
        assert logs[1]["message_id"] == "r-1" and logs[1]["connection_id"]


@live()
async def test_an_invalid_publish_or_session_send_raises_and_takes_no_seq() -> None:
    async with Server(agents={"guide_agent": route}) as s:
        c = await Client.connect(s)
        created = await c.recv()
        bad = {"type": "agent_message", "timestamp": timestamp(), "message": "x", "agent": "guide_agent", "metadata": 7}
        with pytest.raises(InvalidOutboundError) as raised:
            s.core.publish(Audience(tenant="dev-tenant", attributes={"realm": "experience"}), bad)
        assert raised.value.code == "INTERNAL_ERROR" and raised.value.issues[0]["path"] == "/metadata"
        with pytest.raises(InvalidOutboundError):
            s.core.send_to_session(created["session_id"], "guide", dict(bad))
        good = {**bad, "metadata": {"ok": True}}
        assert s.core.send_to_session(created["session_id"], "guide", good)
        m = await c.recv()
        assert (m["type"], m["metadata"], m["seq"]) == ("agent_message", {"ok": True}, 1)


@live()
async def test_a_request_without_message_id_gets_none_but_a_stream_reply_gets_a_server_id() -> None:
    """The rule both servers follow (Node: test/server/suite/outbound.test.ts, routing.test.ts): a request sent
    without a ``message_id`` keeps none (its reply and error reply carry none); a stream reply gives it ``s<n>``
    (n hexadecimal), since agent_streaming and agent_complete require one."""
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await c.send({"type": "user_message", "message": "/echo hi"})
        reply = await c.recv()
        assert reply["type"] == "agent_message" and reply["message"] == "hi" and "message_id" not in reply
        await c.send({"type": "user_message", "message": "/stream 2"})
        msgs = await c.until(lambda m: m["type"] == "agent_complete")
        ids = {m["message_id"] for m in msgs}
        assert len(msgs) == 3 and len(ids) == 1 and re.fullmatch(r"s[0-9a-f]+", ids.pop())
        await c.send({"type": "user_message", "message": "/fail"})
        err = await c.recv()
        assert err["type"] == "error_message" and "message_id" not in err
