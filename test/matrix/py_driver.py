"""The Python client cell of the live matrix: runs the scenarios of ``scenarios.json`` against a server
(``python py_driver.py <port> <token> <name>...``) and prints one JSON line per scenario:
``{"scenario", "obs"}``. Raw steps use the ``websockets`` library (wsgen_runtime's client validates and
shapes what it sends, so it cannot send a bad frame); ``client`` steps use ``wsgen_runtime``'s WsgenClient."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import websockets

from wsgen_runtime.app import bundled_protocol
from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import ClientError

WAIT_S = 10.0
PROTOCOL = bundled_protocol()


#: The error codes of a handler's failure, whose text both servers word alike (runtime/server/chat/service.ts).
FAILURE_CODES = ("AGENT_ERROR", "AGENT_TIMEOUT", "INTERNAL_ERROR")


def norm(m: dict[str, Any]) -> str:
    """A message as the table writes it: type, :error_code or :status, (text) of a handler failure, #stream_index, @ when
    it has a seq."""
    s = str(m.get("type"))
    if m.get("error_code"):
        s += ":" + str(m["error_code"])
        if m["error_code"] in FAILURE_CODES:
            s += f"({m.get('message')})"
    elif m.get("type") == "session_updated":
        s += ":" + str(m.get("status"))
    if isinstance(m.get("stream_index"), int):
        s += f"#{m['stream_index']}"
    return s + ("@" if isinstance(m.get("seq"), int) else "")


def now() -> str:
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"


class Raw:
    """One scenario's raw socket state."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.ws: Any = None
        self.session: str | None = None
        self.epoch: str | None = None
        self.seqs: list[int] = []

    def _seen(self, m: dict[str, Any]) -> None:
        if m.get("type") == "session_created":
            self.session, self.epoch = m["session_id"], m["epoch"]
        elif isinstance(m.get("seq"), int):
            self.seqs.append(m["seq"])

    async def step(self, st: dict[str, Any]) -> Any:
        if "open" in st:
            o = st["open"]
            tok = {"bad": "not-a-token", "none": None}.get(o.get("token", "valid"), self.token)
            protos = ["wsgen.v1"] + ([f"wsgen.token.{tok}"] if tok else [])
            try:
                self.ws = await websockets.connect(
                    f"ws://127.0.0.1:{self.port}{o['path']}",
                    subprotocols=protos,
                    ping_interval=None,
                    max_size=2**22,
                )  # type: ignore[arg-type]
            except websockets.InvalidStatus as e:
                return e.response.status_code
            return [norm(await self._recv())]
        if "send" in st:
            await self.ws.send(json.dumps({"timestamp": now(), **st["send"]}))
        elif "raw" in st:
            await self.ws.send(st["raw"])
        elif "binary" in st:
            await self.ws.send(b"\x00\x01\x02")
        elif "bad_utf8" in st:
            await self.ws.send(b'{"type":"ping","x":"\xff"}', text=True)
        elif "big" in st:
            await self.ws.send(
                json.dumps(
                    {
                        "type": "user_message",
                        "timestamp": now(),
                        "message": "x" * st["big"],
                    }
                )
            )
        elif "burst" in st:
            text = json.dumps({"timestamp": now(), **st["burst"]["msg"]})
            for _ in range(st["burst"]["count"]):
                await self.ws.send(text)
        elif "until" in st:
            out = []
            while True:
                m = await self._recv()
                out.append(norm(m))
                if m.get("type") == st["until"]:
                    return out
        elif "closed" in st:
            try:
                while True:
                    await asyncio.wait_for(self.ws.recv(), WAIT_S)
            except websockets.ConnectionClosed as e:
                return e.rcvd.code if e.rcvd is not None else 1006
        elif "resume" in st:
            r = st["resume"]
            last = {"first": self.seqs[0] if self.seqs else 0, "ahead": 10**6}[r["last_seq"]]
            epoch = self.epoch if r["epoch"] == "same" else "AAAAAAAAAAAAAAAA"
            await self.ws.send(
                json.dumps(
                    {
                        "type": "session_resume",
                        "timestamp": now(),
                        "session_id": self.session,
                        "last_seq": last,
                        "epoch": epoch,
                    }
                )
            )
        elif "idle" in st:
            kinds: set[str] = set()
            code = None
            try:
                async with asyncio.timeout(st["idle"] / 1000):
                    while True:
                        kinds.add(norm(json.loads(await self.ws.recv())))
            except TimeoutError:
                pass
            except websockets.ConnectionClosed as e:
                code = e.rcvd.code if e.rcvd is not None else 1006
            return {"types": sorted(kinds), "close": code}
        elif "stop_server" in st:
            print(json.dumps({"await": "stop"}), flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        elif "quit" in st:
            await self.ws.close()
        return None

    async def _recv(self) -> dict[str, Any]:
        m = json.loads(await asyncio.wait_for(self.ws.recv(), WAIT_S))
        self._seen(m)
        return m  # type: ignore[no-any-return]


async def client_step(port: int, token: str, c: dict[str, Any]) -> list[str]:
    """A request through WsgenClient; observes every message with its message_id."""
    client = chat_client(f"ws://127.0.0.1:{port}", token, PROTOCOL, c["pillar"])
    await client.connect()
    try:
        return [norm(m) async for m in client.stream({"type": "user_message", "message": c["message"]})]
    finally:
        await client.close()


async def client_idle(port: int, token: str, c: dict[str, Any]) -> list[str]:
    """A client runtime connection idles ``idle_ms``, then makes a request; observes the reply."""
    client = chat_client(f"ws://127.0.0.1:{port}", token, PROTOCOL, c["pillar"])
    await client.connect()
    try:
        await asyncio.sleep(c["idle_ms"] / 1000)
        return [norm(await client.request({"type": "user_message", "message": c["message"]}))]
    finally:
        await client.close()


async def client_restart(port: int, token: str, c: dict[str, Any]) -> list[Any]:
    """A request, a server restart (the runner's, on the same port), a request: observes both replies and the
    session and error messages the client got after the restart."""
    client = chat_client(f"ws://127.0.0.1:{port}", token, PROTOCOL, c["pillar"])
    await client.connect()
    after: list[str] = []
    restarted = False

    def watch(m: dict[str, Any]) -> None:
        if restarted and m.get("type") in ("session_updated", "error_message"):
            after.append(norm(m))

    client.subscribe(watch)
    try:
        before = [norm(await client.request({"type": "user_message", "message": "/echo before"}))]
        # From here on: the client reconnects and resumes by itself as soon as the restarted server listens, which
        # may be before the runner's go line arrives (test_restart_order.py).
        restarted = True
        print(json.dumps({"await": "restart"}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        reply = [norm(await client.request({"type": "user_message", "message": "/echo after"}))]
        return [before, after, reply]
    finally:
        await client.close()


async def client_version(port: int, token: str, c: dict[str, Any]) -> Any:
    """A client runtime built from the bundled schema as version ``c["version"]`` with another semantic hash would be:
    observes the reply to a request, or how the client stopped (close code, both versions, reconnects)."""
    variant = replace(PROTOCOL, version=c["version"], schema_hash="cd" * 32)
    client = chat_client(f"ws://127.0.0.1:{port}", token, variant, c["pillar"])
    try:
        await client.connect()
    except ClientError as e:
        return {"refused": e.code, "server": e.server_version, "client": e.client_version, "reconnects": client.reconnects}
    try:
        return [norm(await client.request({"type": "user_message", "message": c["message"]}))]
    finally:
        await client.close()


async def run(port: int, token: str, names: list[str]) -> None:
    table = {s["name"]: s for s in json.loads(Path(__file__).with_name("scenarios.json").read_text())["scenarios"]}
    for name in names:
        raw = Raw(port, token)
        obs: list[Any] = []
        try:
            for st in table[name]["steps"]:
                if "client" in st:
                    r: Any = await client_step(port, token, st["client"])
                elif "client_idle" in st:
                    r = await client_idle(port, token, st["client_idle"])
                elif "client_restart" in st:
                    r = await client_restart(port, token, st["client_restart"])
                elif "client_version" in st:
                    r = await client_version(port, token, st["client_version"])
                else:
                    r = await raw.step(st)
                if r is not None:
                    obs.append(r)
        except (
            OSError,
            TimeoutError,
            ValueError,
            KeyError,
            IndexError,
            websockets.WebSocketException,
            ClientError,
        ) as e:
            # reported as an observation: the table comparison shows it
            obs.append(f"error: {type(e).__name__}: {e}")
        finally:
            if raw.ws is not None:
                await raw.ws.close()
        print(json.dumps({"scenario": name, "obs": obs}), flush=True)


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]), sys.argv[2], sys.argv[3:]))
