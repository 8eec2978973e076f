"""Generated models on every outbound path, one rule (``wire.as_message`` and ``wire.to_json``): a model is written
as ``dump_message`` writes it, a field never set left out (never ``null``, which a ``NotNull`` field refuses) and
one set to ``None`` written as ``null``, whether a handler returns it, ``emit``s it, a stream ends with it, the
server publishes it or sends it to a session, or the client sends or requests it; at the top of the message or
inside a dict. Before, only a handler's return value was dumped this way: ``emit``, ``publish``,
``send_to_session`` and the client's ``send``/``request``/``stream`` refused a model (AttributeError, TypeError)
and wrote a model inside a dict with every unset field as ``null``. The whiteboard's typed place (a ``Shape``
inside ``shape_added``, refused as ``invalid_outbound`` before) is in test_outbound_json.py; the Redis paths in
cluster/test_outbound_models_redis.py."""

from __future__ import annotations

import json
from typing import Any

from wsgen_protocol.models import AgentMessage, ProgressUpdate, SystemMessage, UserMessage

from wsgen_runtime import Audience, Request, stream
from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import ClientOptions

from .harness import PROTOCOL, Server, live, now_iso
from .test_server_app import _connect, _recv, _server, _serving

TS = "2026-01-02T03:04:05.678Z"


def progress() -> ProgressUpdate:
    """A model whose optional fields (message_id, session_id, agent, data... all ``NotNull``) were never set."""
    return ProgressUpdate(type="progress_update", timestamp=TS, progress=0.5)


#: ``progress()`` on the wire: its set fields only.
PROGRESS = {"type": "progress_update", "timestamp": "2026-01-02T03:04:05.678000Z", "progress": 0.5}


def _no_nulls(m: dict[str, Any]) -> dict[str, Any]:
    """``m`` after checking that no field of it is ``null`` (at any depth)."""
    assert "null" not in json.dumps(m), m
    return m


def _handler(req: Request) -> Any:
    """``user_message`` by its text: ``reply``, ``emit``, ``end`` (a stream whose end fields hold a model)."""
    what = req.message.message
    if what == "reply":
        return AgentMessage(type="agent_message", timestamp=TS, message="a model", agent="guide_agent", data=progress())
    if what == "emit":
        req.emit(progress())
        req.emit({"type": "system_message", "timestamp": TS, "message": "a model inside", "data": progress()})
        return None
    return stream(["a"], end={"message": "done", "data": progress()})


@live()
async def test_a_reply_an_emit_and_a_stream_end_write_a_model_without_its_unset_fields() -> None:
    app, token = _server(handlers={"user_message": _handler})
    async with _serving(app) as port, await _connect(port, "/chat", token) as ws:
        await _recv(ws)
        for i, what in enumerate(("reply", "emit", "end")):
            await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": what, "message_id": f"q{i}"}))
        reply = _no_nulls(await _recv(ws))
        assert (reply["type"], reply["message"], reply["message_id"], reply["data"]) == ("agent_message", "a model", "q0", PROGRESS)
        assert set(reply) == {"type", "timestamp", "message", "agent", "data", "message_id", "seq"}
        emitted = [_no_nulls(await _recv(ws)) for _ in range(2)]
        assert emitted[0] == {**PROGRESS, "seq": 2}
        assert (emitted[1]["message"], emitted[1]["data"]) == ("a model inside", PROGRESS)
        chunk, end = _no_nulls(await _recv(ws)), _no_nulls(await _recv(ws))
        assert (chunk["type"], end["type"], end["message"], end["data"]) == ("agent_streaming", "agent_complete", "done", PROGRESS)


@live()
async def test_publish_and_send_to_session_take_a_model_and_write_it_without_its_unset_fields() -> None:
    app, token = _server()
    core = app.state.wsgen.core
    async with _serving(app) as port, await _connect(port, "/chat", token) as ws:
        created = await _recv(ws)
        note = SystemMessage(type="system_message", timestamp=TS, message="to everyone")
        assert core.publish(Audience(tenant="dev-tenant", user_id="ada"), note) == 1
        got = _no_nulls(await _recv(ws))
        assert (got["type"], got["message"], got["seq"]) == ("system_message", "to everyone", 1)
        assert set(got) == {"type", "timestamp", "message", "seq", "realm"}  # realm: the session_fields option
        assert core.send_to_session(created["session_id"], "guide", progress())
        assert _no_nulls(await _recv(ws)) == {**PROGRESS, "seq": 2}
        assert core.send_to_session(created["session_id"], "guide", {"type": "system_message", "timestamp": TS, "message": "x", "data": progress()})
        assert _no_nulls(await _recv(ws))["data"] == PROGRESS


@live()
async def test_the_client_sends_requests_and_streams_a_model_without_its_unset_fields() -> None:
    async with Server() as s:
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=ClientOptions(validate_outbound=True))
        await c.connect()
        reply = await c.request(UserMessage(type="user_message", timestamp=TS, message="/echo hi"))
        assert (reply["type"], reply["message"]) == ("agent_message", "hi")
        got = [m async for m in c.stream(UserMessage(type="user_message", timestamp=TS, message="/stream 2"))]
        assert [m["type"] for m in got] == ["agent_streaming", "agent_streaming", "agent_complete"]
        assert await c.send(UserMessage(type="user_message", timestamp=TS, message="/echo sent", metadata={"p": progress()})) == "sent"
        echoed = await c.request(UserMessage(type="user_message", timestamp=TS, message="/echo again"))
        assert echoed["message"] == "again"
        await c.close()
        # The server read every frame as valid: no INVALID_MESSAGE came back, and no frame held a null.
        assert "INVALID_MESSAGE" not in s.log_text() and "invalid_frame" not in s.log_text()
