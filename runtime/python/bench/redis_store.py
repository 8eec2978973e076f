"""Bench of the Python runtime's Redis session store against the in-memory store, side by side in one run.

    .venv/bin/python runtime/python/bench/redis_store.py [--seconds 3] [--rounds 3] [--idle 1000] [--baseline DIR]
        [--failover 100] [--failover-only] [--failover-src DIR]

A redis-server (/usr/bin/redis-server, 127.0.0.1, a free port, no persistence) and two servers in their own
processes under the same uvicorn (``serve memory|redis|stream-<node>[@DIR] PORT [URL]``): the bundled protocol, a sync echo
handler. Closed loop as bench/run.py (8 connections, 32 messages in flight each, every 64th reply checked),
server CPU from /proc, rounds alternating the order (memory, redis, then reversed) so that machine noise hits
both, medians of the per-round ratios: messages per server CPU-second (issue 12's goal: Redis at least 0.70 x
memory). ``--baseline DIR``: a third server, the Redis store of another build (DIR holds its ``wsgen_runtime``
package, e.g. ``runtime/python/src`` of another checkout), measured in the same rounds: a change's before/after.
After the rounds (so that their links and releases do not run during them), Redis memory per idle session with
an empty replay buffer: ``--idle`` sessions linked
(connected, no message: no log exists yet), Redis ``used_memory`` before and after, divided by the count (goal
≤ 1 KB), and the mean ``MEMORY USAGE`` of a session's keys (meta hash + its user's presence set). Last, ``--failover`` clients
stream from one of two Redis nodes, which is SIGKILLed mid-stream; each client resumes on the other: the clients
that resumed cleanly and those told of a loss (RECOVERY_FAILED), lost and duplicated messages against each stream in
Redis (``tally``: a seq counts within its epoch, and a chunk of the long stream by its index), and the time until
every client is back. ``--failover-only``: that round alone; ``--failover-src DIR``: its nodes run another build.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib.util
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
_spec = importlib.util.spec_from_file_location("wsgen_bench_run", HERE / "run.py")
assert _spec is not None and _spec.loader is not None
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)


def free_port() -> int:
    """A port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(kind: str, port: int, url: str | None) -> None:
    """Runs one server (a child process of the bench): ``memory`` or ``redis`` with the echo agent, or ``stream-<node>``
    (Redis, the reference agents: ``/stream n`` sends n chunks 10 ms apart)."""
    kind, _, other = kind.partition("@")  # "<kind>@DIR": the wsgen_runtime of another build
    src = other or str(ROOT / "runtime" / "python" / "src")
    sys.path[:0] = [src, str(ROOT / "generated" / "python")]
    import uvicorn

    from wsgen_runtime import InMemorySessionValidator, ServerCore, ServerOptions
    from wsgen_runtime.app import ChatApp, bundled_protocol, echo_agent, reference_agents
    from wsgen_runtime.app.router import create_app

    v = InMemorySessionValidator()
    for i in range(run.MAX_CONNECTIONS):
        v.issue(token=f"{run.TOKEN}-{i}", user_id=f"u{i}", session_id=f"bench-session-{i}", attributes={"realm": "experience"})  # same on every node
    from wsgen_runtime import JsonLogger

    options = ServerOptions(rate_limit=None, heartbeat_interval_s=0, max_connections_per_user=100_000, logger=JsonLogger("warn"))
    agents: dict[str, Any] = {"guide_agent": echo_agent}
    if kind != "memory":
        from wsgen_runtime.cluster import RedisOptions, redis_session_store

        node = kind.removeprefix("stream-") if kind.startswith("stream-") else "bench"
        options.session_store = redis_session_store(RedisOptions(url=str(url), node_id=node))
        if kind.startswith("stream-"):
            agents = reference_agents(0.01)
    core = ServerCore(bundled_protocol(), ChatApp(agents=agents), v, options)
    uvicorn.run(
        create_app(core), host="127.0.0.1", port=port, log_level="warning", ws_max_size=65536, ws_ping_interval=None, ws_per_message_deflate=False
    )


def redis_command(port: int, *args: str) -> bytes:
    """One command over RESP, its raw reply (a status, an error, an integer or a bulk string), read in full: a fixed
    wait before one read returned part of a reply, or none, on a loaded machine."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"*{len(args)}\r\n".encode() + b"".join(f"${len(a.encode())}\r\n{a}\r\n".encode() for a in args))
        reply = b""
        while b"\r\n" not in reply or (reply[:1] == b"$" and len(reply) < _bulk_size(reply)):
            chunk = s.recv(1 << 20)
            if not chunk:
                raise RuntimeError(f"redis closed the connection after {reply!r}")
            reply += chunk
        return reply


def _bulk_size(reply: bytes) -> int:
    """The bytes of a complete bulk-string reply whose header line ``reply`` starts with (``$-1``: none)."""
    header, _, _ = reply.partition(b"\r\n")
    n = int(header[1:])
    return len(header) + 2 + (n + 2 if n >= 0 else 0)


def used_memory(port: int) -> int:
    """Redis ``used_memory`` in bytes."""
    info = redis_command(port, "INFO", "memory").decode()
    return int(next(line.split(":")[1] for line in info.splitlines() if line.startswith("used_memory:")))


async def idle_sessions(server_port: int, redis_port: int, n: int) -> tuple[float, float]:
    """Redis bytes per idle session (``n`` linked, connected, no message): the ``used_memory`` delta per session, and
    the mean ``MEMORY USAGE`` of a session's keys (its stream's meta hash and its user's presence sorted set)."""
    before = used_memory(redis_port)
    conns = [await run.connect(server_port, 100 + i) for i in range(n)]
    created = [json.loads(t) for t in await asyncio.gather(*(ws.recv() for ws in conns))]
    await asyncio.sleep(1.0)
    after = used_memory(redis_port)
    sample = range(0, n, max(1, n // 50))
    usage = []
    for i in sample:
        meta = redis_command(redis_port, "MEMORY", "USAGE", f"wsgen:{{{created[i]['session_id']}}}:guide:meta").decode()
        user = redis_command(redis_port, "MEMORY", "USAGE", f"wsgen:presence:user:u{100 + i}").decode()
        usage.append(int(meta.strip().lstrip(":")) + int(user.strip().lstrip(":")))
    await asyncio.gather(*(ws.close() for ws in conns))
    return (after - before) / n, statistics.mean(usage)


@dataclass
class Seen:
    """What one failover client's application got: ``(epoch, seq, chunk)`` per message with a seq, in order
    (``chunk``: the ``stream_index`` of a chunk of the long stream, else None)."""

    got: list[tuple[str, int, int | None]] = field(default_factory=list)

    def on_message(self, c: Any, m: dict[str, Any]) -> None:
        if isinstance(m.get("seq"), int):
            chunk = m.get("stream_index") if m.get("type") == "agent_streaming" and m.get("message_id") == "long" else None
            self.got.append((str(c.epoch), m["seq"], chunk))


def tally(seen: Seen, top: int, epoch: str, announced: bool) -> tuple[int, int, int]:
    """``(lost, duplicated by seq, duplicated by chunk)`` of one client whose stream in Redis is at ``top`` in ``epoch``.

    A seq counts within its epoch: after a new epoch (RECOVERY_FAILED ``epoch_mismatch``, an announced loss) the
    stream counts from 1 again, and a seq of the old epoch is another message, not a duplicate. Lost: a seq of the
    current epoch up to ``top`` the client never got, and, for a client told of no loss, a chunk index of the long
    stream below the highest it got that it never got. Duplicated: an ``(epoch, seq)`` or a chunk index got twice."""
    keys = [(e, q) for e, q, _ in seen.got]
    chunks = [k for _, _, k in seen.got if k is not None]
    lost = len(set(range(1, top + 1)) - {q for e, q in keys if e == epoch})
    if not announced and chunks:
        lost += len(set(range(max(chunks) + 1)) - set(chunks))
    return lost, len(keys) - len(set(keys)), len(chunks) - len(set(chunks))


async def failover(ports: tuple[int, int], victim: subprocess.Popen[bytes], redis_port: int, n: int) -> str:
    """``n`` clients stream from the first node; it is SIGKILLed mid-stream; each client resumes on the second.
    Counts per client (``tally``) lost and duplicated messages against its stream in Redis, the clients told of a loss
    (RECOVERY_FAILED: explicit, never silent), and times the return."""
    sys.path[:0] = [str(ROOT / "runtime" / "python" / "src"), str(ROOT / "generated" / "python")]
    from wsgen_runtime.app import bundled_protocol
    from wsgen_runtime.app.client import chat_client
    from wsgen_runtime.client import BackoffOptions, ClientOptions

    backoff = BackoffOptions(min_delay_s=0.1, max_delay_s=2.0)
    clients = [chat_client(f"ws://127.0.0.1:{ports[0]}", f"{run.TOKEN}-{1200 + i}", bundled_protocol(), options=ClientOptions(backoff=backoff))
               for i in range(n)]  # fmt: skip
    seen = [Seen() for _ in range(n)]
    for c, s in zip(clients, seen, strict=True):
        c.subscribe(functools.partial(s.on_message, c))
    await asyncio.gather(*(c.connect() for c in clients))
    for c in clients:
        await c.send({"type": "user_message", "message": "/stream 300", "message_id": "long"})
    await asyncio.sleep(1.0)  # mid-stream: ~100 chunks each
    for c in clients:
        c.url = c.url.replace(f":{ports[0]}/", f":{ports[1]}/")
    victim.kill()
    killed = time.monotonic()
    deadline = killed + 60
    while any(len(c.resumes) < 2 for c in clients) and time.monotonic() < deadline:  # noqa: ASYNC110 - client state, no event
        await asyncio.sleep(0.05)
    back = time.monotonic() - killed
    await asyncio.sleep(0.5)
    lost = dup_seq = dup_chunk = 0
    for c, s in zip(clients, seen, strict=True):
        top = int(redis_command(redis_port, "HGET", f"wsgen:{{{c.session_id}}}:guide:meta", "seq").decode().split("\r\n")[1])
        counts = tally(s, top, str(c.epoch), bool(c.recovery_failures))
        lost, dup_seq, dup_chunk = lost + counts[0], dup_seq + counts[1], dup_chunk + counts[2]
    resumed = sum(1 for c in clients if c.resumes[-1:] == ["resumed"] and not c.recovery_failures)
    told = sum(1 for c in clients if c.recovery_failures)
    await asyncio.gather(*(c.close() for c in clients))
    summary = f"failover, {n} clients: {resumed} resumed cleanly, {told} told of a loss (RECOVERY_FAILED), {lost} lost"
    summary += f", {dup_seq + dup_chunk} duplicated ({dup_seq} by epoch and seq, {dup_chunk} by chunk index)"
    back_s = f"all back within {back:.2f} s" if all(len(c.resumes) >= 2 for c in clients) else f"NOT all back within {back:.0f} s"
    return f"{summary}, {back_s} (backoff max {backoff.max_delay_s} s)"


def throughput(procs: dict[str, tuple[subprocess.Popen[bytes], int]], measured: list[str], rport: int, args: argparse.Namespace) -> None:
    """The alternating throughput rounds, then the idle sessions' memory; prints the figures."""
    rates: dict[str, list[float]] = {k: [] for k in measured}
    print("throughput rounds start (a server log line below this one happened during them)", flush=True)
    for r in range(args.rounds):
        for kind in measured if r % 2 == 0 else measured[::-1]:
            p, port = procs[kind]
            rates[kind].append(asyncio.run(run.load(port, p.pid, args.seconds, "wsgen")))
    print("throughput rounds end", flush=True)
    # After the rounds: the 1 000 idle links and their releases must not share the Redis store's pool with them.
    per, keys = asyncio.run(idle_sessions(procs["redis"][1], rport, args.idle))
    for kind in measured[1:]:
        ratios = [x / m for x, m in zip(rates[kind], rates["memory"], strict=True)]
        mem, x = statistics.median(rates["memory"]), statistics.median(rates[kind])
        rounds = " ".join(f"{q:.2f}" for q in ratios)
        ratio = statistics.median(ratios)
        print(f"msgs per server CPU-s: memory {mem:,.0f}  {kind} {x:,.0f}  ratio {ratio:.2f}x (goal >= 0.70; rounds {rounds})")
    print(f"Redis memory per idle session at {args.idle}: used_memory {per:,.0f} bytes; keys (meta + presence) {keys:,.0f} bytes")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--failover", type=int, default=100, help="clients of the failover round (0: skip)")
    ap.add_argument("--baseline", help="a wsgen_runtime source folder of another build, measured beside (Redis store)")
    ap.add_argument("--failover-only", action="store_true", help="only the failover round (no throughput rounds, no idle sessions)")
    ap.add_argument("--failover-src", help="a wsgen_runtime source folder of another build for the failover round's two nodes")
    args = ap.parse_args()
    work = tempfile.TemporaryDirectory(prefix="wsgen-bench-redis-")
    rport = free_port()
    redis = subprocess.Popen(["/usr/bin/redis-server", "--port", str(rport), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                              "--dir", work.name], stdout=subprocess.DEVNULL)  # fmt: skip
    procs: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    try:
        run.wait_listening(rport)
        measured = [] if args.failover_only else ["memory", "redis"] + (["baseline"] if args.baseline else [])
        kinds = measured + (["stream-a", "stream-b"] if args.failover else [])
        for kind in kinds:
            port = free_port()
            arg = f"redis@{Path(args.baseline).resolve()}" if kind == "baseline" else kind
            if kind.startswith("stream-") and args.failover_src:
                arg = f"{kind}@{Path(args.failover_src).resolve()}"
            procs[kind] = (subprocess.Popen([sys.executable, __file__, "serve", arg, str(port), f"redis://127.0.0.1:{rport}/0"]), port)
        for _p, port in procs.values():
            run.wait_listening(port, 120)
        if measured:
            throughput(procs, measured, rport, args)
        if args.failover:
            print(asyncio.run(failover((procs["stream-a"][1], procs["stream-b"][1]), procs["stream-a"][0], rport, args.failover)))
    finally:
        for p, _ in procs.values():
            p.terminate()
            p.wait(10)
        redis.terminate()
        redis.wait(10)
        work.cleanup()
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(main())
