"""A handler's failure and timeout, worded and logged as the Node server does: ``create_server`` handlers as Node's
``createServer`` (runtime/server/pipeline.ts: "the server failed while handling the message", ``handler failed:
<error>`` with ``expose_errors``, "<type> was not answered within <ms> ms"), the bundled chat app as Node's chat
service (runtime/server/chat/service.ts: "the agent failed ...", "agent failed: <error>", "the agent did not answer
within <ms> ms"); the ``handler_error`` and ``handler_timeout`` lines carry the request's message ``type`` (Node's
field name), the chat app's are Node's chat service's ``agent_error`` and ``agent_timeout`` with the ``agent``.
``connection_opened`` carries the session's ``realm`` and ``shutdown_started`` its durations in ms, as on Node. Before, Python said "the handler failed while handling the message" and "the handler did not answer
within <s> s" in both, and its log lines had no ``type`` (an invalid reply's line had the reply's type there). The
matrix compares the chat app's failure text across the two servers (test/matrix, scenario handler_failure)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from wsgen_protocol.protocol import PROTOCOL

from wsgen_runtime import InMemorySessionValidator, JsonLogger, Request, ServerOptions, create_app

from .harness import Client, Server, live, now_iso
from .test_server_app import _connect, _recv, _serving


def _events(logs: list[str], event: str) -> list[dict[str, Any]]:
    return [e for e in map(json.loads, logs) if e["event"] == event]


def broken(req: Request) -> Any:
    raise RuntimeError("boom")


async def slow(req: Request) -> Any:
    await asyncio.sleep(5)


def bad_reply(req: Request) -> Any:
    return {"type": "agent_message", "message": "x", "agent": "guide_agent", "metadata": "not an object"}


def _app(lines: list[str], handler: Any, **options: Any) -> tuple[Any, str]:
    """The bundled protocol served by ``handler`` for ``user_message`` (as test_server_app.py), logging JSON lines into
    ``lines``."""
    validator = InMemorySessionValidator()
    token, _ = validator.issue(user_id="ada")
    o = ServerOptions(logger=JsonLogger("debug", lines.append), validate_outbound=True, heartbeat_interval_s=0, **options)
    app = create_app(PROTOCOL, endpoints={"guide": "/chat"}, handlers={"user_message": handler}, validator=validator, options=o,
                     session_fields=lambda session: {"realm": "experience"}, timestamp_field="timestamp")  # fmt: skip
    return app, token


async def _ask(port: int, token: str, text: str) -> dict[str, Any]:
    async with await _connect(port, "/chat", token) as ws:
        await _recv(ws)
        await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": text, "message_id": "q1"}))
        return await _recv(ws)


@live()
async def test_create_server_words_a_failure_and_a_timeout_as_nodes_create_server_and_logs_the_type() -> None:
    lines: list[str] = []
    app, token = _app(lines, lambda req: {"raise": broken, "slow": slow, "bad": bad_reply}[req.message.message](req), handler_timeout_s=0.2)
    async with _serving(app) as port:
        failed = await _ask(port, token, "raise")
        assert (failed["error_code"], failed["message"]) == ("INTERNAL_ERROR", "the server failed while handling the message")
        timed_out = await _ask(port, token, "slow")
        assert timed_out["message"] == "user_message was not answered within 200 ms"
        assert (await _ask(port, token, "bad"))["message"] == "the server failed while handling the message"
    errors, timeouts = _events(lines, "handler_error"), _events(lines, "handler_timeout")
    assert [(e["type"], e["message_id"], e["endpoint"]) for e in errors] == [("user_message", "q1", "guide")] * 2
    assert errors[0]["error"] == "RuntimeError('boom')" and errors[1]["errors"][0]["path"] == "/metadata"
    assert errors[1]["error"].startswith("invalid outbound agent_message: ") and "agent_message" in errors[1]["hint"]
    assert [(e["type"], e["hint"]) for e in timeouts] == [("user_message", "no answer within 200 ms")]


@live()
async def test_expose_errors_gives_nodes_handler_failed_prefix() -> None:
    app, token = _app([], broken, expose_errors=True)
    async with _serving(app) as port:
        assert (await _ask(port, token, "raise"))["message"] == "handler failed: boom"


@live()
async def test_the_bundled_chat_app_words_them_as_nodes_chat_service() -> None:
    async with Server(handler_timeout_s=0.3) as s:
        c = await Client.connect(s)
        await c.recv()
        await c.send({"type": "user_message", "message": "/fail", "message_id": "f-1"})
        assert (await c.recv())["message"] == "the agent failed while handling the message"
        await c.send({"type": "user_message", "message": "/hang", "message_id": "h-1"})
        assert (await c.recv())["message"] == "the agent did not answer within 300 ms"
        events = [json.loads(line) for line in s.logs.text]
        assert [(e["event"], e["agent"], e["message_id"], e["code"]) for e in events if e["event"] in ("agent_error", "agent_timeout")] == [
            ("agent_error", "guide_agent", "f-1", "AGENT_ERROR"),
            ("agent_timeout", "guide_agent", "h-1", "AGENT_TIMEOUT"),
        ]
        assert not [e for e in events if e["event"] in ("handler_error", "handler_timeout")]
    async with Server(expose_errors=True) as s:
        c = await Client.connect(s)
        await c.recv()
        await c.send({"type": "user_message", "message": "/fail", "message_id": "f-2"})
        assert (await c.recv())["message"].startswith("agent failed: ")


@live()
async def test_connection_opened_has_the_realm_and_shutdown_started_the_durations_in_ms_as_node() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await s.drain()
    events = {e["event"]: e for e in map(json.loads, s.logs.text)}
    opened = events["connection_opened"]
    assert [k for k in opened if k not in ("time", "level", "event")] == ["connection_id", "session_id", "user_id", "realm", "endpoint", "rejoined"]
    assert opened["realm"] == "experience"  # Node's field order (runtime/server/core.ts)
    started = events["shutdown_started"]
    assert {k: started[k] for k in ("jitter_ms", "deadline_ms")} == {"jitter_ms": 1000, "deadline_ms": 5000} and "deadline_s" not in started
