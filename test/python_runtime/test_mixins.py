"""Role fields inherited through ``allOf`` with two or more ``$ref`` s (``test/fixtures/mixins``: every message type
includes a base and mixins and writes no role field itself) are found by the Python runtime from the generated
descriptor, as by Node (test/server/suite/mixins.test.ts): the session-created message carries the session id, epoch
and seq; a streamed reply its correlation id, index and seq; a resume is read from its session id, last sequence and
epoch; an error reply carries its code and the request's id. The fixture is generated into a temp folder as the
package ``mixins_protocol`` and served by ``create_app`` on a real uvicorn (127.0.0.1, port 0)."""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wsgen_runtime import InMemorySessionValidator, Request, ServerOptions, create_app, stream
from wsgen_runtime.generated import from_generated

from .harness import WAIT_S, live
from .test_server_app import _connect, _recv, _serving

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def mixins() -> Iterator[Any]:
    """The generated ``PROTOCOL`` of test/fixtures/mixins, imported as ``mixins_protocol``."""
    with tempfile.TemporaryDirectory(prefix="wsgen-mixins-") as tmp:
        out = Path(tmp) / "out"
        subprocess.run(["node", str(ROOT / "bin" / "wsgen.js"), "generate", "--schema", str(ROOT / "test" / "fixtures" / "mixins"),
                        "--out", str(out), "--target", "python", "--quiet"], check=True, timeout=120)  # fmt: skip
        (out / "python" / "wsgen_protocol").rename(Path(tmp) / "mixins_protocol")  # its imports are relative
        sys.path.insert(0, tmp)
        try:
            yield importlib.import_module("mixins_protocol.protocol").PROTOCOL
        finally:
            sys.path.remove(tmp)
            for name in [m for m in sys.modules if m.split(".")[0] == "mixins_protocol"]:
                del sys.modules[name]


def _pieces(req: Request) -> Any:
    return stream([f"piece {i}" for i in range(req.message.parts)])


def test_the_descriptor_names_every_inherited_role_field(mixins: Any) -> None:
    assert dict(mixins.fields) == {"correlation-id": "cid", "sequence": "n", "last-sequence": "after", "stream-epoch": "era", "stream-index": "idx",
                                   "session-id": "sid", "session-status": "state", "error-code": "code", "error-text": "why", "stream-content": "text"}  # fmt: skip
    assert tuple(mixins.capabilities) == ("resume", "streams", "error-replies")
    d = from_generated(mixins)
    assert d.resumable and (d.fields.session_id, d.fields.seq, d.fields.stream_index) == ("sid", "n", "idx")


def _pick(m: dict[str, Any], *keys: str) -> list[Any]:
    return [m.get(k) for k in keys]


@live()
async def test_hello_a_stream_a_resume_and_an_error_reply_read_the_inherited_fields(mixins: Any) -> None:
    validator = InMemorySessionValidator()
    token, session = validator.issue(user_id="ada")
    app = create_app(mixins, endpoints={"relay": "/relay"}, handlers={"ask": _pieces}, validator=validator,
                     options=ServerOptions(validate_outbound=True, heartbeat_interval_s=0))  # fmt: skip
    core = app.state.wsgen.core
    async with _serving(app) as port:
        async with await _connect(port, "/relay", token) as ws:
            hello = await _recv(ws)
            assert _pick(hello, "kind", "sid", "n") == ["hello", session.session_id, 0] and len(hello["era"]) == 16
            await ws.send(json.dumps({"kind": "ask", "cid": "q1", "parts": 2}))
            got = [await _recv(ws) for _ in range(3)]
            assert [_pick(m, "kind", "cid", "idx", "n", "text") for m in got] == [
                ["piece", "q1", 0, 1, "piece 0"], ["piece", "q1", 1, 2, "piece 1"], ["finished", "q1", 2, 3, None]]  # fmt: skip
        (relay,) = core.sessions.sessions[session.session_id].streams.values()
        for _ in range(int(WAIT_S / 0.01)):  # until the server saw the close (bounded): then the message waits for the resume
            if relay.conn is None:
                break
            await asyncio.sleep(0.01)
        assert core.send_to_session(session.session_id, "relay", {"kind": "finished", "cid": "away", "idx": 0})
        async with await _connect(port, "/relay", token) as ws:
            again = await _recv(ws)
            assert again["kind"] == "hello" and again["era"] == hello["era"]
            await ws.send(json.dumps({"kind": "rejoin", "sid": session.session_id, "after": 3, "era": again["era"]}))
            assert _pick(await _recv(ws), "kind", "cid", "n") == ["finished", "away", 4]
            assert _pick(await _recv(ws), "kind", "state", "sid") == ["rejoined", "resumed", session.session_id]
            await ws.send(json.dumps({"kind": "hello", "cid": "q2", "sid": session.session_id, "era": again["era"]}))
            assert _pick(await _recv(ws), "kind", "code", "cid") == ["problem", "UNSUPPORTED_TYPE", "q2"]
