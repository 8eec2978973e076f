"""The core is generic: a second protocol, the whiteboard fixture (tag ``op``, its own field names from the
role library), generated into a temp folder and served by the same core with echo handlers
(``whiteboard_server.py``), spoken to by a plain ``websockets`` client. The server runs with
``validate_outbound``: every frame it sends is checked against the whiteboard schema first."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from .harness import WAIT_S, live

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated() -> Iterator[Path]:
    """The whiteboard's Python package, generated into a temp folder (its ``python`` folder)."""
    with tempfile.TemporaryDirectory(prefix="wsgen-wb-") as tmp:
        subprocess.run([
            "node", str(ROOT / "bin" / "wsgen.js"), "generate", "--schema", str(ROOT / "test" / "fixtures" / "whiteboard"),
            "--out", tmp, "--target", "python", "--quiet",
        ], check=True, timeout=120)  # fmt: skip
        yield Path(tmp) / "python"


@pytest.fixture(scope="module")
def board(generated: Path) -> Iterator[tuple[str, str]]:
    """The whiteboard server without heartbeat: yields (ws URL, token); stops it."""
    for url, tokens in _serve(generated, 0.0):
        yield url, tokens[0]


@pytest.fixture(scope="module")
def board_heartbeat(generated: Path) -> Iterator[tuple[str, list[str]]]:
    """The whiteboard server with a 1 s heartbeat."""
    yield from _serve(generated, 1.0)


def _serve(generated: Path, heartbeat_s: float, script: str = "whiteboard_server.py", stderr: Path | None = None) -> Iterator[tuple[str, list[str]]]:
    """Starts ``script`` (``whiteboard_server.py`` or a variant of it), its stderr written to the file ``stderr`` when
    given; yields its URL and its tokens (two sessions); stops it."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": os.pathsep.join([str(generated), str(ROOT / "runtime" / "python" / "src")])}
    err = stderr.open("w") if stderr is not None else None
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name(script)), str(heartbeat_s)], env=env,
                            stdout=subprocess.PIPE, stderr=err, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        assert line[:1] == ["READY"], f"the whiteboard server did not start: {line}"
        yield f"ws://127.0.0.1:{line[1]}/board/main", line[2:]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if err is not None:
            err.close()


async def _connect(url: str, token: str) -> Any:
    return await websockets.connect(url, subprotocols=["wsgen.v1", f"wsgen.token.{token}"], ping_interval=None)  # type: ignore[list-item]


async def _recv(ws: Any) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), WAIT_S))  # type: ignore[no-any-return]


@live()
async def test_typed_messages_stream_and_heartbeat_under_the_whiteboards_own_names(board: tuple[str, str]) -> None:
    url, token = board
    async with await _connect(url, token) as ws:
        welcome = await _recv(ws)
        assert welcome["op"] == "welcome" and welcome["board"] == "main" and welcome["seq"] == 0
        assert len(welcome["epoch"]) == 16 and len(welcome["schema_sha"]) == 64 and welcome["session"]
        assert "type" not in welcome and "timestamp" not in welcome and "session_id" not in welcome
        await ws.send(json.dumps({"op": "chat_send", "ref": "c1", "text": "hello"}))
        assert await _recv(ws) == {"op": "chat", "ref": "c1", "seq": 1, "user": "ada", "text": "hello"}
        shape = {"id": "s1", "kind": "rect", "x": 1, "y": 2, "w": 3, "h": 4, "color": "#00ff00"}
        await ws.send(json.dumps({"op": "shape_add", "ref": "a1", "shape": shape}))
        assert await _recv(ws) == {"op": "shape_added", "ref": "a1", "seq": 2, "by": "ada", "shape": shape}
        await ws.send(json.dumps({"op": "export_board", "ref": "x1", "format": "svg"}))
        got = [await _recv(ws) for _ in range(4)]
        assert [(m["op"], m.get("part"), m["seq"]) for m in got] == [
            ("export_chunk", 0, 3), ("export_chunk", 1, 4), ("export_chunk", 2, 5), ("export_done", 3, 6)]  # fmt: skip
        assert {m["ref"] for m in got} == {"x1"}
        await ws.send(json.dumps({"op": "heartbeat", "ref": "h1"}))
        assert await _recv(ws) == {"op": "heartbeat_ack", "ref": "h1"}  # a pong: no seq (the schema forbids it)


@live()
async def test_invalid_frames_are_refused_with_the_whiteboards_failure(board: tuple[str, str]) -> None:
    url, token = board
    async with await _connect(url, token) as ws:
        await _recv(ws)
        await ws.send("{not json")
        bad = await _recv(ws)
        assert bad["op"] == "failure" and bad["code"] == "INVALID_MESSAGE" and "seq" not in bad
        assert bad["details"]["errors"][0]["keyword"] and len(bad["reason"]) <= 1000
        await ws.send(json.dumps({"op": "cursor_move", "ref": "m1", "x": 1e9, "y": 0}))
        bad = await _recv(ws)
        assert (bad["code"], bad["ref"], bad["details"]["errors"][0]["path"]) == ("INVALID_MESSAGE", "m1", "/x")
        await ws.send(json.dumps({"op": "chat", "ref": "s1", "user": "eve", "text": "spoof"}))
        bad = await _recv(ws)
        assert (bad["op"], bad["code"], bad["ref"]) == ("failure", "UNSUPPORTED_TYPE", "s1")
        await ws.send(json.dumps({"op": "cursor_move", "ref": "m2", "x": 1, "y": 1}))
        bad = await _recv(ws)  # no handler for cursor_move: UNSUPPORTED_TYPE, connection-level, as from the Node server
        assert (bad["op"], bad["code"], bad["ref"]) == ("failure", "UNSUPPORTED_TYPE", "m2") and "seq" not in bad
        await ws.send(json.dumps({"op": "shape_delete", "ref": "d1", "id": "s9"}))
        bad = await _recv(ws)  # a handler that raises: the runtime's handler error, as this protocol spells it (numbered)
        assert (bad["op"], bad["code"], bad["ref"]) == ("failure", "INTERNAL_ERROR", "d1")
        await ws.send(b"\x00\x01")
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await _recv(ws)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1003


@live()
async def test_a_message_without_ref_keeps_none_but_a_stream_reply_gets_a_server_id(board: tuple[str, str]) -> None:
    """The rule of both servers (Node: test/server/suite/suite.test.ts): no ref sent, none on the reply or the error
    reply; a stream reply gets ``s<n>`` on its chunks and end (export_chunk and export_done require ``ref``)."""
    url, token = board
    async with await _connect(url, token) as ws:
        await _recv(ws)
        await ws.send(json.dumps({"op": "chat_send", "text": "no ref"}))
        reply = await _recv(ws)
        assert reply["op"] == "chat" and "ref" not in reply
        await ws.send(json.dumps({"op": "shape_delete", "id": "s1"}))
        bad = await _recv(ws)
        assert (bad["op"], bad["code"]) == ("failure", "INTERNAL_ERROR") and "ref" not in bad
        await ws.send(json.dumps({"op": "cursor_move", "x": 1, "y": 1}))
        unsupported = await _recv(ws)
        assert (unsupported["op"], unsupported["code"]) == ("failure", "UNSUPPORTED_TYPE") and "ref" not in unsupported
        await ws.send(json.dumps({"op": "chat_send", "text": "/parts 2"}))
        got = [await _recv(ws) for _ in range(3)]
        assert [m["op"] for m in got] == ["export_chunk", "export_chunk", "export_done"]
        refs = {m["ref"] for m in got}
        assert len(refs) == 1 and re.fullmatch(r"s[0-9a-f]+", refs.pop())


@live()
async def test_resume_replays_under_the_whiteboards_resume_and_resumed(board: tuple[str, str]) -> None:
    url, token = board
    async with await _connect(url, token) as ws:
        welcome = await _recv(ws)
        session, epoch, base = welcome["session"], welcome["epoch"], welcome["seq"]
        await ws.send(json.dumps({"op": "chat_send", "ref": "r1", "text": "one"}))
        await ws.send(json.dumps({"op": "chat_send", "ref": "r2", "text": "two"}))
        assert [(await _recv(ws))["seq"] for _ in range(2)] == [base + 1, base + 2]
    async with await _connect(url, token) as ws:
        again = await _recv(ws)
        assert (again["session"], again["epoch"], again["seq"]) == (session, epoch, base + 2)
        await ws.send(json.dumps({"op": "resume", "ref": "z1", "session": session, "after": base + 1, "epoch": epoch}))
        replayed = await _recv(ws)
        assert (replayed["op"], replayed["ref"], replayed["seq"], replayed["text"]) == ("chat", "r2", base + 2, "two")
        resumed = await _recv(ws)
        assert (resumed["op"], resumed["state"], resumed["session"], resumed["ref"]) == ("resumed", "resumed", session, "z1")
        await ws.send(json.dumps({"op": "resume", "session": "someone-else", "after": 0, "epoch": epoch}))
        bad = await _recv(ws)
        assert (bad["op"], bad["code"]) == ("failure", "UNAUTHORIZED")


@live()
async def test_a_client_only_ping_role_leaves_the_heartbeat_to_the_client(board_heartbeat: tuple[str, list[str]]) -> None:
    """The whiteboard's ping role (``heartbeat``) is client-only: the server never sends it; a client that sends it
    stays connected, a silent one is closed with 4002 (HEARTBEAT_TIMEOUT) within two intervals."""
    url, (ada, grace) = board_heartbeat
    async with await _connect(url, ada) as talker, await _connect(url, grace) as silent:
        await _recv(talker)
        await _recv(silent)
        for i in range(8):  # 2.4 s, over two intervals: answered every time, nothing else arrives
            await talker.send(json.dumps({"op": "heartbeat", "ref": f"h{i}"}))
            assert await _recv(talker) == {"op": "heartbeat_ack", "ref": f"h{i}"}
            await asyncio.sleep(0.3)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await _recv(silent)  # no frame before the close: the server sent no heartbeat of its own
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4002


@live()
async def test_an_unknown_path_is_404_as_from_the_node_server(board: tuple[str, str]) -> None:
    """``websocket_routes`` ends with a catch-all the core refuses with 404 (Starlette alone closes before accept: 403)."""
    url, token = board
    base = url.rsplit("/board/main", 1)[0]
    for path in ("/nowhere", "/", "/board/main/extra", "/board"):
        with pytest.raises(websockets.InvalidStatus) as e:
            await _connect(base + path, token)
        assert e.value.response.status_code == 404, path
        assert b"unknown endpoint" in bytes(e.value.response.body or b""), path
    ws = await _connect(url, token)
    await ws.close()


EXAMPLE = ROOT / "runtime" / "python" / "examples" / "own_protocol.py"
README = ROOT / "runtime" / "python" / "README.md"


def test_the_own_protocol_section_of_the_readme_is_the_example_file() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert re.sub(r'\A""".*?"""\n+', "", EXAMPLE.read_text(), flags=re.S) in blocks


@pytest.fixture(scope="module")
def example(generated: Path) -> Iterator[tuple[int, str]]:
    """``examples/own_protocol.py`` under ``python -m uvicorn`` on a free port, as the README says: yields (port, token)."""
    token = "board-dev-token"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "BOARD_DEV_TOKEN": token,
           "PYTHONPATH": os.pathsep.join([str(generated), str(ROOT / "runtime" / "python" / "src")])}  # fmt: skip
    cmd = [sys.executable, "-m", "uvicorn", "--app-dir", str(EXAMPLE.parent), "own_protocol:app", "--port", "0"]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        port = None
        for _ in range(50):
            m = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", proc.stderr.readline())
            if m:
                port = int(m.group(1))
                break
        assert port, "uvicorn did not start the example"
        yield port, token
    finally:
        proc.terminate()
        proc.wait(10)


@live()
async def test_the_readme_example_serves_replies_a_stream_and_unsupported_types(example: tuple[int, str]) -> None:
    port, token = example
    async with await _connect(f"ws://127.0.0.1:{port}/boards/svg", token) as ws:
        assert (await _recv(ws))["op"] == "welcome"
        await ws.send(json.dumps({"op": "chat_send", "ref": "c1", "text": "hi"}))
        assert await _recv(ws) == {"op": "chat", "ref": "c1", "seq": 1, "user": "ada", "text": "hi"}
        await ws.send(json.dumps({"op": "export_board", "ref": "x1", "format": "svg"}))
        got = [await _recv(ws) for _ in range(4)]
        assert [(m["op"], m["part"], m.get("data"), m["ref"]) for m in got] == [
            ("export_chunk", 0, "<svg part 0/>", "x1"), ("export_chunk", 1, "<svg part 1/>", "x1"), ("export_chunk", 2, "<svg part 2/>", "x1"),
            ("export_done", 3, None, "x1")]  # fmt: skip
        await ws.send(json.dumps({"op": "cursor_move", "ref": "m1", "x": 1, "y": 1}))
        bad = await _recv(ws)
        assert (bad["op"], bad["code"], bad["ref"]) == ("failure", "UNSUPPORTED_TYPE", "m1") and "seq" not in bad
    with pytest.raises(websockets.InvalidStatus) as e:
        await _connect(f"ws://127.0.0.1:{port}/boards/gif", token)
    assert e.value.response.status_code == 404
    def get(path: str) -> Any:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=WAIT_S) as r:
            return json.loads(r.read())

    assert await asyncio.to_thread(get, "/hello") == {"hello": "world"}
    health = await asyncio.to_thread(get, "/healthz")
    assert (sorted(health), health["status"], health["sessions"]) == (["connections", "inFlight", "sessions", "status"], "ok", 1)
