"""The README's FastAPI quick start is the example file, and it serves a streamed guide answer and a liaison reply."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
from pathlib import Path

import websockets
from websockets.typing import Subprotocol

from wsgen_runtime.serve import GracefulServer, bind, uvicorn_config

from .harness import WAIT_S, live, now_iso

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "runtime" / "python" / "examples" / "fastapi_app.py"
README = ROOT / "runtime" / "python" / "README.md"


def test_the_quick_start_in_the_readme_is_the_example_file() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    body = re.sub(r'\A""".*?"""\n+', "", EXAMPLE.read_text(), flags=re.S)  # the file without its docstring
    assert body in blocks


@live()
async def test_the_quick_start_app_streams_the_guide_and_answers_the_content_liaison() -> None:
    spec = importlib.util.spec_from_file_location("fastapi_app", EXAMPLE)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    started = asyncio.Event()
    server = GracefulServer(uvicorn_config(mod.app, mod.core, log_level="critical"), mod.core, started.set)
    task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
    try:
        await asyncio.wait_for(started.wait(), WAIT_S)
        protocols = [Subprotocol("wsgen.v1"), Subprotocol(f"wsgen.token.{mod.TOKEN}")]
        async with websockets.connect(f"ws://127.0.0.1:{port}/api/ws/guide", subprotocols=protocols) as ws:
            assert json.loads(await ws.recv())["type"] == "session_created"
            await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "hi", "message_id": "q"}))
            got = [json.loads(await ws.recv()) for _ in range(4)]
            assert [m["type"] for m in got] == ["agent_streaming"] * 3 + ["agent_complete"]
            assert "".join(m.get("message", "") for m in got) == "You said: hi "
        async with websockets.connect(f"ws://127.0.0.1:{port}/api/ws/liaison/content", subprotocols=protocols) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "user_message", "timestamp": now_iso(), "message": "docs?", "message_id": "c"}))
            reply = json.loads(await ws.recv())
            assert (reply["type"], reply["message"], reply["data"]) == ("agent_message", "content liaison: docs?", {"pillar": "content"})
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, WAIT_S)
