"""Bench of the Python runtime's Redis session store against the in-memory store, side by side in one run.

    .venv/bin/python runtime/python/bench/redis_store.py [--seconds 2] [--rounds 7] [--idle 1000] [--baseline DIR]
        [--failover 100] [--failover-only] [--failover-src DIR] [--instructions BATCHES]

A redis-server (/usr/bin/redis-server, 127.0.0.1, a free port, no persistence) and two servers in their own
processes under the same uvicorn (``serve memory|redis|stream-<node>[@DIR] PORT [URL]``): the bundled protocol, a sync
echo handler, production settings (``validate_outbound=False``, as bench/run.py: what both stores share costs less,
so the ratio is the stricter one).

Throughput (issue 12's goal: Redis at least 0.70 x memory). What is counted: messages per server CPU-second, where
messages are the replies the load generator received in a round (a closed loop as bench/run.py: 8 connections, 32
messages in flight each, every 64th reply checked) and server CPU is the user + system time of the server's process
(/proc/<pid>/stat) from after its 8 connections are open to the end of the loop. Not counted: the load generator,
the connects, and redis-server's own CPU (printed beside, per message, with the ``append_many.lua`` calls per message
from Redis' ``INFO commandstats``). Rounds are paired: each round measures memory then Redis, the next round Redis
then memory (so that a change of the machine's load between the two halves falls on each side in turn), and the
figure is the median of the per-round ratios, printed with their spread and the load average: the machine is
shared, a single round is noise. ``--baseline DIR``: a third server, the Redis store of another build (DIR holds its
``wsgen_runtime`` package, e.g. ``runtime/python/src`` of another checkout), measured in the same rounds: a change's
before/after. ``--instructions BATCHES`` instead: the same servers one at a time under valgrind's callgrind, the
user-space instructions of the server process per message over BATCHES x 32 messages on each of 8 connections after
a warm-up (bench/instructions.py), memory / Redis: a figure the machine's load does not move (CPU seconds weigh
instructions unequally and move with it); under callgrind the server is the slow side, so its appends batch fully.

After the rounds (so that their links and releases do not run during them), Redis memory per idle session with an
empty replay buffer: ``--idle`` sessions linked (connected, no message: no log exists yet), Redis ``used_memory``
before and after, divided by the count (goal <= 1 KB), and the mean ``MEMORY USAGE`` of a session's keys (meta hash
+ its user's presence set).

Last, ``--failover`` clients stream from one of two Redis nodes, which is SIGKILLed mid-stream; each client resumes
on the other: the clients that resumed cleanly and those told of a loss (RECOVERY_FAILED), lost and duplicated
messages against each stream in Redis (``tally``: a seq counts within its epoch, and a chunk of the long stream by
its index), and the time from the kill until each client is back (its resume answered), as the median, 90th
percentile and maximum, with the dial attempts it took. The bound: the clients' backoff (``min_delay_s`` 0.1,
``max_delay_s`` 2.0, full jitter: the n-th retry waits ``random() * min(max, min * 2^n)``) lets one client wait at
most ``max_delay_s`` before any attempt; the other node is up, so a client's first attempt should succeed: every
client must be back within ``max_delay_s`` of the kill (its wait before the first attempt, at most ``min_delay_s``,
plus the other node's accept and resume). ``--failover-only``: that round alone; ``--failover-src DIR``: its
nodes run another build.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
import importlib.util
import json
import os
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
sys.modules.setdefault("run", run)  # instructions.py imports it by that name
_ispec = importlib.util.spec_from_file_location("wsgen_bench_instructions", HERE / "instructions.py")
assert _ispec is not None and _ispec.loader is not None
instructions = importlib.util.module_from_spec(_ispec)
_ispec.loader.exec_module(instructions)


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

    options = ServerOptions(
        rate_limit=None, heartbeat_interval_s=0, max_connections_per_user=100_000, logger=JsonLogger("warn"), validate_outbound=False
    )
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


async def failover(nodes: tuple[tuple[subprocess.Popen[bytes], int], tuple[subprocess.Popen[bytes], int]], redis_port: int, n: int) -> str:
    """``n`` clients stream from the first node; it is SIGKILLed mid-stream; each client resumes on the second.
    Counts per client (``tally``) lost and duplicated messages against its stream in Redis, the clients told of a loss
    (RECOVERY_FAILED: explicit, never silent), and times each client's return, against the bound (module doc)."""
    (victim, port_a), (other, port_b) = nodes
    ports = (port_a, port_b)
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
    cpu0, load0 = run.cpu_s(other.pid), os.getloadavg()[0]
    victim.kill()
    killed = time.monotonic()
    deadline = killed + 60
    times: dict[int, float] = {}  # client index -> seconds from the kill until its resume was answered
    while len(times) < n and time.monotonic() < deadline:
        for i, c in enumerate(clients):
            if i not in times and len(c.resumes) >= 2:
                times[i] = time.monotonic() - killed
        await asyncio.sleep(0.01)  # client state: no event to await
    back = time.monotonic() - killed
    cpu = run.cpu_s(other.pid) - cpu0
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
    bound = backoff.max_delay_s
    if len(times) < n:
        back_s = f"NOT all back within {back:.0f} s"
    else:
        t = sorted(times.values())
        verdict = "within" if t[-1] <= bound else "ABOVE"
        back_s = f"back per client median {statistics.median(t):.2f} s, p90 {t[(9 * n) // 10 - 1]:.2f} s, max {t[-1]:.2f} s"
        back_s += f" ({verdict} the bound {bound:g} s)"
    attempts = collections.Counter(c.reconnects for c in clients)
    tried = ", ".join(f"{k} attempt{'s' if k > 1 else ''}: {v}" for k, v in sorted(attempts.items()))
    return f"{summary}; {back_s}; {tried}; the other node used {cpu:.2f} s CPU for them; load average {load0:.1f}"


def evalsha_calls(port: int) -> int:
    """How many EVALSHA commands Redis ran so far (``INFO commandstats``)."""
    info = redis_command(port, "INFO", "commandstats").decode()
    line = next((x for x in info.splitlines() if x.startswith("cmdstat_evalsha:")), "calls=0,")
    return int(line.split("calls=")[1].split(",")[0])


@dataclass
class Round:
    """One server's half of a round: messages per server CPU-second, and per message the EVALSHA calls and
    redis-server CPU seconds (not counted in the rate)."""

    rate: float
    calls: float
    redis_cpu: float


def measure(proc: subprocess.Popen[bytes], port: int, redis: subprocess.Popen[bytes], rport: int, seconds: float) -> Round:
    """One closed-loop half round against one server (bench/run.py ``load``)."""
    e0, r0, c0 = evalsha_calls(rport), run.cpu_s(redis.pid), run.cpu_s(proc.pid)
    rate = asyncio.run(run.load(port, proc.pid, seconds, "wsgen"))
    messages = max(1.0, rate * (run.cpu_s(proc.pid) - c0))  # rate = messages / server CPU of the loop
    return Round(rate, (evalsha_calls(rport) - e0) / messages, (run.cpu_s(redis.pid) - r0) / messages)


def spread(xs: list[float]) -> str:
    """``median (min-max)`` of ``xs``."""
    return f"{statistics.median(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"


def throughput(procs: dict[str, tuple[subprocess.Popen[bytes], int]], measured: list[str], redis: subprocess.Popen[bytes], rport: int,
               args: argparse.Namespace) -> None:  # fmt: skip
    """The paired rounds (see the module doc), then the idle sessions' memory; prints the figures."""
    rounds: dict[str, list[Round]] = {k: [] for k in measured}
    load0 = os.getloadavg()[0]
    print("throughput rounds start (a server log line below this one happened during them)", flush=True)
    for r in range(args.rounds):
        for kind in measured if r % 2 == 0 else measured[::-1]:
            p, port = procs[kind]
            rounds[kind].append(measure(p, port, redis, rport, args.seconds))
    print("throughput rounds end", flush=True)
    # After the rounds: the 1 000 idle links and their releases must not share the Redis store's pool with them.
    per, keys = asyncio.run(idle_sessions(procs["redis"][1], rport, args.idle))
    mem = [x.rate for x in rounds["memory"]]
    print(f"load average {load0:.1f} -> {os.getloadavg()[0]:.1f}; {args.rounds} paired rounds of {args.seconds:g} s per server")
    for kind in measured[1:]:
        ratios = [x.rate / m for x, m in zip(rounds[kind], mem, strict=True)]
        rates = [x.rate for x in rounds[kind]]
        print(f"msgs per server CPU-s: memory {statistics.median(mem):,.0f}  {kind} {statistics.median(rates):,.0f}  "
              f"ratio {spread(ratios)}x (goal >= 0.70; rounds {' '.join(f'{q:.2f}' for q in ratios)})")  # fmt: skip
        calls = statistics.median(x.calls for x in rounds[kind])
        rcpu = statistics.median(x.redis_cpu for x in rounds[kind]) * 1e6
        print(f"  {kind}: {calls:.3f} append_many calls per message, redis-server {rcpu:.1f} us CPU per message (not counted)")
    print(f"Redis memory per idle session at {args.idle}: used_memory {per:,.0f} bytes; keys (meta + presence) {keys:,.0f} bytes")


def instructions_per_message(kind: str, url: str, batches: int, out_dir: str) -> float:
    """User-space instructions per message of one server (``memory`` or ``redis``) under valgrind's callgrind, counted
    over ``batches`` x 32 messages on each of 8 connections after a warm-up (bench/instructions.py ``drive``)."""
    port = free_port()
    prefix = str(Path(out_dir) / f"callgrind.{kind.partition('@')[0]}.{port}")
    tool = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={prefix}"]
    p = subprocess.Popen([*tool, sys.executable, __file__, "serve", kind, str(port), url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        run.wait_listening(port, timeout_s=300.0)
        messages = asyncio.run(instructions.drive(port, "wsgen", p.pid, batches))
        time.sleep(1.0)  # the dump is written by the server process
        return float(instructions.callgrind_total(prefix)) / messages
    finally:
        p.terminate()
        p.wait(30)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0, help="length of one server's half of a round")
    ap.add_argument("--rounds", type=int, default=7, help="paired rounds (memory and Redis each, order alternating)")
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--failover", type=int, default=100, help="clients of the failover round (0: skip)")
    ap.add_argument("--baseline", help="a wsgen_runtime source folder of another build, measured beside (Redis store)")
    ap.add_argument("--failover-only", action="store_true", help="only the failover round (no throughput rounds, no idle sessions)")
    ap.add_argument("--failover-src", help="a wsgen_runtime source folder of another build for the failover round's two nodes")
    ap.add_argument("--instructions", type=int, metavar="BATCHES", help="only instructions per message under callgrind (needs valgrind)")
    args = ap.parse_args()
    work = tempfile.TemporaryDirectory(prefix="wsgen-bench-redis-")
    rport = free_port()
    redis = subprocess.Popen(["/usr/bin/redis-server", "--port", str(rport), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                              "--dir", work.name], stdout=subprocess.DEVNULL)  # fmt: skip
    procs: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    try:
        run.wait_listening(rport)
        if args.instructions:
            url = f"redis://127.0.0.1:{rport}/0"
            kinds = {"memory": "memory", "redis": "redis"} | ({"baseline": f"redis@{Path(args.baseline).resolve()}"} if args.baseline else {})
            ir = {k: instructions_per_message(arg, url, args.instructions, work.name) for k, arg in kinds.items()}
            for k in list(kinds)[1:]:
                print(f"instructions per message: memory {ir['memory']:,.0f}  {k} {ir[k]:,.0f}  ratio {ir['memory'] / ir[k]:.3f}x")
            return 0
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
            throughput(procs, measured, redis, rport, args)
        if args.failover:
            print(asyncio.run(failover((procs["stream-a"], procs["stream-b"]), rport, args.failover)))
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
