"""Side-by-side bench of the FastAPI runtime against a raw Starlette endpoint under the same uvicorn.

    .venv/bin/python runtime/python/bench/run.py [--seconds 3] [--rounds 3] [--idle 2000]

Each server runs in its own process (``serve raw|wsgen PORT``). The raw endpoint does ``json.loads`` and
``json.dumps`` of a reply per message (Starlette's ``WebSocket``); wsgen validates, routes to a sync echo
handler, numbers, buffers and replies (``agent_message``). Closed loop: 8 connections, 32 messages in flight
each; server CPU (user + system, from /proc) per message; alternating rounds, medians. Then RSS per idle
connection: ``--idle`` connections held open to each server, VmRSS before and after. Every 64th wsgen reply
is checked (``agent_message``, the request's message_id, consecutive seq).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "bench-token"
#: Tokens the wsgen server issues (one session per connection: a session's second connection replaces its first).
MAX_CONNECTIONS = 2100
MSG = json.dumps({"type": "user_message", "timestamp": "2024-01-01T00:00:00.000Z", "message": "x" * 200, "message_id": "m-1"})


def serve(kind: str, port: int) -> None:
    """Runs one server (a child process of the bench)."""
    sys.path[:0] = [str(ROOT / "runtime" / "python" / "src"), str(ROOT / "generated" / "python")]
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    if kind in ("raw", "parse"):
        from wsgen_protocol import parse_message

        async def raw(ws: WebSocket) -> None:
            await ws.accept(subprotocol="wsgen.v1")
            try:
                while True:
                    m = json.loads(await ws.receive_text())
                    reply = {"type": "agent_message", "message_id": m.get("message_id"), "timestamp": m["timestamp"], "message": m["message"]}
                    await ws.send_text(json.dumps(reply))
            except WebSocketDisconnect:
                pass

        async def parse(ws: WebSocket) -> None:
            """The floor of validation: the raw endpoint with the generated parse_message instead of json.loads."""
            await ws.accept(subprotocol="wsgen.v1")
            try:
                while True:
                    v = parse_message(await ws.receive_text()).value  # type: ignore[union-attr]
                    reply = {"type": "agent_message", "message_id": v.message_id, "timestamp": "2024-01-01T00:00:00.000Z", "message": v.message}
                    await ws.send_text(json.dumps(reply))
            except WebSocketDisconnect:
                pass

        app: Any = Starlette(routes=[WebSocketRoute("/api/ws/guide", raw if kind == "raw" else parse)])
    else:
        from wsgen_runtime import InMemorySessionValidator, ServerCore, ServerOptions
        from wsgen_runtime.app import ChatApp, bundled_protocol, echo_agent
        from wsgen_runtime.app.router import create_app

        v = InMemorySessionValidator()
        for i in range(MAX_CONNECTIONS):
            v.issue(token=f"{TOKEN}-{i}", user_id=f"u{i}", attributes={"realm": "experience"})
        core = ServerCore(bundled_protocol(), ChatApp(agents={"guide_agent": echo_agent}), v,
                          ServerOptions(rate_limit=None, heartbeat_interval_s=0, max_connections_per_user=100_000,
                                        validate_outbound=False))  # production settings; fmt: skip
        app = create_app(core)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", ws_max_size=65536, ws_ping_interval=None, ws_per_message_deflate=False)


def wait_listening(port: int, timeout_s: float = 30.0) -> None:
    """Waits until 127.0.0.1:port accepts a TCP connection (RuntimeError after ``timeout_s``)."""
    import socket

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no server on port {port} after {timeout_s} s")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    """VmRSS of a process in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def connect(port: int, i: int) -> Any:
    import websockets

    ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/ws/guide", subprotocols=["wsgen.v1", f"wsgen.token.{TOKEN}-{i}"],  # type: ignore[list-item]
                                  ping_interval=None, max_queue=None)  # fmt: skip
    return ws


async def load(port: int, pid: int, seconds: float, kind: str) -> float:
    """Messages per server CPU-second over a closed-loop round."""
    conns = [await connect(port, i) for i in range(8)]
    seqs = [0] * len(conns)
    if kind == "wsgen":
        for i, ws in enumerate(conns):
            seqs[i] = json.loads(await ws.recv())["seq"]  # session_created: the stream's latest seq (rounds reuse sessions)
    count = 0

    async def drive(i: int, ws: Any, until: float) -> None:
        nonlocal count
        while time.monotonic() < until:
            for _ in range(32):
                await ws.send(MSG)
            for k in range(32):
                text = await ws.recv()
                if kind == "wsgen" and k == 0:
                    m = json.loads(text)
                    assert m["type"] == "agent_message" and m["message_id"] == "m-1" and m["seq"] == seqs[i] + 1, m
            seqs[i] += 32
            count += 32

    c0 = cpu_s(pid)
    t_end = time.monotonic() + seconds
    await asyncio.gather(*(drive(i, ws, t_end) for i, ws in enumerate(conns)))
    used = cpu_s(pid) - c0
    for ws in conns:
        await ws.close()
    return count / used


async def idle_rss(port: int, pid: int, n: int, kind: str) -> float:
    """Extra RSS per idle connection, in KiB, with ``n`` connections open."""
    before = rss_kb(pid)
    conns = [await connect(port, 8 + i) for i in range(n)]
    if kind == "wsgen":
        await asyncio.gather(*(ws.recv() for ws in conns))
    await asyncio.sleep(1.0)
    after = rss_kb(pid)
    await asyncio.gather(*(ws.close() for ws in conns))
    return (after - before) / n


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--idle", type=int, default=2000)
    ap.add_argument("--floor", action="store_true", help="also run the raw endpoint with parse_message (the floor of validation)")
    args = ap.parse_args()
    procs: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    kinds = ("raw", "parse", "wsgen") if args.floor else ("raw", "wsgen")
    for i, kind in enumerate(kinds):
        port = 18900 + i + (os.getpid() % 500) * 3
        p = subprocess.Popen([sys.executable, __file__, "serve", kind, str(port)])
        procs[kind] = (p, port)
    try:
        for _p, port in procs.values():
            wait_listening(port)
        rates: dict[str, list[float]] = {k: [] for k in kinds}
        for _ in range(args.rounds):
            for kind, (p, port) in procs.items():
                rates[kind].append(asyncio.run(load(port, p.pid, args.seconds, kind)))
        raw, ws = statistics.median(rates["raw"]), statistics.median(rates["wsgen"])
        print(f"msgs per server CPU-s: raw {raw:,.0f}  wsgen {ws:,.0f}  ratio {ws / raw:.2f}x  (rounds: {rates})")
        if args.floor:
            floor = statistics.median(rates["parse"])
            print(f"floor: raw endpoint + parse_message {floor:,.0f} msgs per CPU-s = {floor / raw:.2f}x raw")
        rss = {kind: asyncio.run(idle_rss(port, p.pid, args.idle, kind)) for kind, (p, port) in procs.items() if kind != "parse"}
        print(f"RSS per idle connection at {args.idle}: raw {rss['raw']:.2f} KiB  wsgen {rss['wsgen']:.2f} KiB  "
              f"delta {rss['wsgen'] - rss['raw']:+.2f} KiB")  # fmt: skip
    finally:
        for p, _ in procs.values():
            p.terminate()
            p.wait(10)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
