"""``create_server`` / ``create_app``: the bundled protocol served by handlers per message type on a real uvicorn
(127.0.0.1, port 0), as Node's ``createServer({protocol, endpoints, handlers})``: a reply, a stream whose end
carries the handler's fields, UNSUPPORTED_TYPE for a type without a handler, typed path parameters, the
configuration errors, ``/metrics`` and ``/healthz`` by default; and the ``/healthz`` keys and metric label names of a
running Node ``wsgen serve`` and of the Python server, compared."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import websockets
from websockets.typing import Subprotocol
from wsgen_protocol.models import AgentMessage
from wsgen_protocol.protocol import PROTOCOL

from wsgen_runtime import ConfigError, InMemorySessionValidator, Request, ServerOptions, create_app, create_server, stream
from wsgen_runtime.serve import GracefulServer, bind, uvicorn_config

from .harness import WAIT_S, Server, live, now_iso

ROOT = Path(__file__).resolve().parents[2]


async def _words(text: str) -> AsyncIterator[str]:
    for w in text.split():
        await asyncio.sleep(0)
        yield w + " "


def _answer(req: Request) -> Any:
    m = req.message
    if m.message == "stream":
        sent: list[str] = []

        async def words() -> AsyncIterator[str]:
            async for w in _words("one two three"):
                sent.append(w)
                yield w

        return stream(words(), end=lambda: {"message": "".join(sent), "metadata": {"words": len(sent)}, "type": "forged", "message_id": "x", "stream_index": 99})
    return {"type": "agent_message", "message": f"echo: {m.message}", "agent": "guide_agent", "data": {"pillar": req.endpoint.params.get("pillar")}}


def _server(**kw: Any) -> Any:
    validator = InMemorySessionValidator()
    token, _ = validator.issue(user_id="ada", token="tok-ada")
    kw.setdefault("endpoints", {"guide": "/chat", "room": {"path": "/rooms/{pillar}", "params": {"pillar": "PillarType"}}})
    kw.setdefault("handlers", {"user_message": _answer})
    app = create_app(
        PROTOCOL,
        validator=validator,
        options=ServerOptions(validate_outbound=True, heartbeat_interval_s=0),
        session_fields=lambda session: {"realm": "experience"},  # the bundled session_created needs a realm
        timestamp_field="timestamp",
        decorate=lambda msg, req: msg.update(is_streaming=msg["type"] == "agent_streaming"),
        **kw,
    )
    return app, token


@asynccontextmanager
async def _serving(app: Any) -> AsyncIterator[int]:
    """Runs ``app`` on uvicorn (GracefulServer) on a free port; yields the port."""
    core = app.state.wsgen.core
    sock = bind("127.0.0.1", 0)
    started = asyncio.Event()
    server = GracefulServer(uvicorn_config(app, core, log_level="critical", ws_ping_interval=None), core, started.set)
    task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
    try:
        await asyncio.wait_for(started.wait(), WAIT_S)
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, WAIT_S)


async def _connect(port: int, path: str, token: str) -> Any:
    protocols = [Subprotocol("wsgen.v1"), Subprotocol(f"wsgen.token.{token}")]
    return await asyncio.wait_for(websockets.connect(f"ws://127.0.0.1:{port}{path}", subprotocols=protocols, ping_interval=None), WAIT_S)


async def _recv(ws: Any) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), WAIT_S))  # type: ignore[no-any-return]


def _get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    return _get_url(f"http://127.0.0.1:{port}{path}")


@live()
async def test_a_reply_a_stream_with_end_fields_and_unsupported_type() -> None:
    app, token = _server()
    async with _serving(app) as port:
        async with await _connect(port, "/chat", token) as ws:
            assert (await _recv(ws))["type"] == "session_created"
            await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "hi", "message_id": "q1"}))
            reply = await _recv(ws)  # the correlation id and the timestamp are the runtime's when the handler leaves them out
            assert (reply["type"], reply["message"], reply["message_id"], reply["seq"]) == ("agent_message", "echo: hi", "q1", 1)
            assert reply["data"] == {"pillar": None} and re.fullmatch(r"\d{4}-\d\d-\d\dT.*Z", reply["timestamp"])
            await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "stream", "message_id": "q2"}))
            got = [await _recv(ws) for _ in range(4)]
            assert [(m["type"], m.get("stream_index"), m.get("message"), m["message_id"], m["seq"]) for m in got] == [
                ("agent_streaming", 0, "one ", "q2", 2), ("agent_streaming", 1, "two ", "q2", 3), ("agent_streaming", 2, "three ", "q2", 4),
                ("agent_complete", 3, "one two three ", "q2", 5)]  # fmt: skip
            assert got[3]["metadata"] == {"words": 3} and got[3]["is_streaming"] is False  # end fields; the runtime's tag and id win
            picked = {"type": "file_selected", "timestamp": now_iso(), "file_uuid": "0f8fad5b-d9cb-469f-a165-70867728950e", "file_name": "a.txt"}
            await ws.send(json.dumps({**picked, "message_id": "q3"}))
            bad = await _recv(ws)
            assert (bad["type"], bad["error_code"], bad["message_id"]) == ("error_message", "UNSUPPORTED_TYPE", "q3") and "seq" not in bad
            assert "file_selected" in bad["message"]


@live()
async def test_async_handlers_generated_models_and_emit() -> None:
    """An async handler may return a generated model (sent as its wire dict); a handler may ``emit`` and return None."""

    async def answer(req: Request) -> Any:
        await asyncio.sleep(0)
        return AgentMessage(type="agent_message", timestamp=now_iso(), message=f"model: {req.message.message}", agent="guide_agent")

    def picked(req: Request) -> None:
        req.emit({"type": "system_message", "timestamp": now_iso(), "message": f"got {req.message.file_name}"})

    app, token = _server(handlers={"user_message": answer, "file_selected": picked})
    async with _serving(app) as port, await _connect(port, "/chat", token) as ws:
        await _recv(ws)
        await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "m", "message_id": "a1"}))
        reply = await _recv(ws)
        assert (reply["type"], reply["message"], reply["message_id"], reply["seq"]) == ("agent_message", "model: m", "a1", 1)
        picked_msg = {"type": "file_selected", "timestamp": now_iso(), "file_uuid": "0f8fad5b-d9cb-469f-a165-70867728950e", "file_name": "a.txt"}
        await ws.send(json.dumps({**picked_msg, "message_id": "a2"}))
        note = await _recv(ws)
        assert (note["type"], note["message"], note["seq"]) == ("system_message", "got a.txt", 2)


@live()
async def test_a_raising_handler_gets_the_handler_error_code_under_its_alias() -> None:
    def broken(req: Request) -> Any:
        raise RuntimeError("boom")

    app, token = _server(handlers={"user_message": broken}, error_aliases={"HANDLER_ERROR": "AGENT_ERROR"})
    async with _serving(app) as port, await _connect(port, "/chat", token) as ws:
        await _recv(ws)
        await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "m", "message_id": "b1"}))
        bad = await _recv(ws)  # numbered (session-level), the text generic without expose_errors
        assert (bad["type"], bad["error_code"], bad["message_id"], bad["seq"]) == ("error_message", "AGENT_ERROR", "b1", 1)
        assert "boom" not in bad["message"]


@live()
async def test_path_parameters_range_over_an_enum_of_the_schema() -> None:
    app, token = _server()
    async with _serving(app) as port:
        async with await _connect(port, "/rooms/content", token) as ws:
            await _recv(ws)
            await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "p", "message_id": "p1"}))
            assert (await _recv(ws))["data"] == {"pillar": "content"}
            await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "p", "message_id": "p2", "pillar": "insights"}))
            bad = await _recv(ws)  # a field named like the path parameter with another value
            assert (bad["error_code"], bad["message_id"]) == ("FORBIDDEN", "p2")
        for path in ("/rooms/nowhere", "/rooms", "/other"):
            with pytest.raises(websockets.InvalidStatus) as e:
                await _connect(port, path, token)
            assert e.value.response.status_code == 404, path
        assert {e.key for e in app.state.wsgen.endpoints.values()} == {"guide", *(f"room:{p}" for p in PROTOCOL.enums["PillarType"])}


def test_configuration_errors_name_the_option_as_nodes_create_server() -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"handlers": {"agent_message": _answer}}, "handlers.agent_message"),
        ({"handlers": {"no_such_type": _answer}}, "handlers.no_such_type"),
        ({"handlers": {"ping": _answer}}, "handlers.ping"),
        ({"handlers": {"user_message": "not a function"}}, "handlers.user_message"),
        ({"endpoints": {"r": {"path": "/r/{pillar}", "params": {"pillar": "NoSuchEnum"}}}}, "endpoints.r.params.pillar"),
        ({"endpoints": {"r": {"path": "/r/{pillar}"}}}, "endpoints.r"),
        ({"endpoints": {"r": {"path": "/r/x{pillar}", "params": {"pillar": ["a"]}}}}, "endpoints.r.path"),
        ({"endpoints": {"r": {"path": "/r/{a}/{a}", "params": {"a": ["x"]}}}}, "endpoints.r.path"),
        ({"endpoints": {"r": {"path": "/r", "params": {"a": ["x"]}}}}, "endpoints.r.params.a"),
        ({"endpoints": {"r": {"path": "/r/{a}", "params": {"a": ["x", "x"]}}}}, "endpoints.r.params.a"),
        ({"endpoints": {"r": {"path": "/r/{a}", "params": {"a": []}}}}, "endpoints.r.params.a"),
        ({"endpoints": {"a": "/same", "b": "/same"}}, "endpoints.b"),
        ({"endpoints": {"a": "relative"}}, "endpoints.a.path"),
    ]
    for kw, where in cases:
        with pytest.raises(ConfigError) as e:
            _server(**kw)
        assert (e.value.code, e.value.where) == ("WSGEN_CONFIG", where) and e.value.hint, kw


def _labels(metrics: str) -> dict[str, set[str]]:
    """Each sample's metric name → its label names (Prometheus text exposition)."""
    out: dict[str, set[str]] = {}
    for m in re.finditer(r"^(wsgen_\w+?)(?:\{(.*?)\})? \S+$", metrics, re.M):
        out.setdefault(m.group(1), set()).update(re.findall(r'(\w+)="', m.group(2) or ""))
    return out


def _families(metrics: str) -> dict[str, tuple[str, str]]:
    """The metric families of a Prometheus text exposition: name -> (type, help)."""
    helps = dict(re.findall(r"^# HELP (\S+) (.*)$", metrics, re.M))
    return {name: (kind, helps.get(name, "")) for name, kind in re.findall(r"^# TYPE (\S+) (\S+)$", metrics, re.M)}


async def _observe(base: str, path: str, token: str) -> tuple[set[str], dict[str, set[str]], dict[str, tuple[str, str]]]:
    """Sends one ``user_message`` to the bundled chat app at ``base`` and reads the answer; returns the
    ``/healthz`` keys, the metrics' label names and their families (type, help) while the connection is open."""
    protocols = [Subprotocol("wsgen.v1"), Subprotocol(f"wsgen.token.{token}")]
    async with websockets.connect(base.replace("http://", "ws://") + path, subprotocols=protocols, ping_interval=None) as ws:
        await _recv(ws)
        await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "hi", "message_id": "m1"}))
        while (await _recv(ws))["type"] not in ("agent_message", "agent_complete"):
            pass
        health = json.loads((await asyncio.to_thread(_get_url, base + "/healthz"))[2])
        metrics = (await asyncio.to_thread(_get_url, base + "/metrics"))[2]
    return set(health), _labels(metrics), _families(metrics)


def _get_url(url: str) -> tuple[int, dict[str, str], str]:
    with urllib.request.urlopen(url, timeout=WAIT_S) as r:
        return r.status, dict(r.headers), r.read().decode()


@asynccontextmanager
async def _node_server() -> AsyncIterator[tuple[str, str]]:
    """``wsgen serve --port 0`` (the Node reference server): yields its base URL and dev token; stops it."""
    proc = await asyncio.create_subprocess_exec("node", str(ROOT / "bin" / "wsgen.js"), "serve", "--port", "0", stdout=asyncio.subprocess.PIPE)
    try:
        assert proc.stdout is not None
        base = token = ""
        while not (base and token):
            line = (await asyncio.wait_for(proc.stdout.readline(), WAIT_S)).decode()
            assert line, "wsgen serve exited"
            if m := re.search(r"health:\s+(http://\S+)/healthz", line):
                base = m.group(1)
            if m := re.search(r"dev token: (\S+)", line):
                token = m.group(1)
        yield base, token
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), WAIT_S)


@live()
async def test_healthz_keys_and_metric_labels_are_the_node_servers() -> None:
    """The bundled chat app on both servers, one message each: the same ``/healthz`` keys, the same metric families
    (every name, type and help text: the handler duration means the same on both, from the frame's arrival) and, for
    every sample both expose, the same label names (one dashboard reads both runtimes)."""
    async with _node_server() as (base, token):
        node_health, node_labels, node_families = await _observe(base, "/api/ws/guide", token)
    async with Server() as s:
        py_health, py_labels, py_families = await _observe(f"http://127.0.0.1:{s.port}", "/api/ws/guide", s.token)
    assert py_health == node_health == {"status", "connections", "sessions", "inFlight"}
    assert py_families == node_families
    assert "wsgen_handler_duration_seconds" in py_families
    shared = set(node_labels) & set(py_labels)
    assert {"wsgen_connections", "wsgen_messages_in_total", "wsgen_messages_out_total", "wsgen_handler_duration_seconds_count"} <= shared
    assert {k: py_labels[k] for k in shared} == {k: node_labels[k] for k in shared}


@live()
async def test_metrics_and_healthz_are_served_by_default() -> None:
    app, token = _server()
    async with _serving(app) as port:
        status, _, body = await asyncio.to_thread(_get, port, "/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok", "connections": 0, "sessions": 0, "inFlight": 0}
        async with await _connect(port, "/chat", token) as ws:
            await _recv(ws)
            await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "hi", "message_id": "q1"}))
            await _recv(ws)
            status, headers, text = await asyncio.to_thread(_get, port, "/metrics")
        assert status == 200 and headers["content-type"].startswith("text/plain")
        assert 'wsgen_connections{endpoint="guide",realm=""} 1.0' in text  # a session without a realm attribute
        assert 'wsgen_handler_duration_seconds_count{agent="user_message",outcome="ok"} 1.0' in text  # by type, as Node's createServer
    bare = create_server(PROTOCOL, endpoints={"e": "/e"}, handlers={}, validator=InMemorySessionValidator(), metrics_path=None, health_path="/health")
    assert [getattr(r, "path", None) for r in bare.routes] == ["/e", "/health", "/{path:path}"]
