"""A protocol with a ``sequence`` field role but not the whole resume capability (``test/fixtures/numbered``: no
session-created, session-resume or session-updated role) numbers nothing, as on the Node server, whose session
streams number and buffer only with ``has('resume')`` (runtime/server/sessions.ts, roles.ts; docs/roles.md): its
messages go out without the sequence field, nothing is buffered, a message for a session without a live connection
is lost, and a reconnect gets nothing replayed. The fixture is generated into a temp folder as the package
``numbered_protocol`` and served by ``create_app`` on a real uvicorn (127.0.0.1, port 0)."""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from wsgen_runtime import InMemorySessionValidator, Request, ServerOptions, create_app
from wsgen_runtime.client import ClientOptions, WsgenClient
from wsgen_runtime.generated import from_generated

from .harness import PROTOCOL, WAIT_S, live
from .test_server_app import _connect, _recv, _serving

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def numbered() -> Iterator[Any]:
    """The generated ``PROTOCOL`` of test/fixtures/numbered, imported as ``numbered_protocol``."""
    with tempfile.TemporaryDirectory(prefix="wsgen-numbered-") as tmp:
        out = Path(tmp) / "out"
        subprocess.run(["node", str(ROOT / "bin" / "wsgen.js"), "generate", "--schema", str(ROOT / "test" / "fixtures" / "numbered"),
                        "--out", str(out), "--target", "python", "--quiet"], check=True, timeout=120)  # fmt: skip
        (out / "python" / "wsgen_protocol").rename(Path(tmp) / "numbered_protocol")  # its imports are relative
        sys.path.insert(0, tmp)
        try:
            yield importlib.import_module("numbered_protocol.protocol").PROTOCOL
        finally:
            sys.path.remove(tmp)
            for name in [m for m in sys.modules if m.split(".")[0] == "numbered_protocol"]:
                del sys.modules[name]


def _quote(req: Request) -> Any:
    return {"kind": "quote", "symbol": req.message.symbol, "price": 1.5}


def test_a_sequence_field_alone_is_not_the_resume_capability(numbered: Any) -> None:
    assert numbered.fields["sequence"] == "n" and numbered.capabilities == ()
    d = from_generated(numbered)
    assert d.fields.seq == "n" and not d.resumable
    assert PROTOCOL.resumable  # the bundled protocol has every session role and a sequence field
    validator = InMemorySessionValidator()
    app = create_app(numbered, endpoints={"ticker": "/ticker"}, handlers={"ask": _quote}, validator=validator)
    assert app.state.wsgen.core.sessions.seq_field is None


@live()
async def test_messages_carry_no_seq_and_nothing_is_buffered_or_replayed(numbered: Any) -> None:
    validator = InMemorySessionValidator()
    token, session = validator.issue(user_id="ada")
    app = create_app(numbered, endpoints={"ticker": "/ticker"}, handlers={"ask": _quote}, validator=validator,
                     options=ServerOptions(validate_outbound=True, heartbeat_interval_s=0))  # fmt: skip
    core = app.state.wsgen.core
    async with _serving(app) as port:
        async with await _connect(port, "/ticker", token) as ws:  # no session-created role: the server says nothing first
            await ws.send('{"kind":"ask","id":"a1","symbol":"ACME"}')
            assert await _recv(ws) == {"kind": "quote", "id": "a1", "symbol": "ACME", "price": 1.5}
            assert core.send_to_session(session.session_id, "ticker", {"kind": "quote", "symbol": "PUSH", "price": 2.0})
            assert await _recv(ws) == {"kind": "quote", "symbol": "PUSH", "price": 2.0}
            (stream,) = core.sessions.sessions[session.session_id].streams.values()
            assert stream.seq == 0 and stream.buffered == (0, 0)
        # No live connection (polled until the server saw the close, bounded): the message is lost, not kept for a replay.
        for _ in range(int(WAIT_S / 0.01)):
            if stream.conn is None:
                break
            await asyncio.sleep(0.01)
        assert stream.conn is None
        assert core.send_to_session(session.session_id, "ticker", {"kind": "quote", "symbol": "LOST", "price": 3.0}) is False
        async with await _connect(port, "/ticker", token) as ws:
            await ws.send('{"kind":"ask","id":"a2","symbol":"ACME"}')
            assert await _recv(ws) == {"kind": "quote", "id": "a2", "symbol": "ACME", "price": 1.5}  # first: nothing replayed
        assert stream.seq == 0 and stream.buffered == (0, 0)


@live()
async def test_a_resume_message_is_not_served_without_the_capability() -> None:
    """A descriptor with the session roles but no sequence field (so not resumable) routes ``session_resume`` as Node's
    route table does without ``has('resume')``: to its handler, here none, so UNSUPPORTED_TYPE, and no session_updated."""
    proto = replace(PROTOCOL, fields=replace(PROTOCOL.fields, seq=None))
    assert not proto.resumable
    validator = InMemorySessionValidator()
    token, _ = validator.issue(user_id="ada")
    app = create_app(proto, endpoints={"guide": "/chat"}, handlers={"user_message": lambda req: "hi"}, validator=validator,
                     session_fields=lambda session: {"realm": "experience"}, options=ServerOptions(heartbeat_interval_s=0))  # fmt: skip
    async with _serving(app) as port, await _connect(port, "/chat", token) as ws:
        created = await _recv(ws)
        assert created["type"] == "session_created" and "seq" not in created
        resume = {"type": "session_resume", "timestamp": created["timestamp"], "message_id": "r1", "session_id": created["session_id"],
                  "last_seq": 0, "epoch": created["epoch"]}  # fmt: skip
        await ws.send(json.dumps(resume))
        reply = await _recv(ws)
        assert (reply["type"], reply["error_code"], reply["message_id"]) == ("error_message", "UNSUPPORTED_TYPE", "r1")


@live()
async def test_the_python_client_opens_at_once_and_counts_no_seq_without_the_capability(numbered: Any) -> None:
    """As the TS client's resume and heartbeat plugins are inert without their roles: ``connect()`` returns once the
    socket is open (no session_created to wait for), a message with a ``sequence`` field is delivered whatever its
    value (no seq bookkeeping, no dedup), no resume is sent, and no ping is sent without the ping role."""
    validator = InMemorySessionValidator()
    token, _ = validator.issue(user_id="ada")
    numbered_reply = lambda req: {"kind": "quote", "n": 7, "symbol": req.message.symbol, "price": 1.5}  # noqa: E731
    app = create_app(numbered, endpoints={"ticker": "/ticker"}, handlers={"ask": numbered_reply}, validator=validator,
                     options=ServerOptions(validate_outbound=True, heartbeat_interval_s=0))  # fmt: skip
    core = app.state.wsgen.core
    async with _serving(app) as port:
        interval = 0.02
        c = WsgenClient(f"ws://127.0.0.1:{port}/ticker", token, from_generated(numbered), ClientOptions(heartbeat_interval_s=interval))
        await asyncio.wait_for(c.connect(), WAIT_S)
        assert c.status == "open" and c.session_id is None
        first = await c.request({"kind": "ask", "symbol": "ACME"})
        second = await c.request({"kind": "ask", "symbol": "ACME"}, deadline_s=WAIT_S)  # the same n: delivered, not taken for a replayed one
        assert (first["n"], second["n"], c.last_seq, c.recovery_failures) == (7, 7, 0, [])
        # Absence of pings: ten heartbeat intervals pass (a wrong client would have pinged by now), then the server's
        # inbound counts hold the three requests only, no invalid frame, and the connection never dropped.
        await asyncio.sleep(10 * interval)
        await c.request({"kind": "ask", "symbol": "LAST"})
        assert core.metrics.in_by_type == {"ask": 3} and core.metrics.invalid_by_keyword == {} and c.reconnects == 0
        await c.close()
