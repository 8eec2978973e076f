"""A protocol without the resume capability (docs/roles.md: no ``sequence`` field role, no session roles) is served
by the Python core as Node's ``createServer`` serves it: typed, validated send and receive, handlers that reply or
stream, UNSUPPORTED_TYPE, the heartbeat (ping/pong roles), ``/healthz`` and ``/metrics``; its messages carry no
seq and nothing is buffered or replayed. The protocol is the whiteboard fixture with its session roles and its
sequence field taken out, generated into a temp folder and run by ``whiteboard_server.py`` on a real uvicorn
(127.0.0.1, port 0)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from wsgen_runtime import InMemorySessionValidator, ServerCore, ServerOptions
from wsgen_runtime.app import ChatApp, reference_agents
from wsgen_runtime.cluster import RedisOptions, redis_session_store
from wsgen_runtime.sessions import ReplayLimits, SessionStore
from wsgen_runtime.types import Endpoint, SessionInfo

from .harness import PROTOCOL, live
from .test_whiteboard import _connect, _recv, _serve

ROOT = Path(__file__).resolve().parents[2]
#: The whiteboard's messages of the resume capability (docs/roles.md): session-resume, -created, -updated, -expired.
SESSION_DEFS = ("Resume", "Welcome", "Resumed", "Expired")


def _without_resume(schema: dict[str, Any]) -> dict[str, Any]:
    """The whiteboard schema minus its session messages and its ``sequence`` field (ServerEvent.seq)."""
    defs = {k: v for k, v in schema["$defs"].items() if k not in SESSION_DEFS}
    defs["ServerEvent"] = {**defs["ServerEvent"], "properties": {k: v for k, v in defs["ServerEvent"]["properties"].items() if k != "seq"}}
    one_of = [r for r in schema["oneOf"] if r["$ref"].rsplit("/", 1)[1] not in SESSION_DEFS]
    return {**schema, "oneOf": one_of, "$defs": defs}


@pytest.fixture(scope="module")
def plain() -> Iterator[tuple[str, list[str]]]:
    """The whiteboard without resume, generated and served (no heartbeat of the server's own): (ws URL, tokens)."""
    with tempfile.TemporaryDirectory(prefix="wsgen-noresume-") as tmp:
        where = Path(tmp) / "test" / "fixtures" / "plain"  # the role library's relative $refs resolve through tmp/schema
        where.mkdir(parents=True)
        os.symlink(ROOT / "schema", Path(tmp) / "schema")
        board = json.loads((ROOT / "test" / "fixtures" / "whiteboard" / "board.schema.json").read_text())
        text = json.dumps(_without_resume(board), indent=2)
        assert '"sequence"' not in text and '"session-resume"' not in text
        (where / "board.schema.json").write_text(text)
        subprocess.run(["node", str(ROOT / "bin" / "wsgen.js"), "generate", "--schema", str(where), "--out", str(Path(tmp) / "out"),
                        "--target", "python", "--quiet"], check=True, timeout=120)  # fmt: skip
        yield from _serve(Path(tmp) / "out" / "python", 0.0)


@live()
async def test_replies_streams_unsupported_type_and_pong_without_seq(plain: tuple[str, list[str]]) -> None:
    url, (ada, _) = plain
    async with await _connect(url, ada) as ws:  # no session-created role: the server says nothing first
        await ws.send(json.dumps({"op": "chat_send", "ref": "c1", "text": "hello"}))
        assert await _recv(ws) == {"op": "chat", "ref": "c1", "user": "ada", "text": "hello"}
        await ws.send(json.dumps({"op": "export_board", "ref": "x1", "format": "svg"}))
        got = [await _recv(ws) for _ in range(4)]
        assert [(m["op"], m.get("part"), m["ref"]) for m in got] == [
            ("export_chunk", 0, "x1"), ("export_chunk", 1, "x1"), ("export_chunk", 2, "x1"), ("export_done", 3, "x1")]  # fmt: skip
        assert not any("seq" in m for m in got)
        await ws.send(json.dumps({"op": "cursor_move", "ref": "m1", "x": 1, "y": 1}))
        bad = await _recv(ws)  # no handler for cursor_move
        assert (bad["op"], bad["code"], bad["ref"]) == ("failure", "UNSUPPORTED_TYPE", "m1") and "seq" not in bad
        await ws.send(json.dumps({"op": "cursor_move", "ref": "m2", "x": 1e9, "y": 0}))
        bad = await _recv(ws)
        assert (bad["code"], bad["ref"], bad["details"]["errors"][0]["path"]) == ("INVALID_MESSAGE", "m2", "/x")
        await ws.send(json.dumps({"op": "shape_delete", "ref": "d1", "id": "s9"}))
        bad = await _recv(ws)  # a handler that raises
        assert (bad["op"], bad["code"], bad["ref"]) == ("failure", "INTERNAL_ERROR", "d1") and "seq" not in bad
        await ws.send(json.dumps({"op": "resume", "ref": "z1", "session": "x", "after": 0, "epoch": "e"}))
        bad = await _recv(ws)  # the resume type is not in this protocol
        assert (bad["code"], bad["ref"]) == ("INVALID_MESSAGE", "z1")
        await ws.send(json.dumps({"op": "heartbeat", "ref": "h1"}))
        assert await _recv(ws) == {"op": "heartbeat_ack", "ref": "h1"}


@live()
async def test_a_reconnect_gets_no_replay_and_no_hold(plain: tuple[str, list[str]]) -> None:
    """Without a replay buffer a reconnect of the same session is not held for a resume: the first frame it gets is
    the answer to its own request, not an earlier message."""
    url, (_, grace) = plain
    async with await _connect(url, grace) as ws:
        await ws.send(json.dumps({"op": "chat_send", "ref": "r1", "text": "one"}))
        assert (await _recv(ws))["text"] == "one"
    async with await _connect(url, grace) as ws:
        await ws.send(json.dumps({"op": "chat_send", "ref": "r2", "text": "two"}))
        assert await _recv(ws) == {"op": "chat", "ref": "r2", "user": "grace", "text": "two"}


def test_health_and_metrics_are_served(plain: tuple[str, list[str]]) -> None:
    url, _ = plain
    base = "http://" + url.split("://", 1)[1].rsplit("/board/main", 1)[0]
    with urllib.request.urlopen(base + "/healthz", timeout=10) as r:
        health = json.loads(r.read())
    assert health["status"] == "ok" and set(health) == {"status", "connections", "sessions", "inFlight"}
    with urllib.request.urlopen(base + "/metrics", timeout=10) as r:
        assert r.status == 200 and b"chat_send" in r.read()


def test_a_store_without_seq_field_delivers_unnumbered_and_buffers_nothing() -> None:
    """The store of a protocol without the sequence role: a live link gets the message without seq; no link, the
    message is lost (False); nothing is buffered, so a replay plan is empty and the stream's seq stays 0."""
    st = SessionStore(tag="type", seq_field=None, limits=ReplayLimits(), detached_ttl_s=60.0, low_priority=frozenset(),
                      on_drop=lambda _: None, on_expire=lambda _: None)  # fmt: skip
    s, _ = st.link(SessionInfo("s1", "u1", "t1"), Endpoint("guide", "/g"), lambda *_: None)

    class Sink:
        live = True

        def __init__(self) -> None:
            self.got: list[str] = []

        def deliver(self, text: str, kind: str) -> None:
            self.got.append(text)

        def over_soft_budget(self) -> bool:
            return False

    assert s.send({"type": "note", "text": "lost"}) is False
    sink = Sink()
    s.conn = sink
    assert s.send({"type": "note", "text": "a"}) is True
    assert [json.loads(t) for t in sink.got] == [{"type": "note", "text": "a"}]
    assert s.seq == 0 and s.buffered == (0, 0) and s.replay_after(0).texts == [] and s.replay_after(0).missing is None


def test_a_shared_store_refuses_a_protocol_without_seq_but_the_memory_store_serves_it() -> None:
    """A shared store (``shared = True``, as RedisSessionStore) resumes across nodes by seq: without the sequence role
    the core (and RedisSessionStore itself) refuses it at construction with a ValueError naming the capability; the
    default store is accepted."""
    proto = replace(PROTOCOL, fields=replace(PROTOCOL.fields, seq=None))

    class SharedStore(SessionStore):
        shared = True

    for shared in (SharedStore, redis_session_store(RedisOptions(url="redis://127.0.0.1:1/0"))):  # Redis: refused before connecting
        with pytest.raises(ValueError, match="shared session store needs the resume capability"):
            ServerCore(proto, ChatApp(agents=reference_agents(0.0)), InMemorySessionValidator(), ServerOptions(session_store=shared))
    core = ServerCore(proto, ChatApp(agents=reference_agents(0.0)), InMemorySessionValidator(), ServerOptions())
    assert core.sessions.seq_field is None
