"""A Python node on Redis, run as a child process by the tests: the bundled app under uvicorn, the Redis
session store, a fixed token and session (what a shared session validator gives every node).

``python node_main.py --redis URL --node-id ID --token T --session-id S`` prints ``{"port": N}`` once it
listens and is subscribed, then JSON log lines on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "runtime" / "python" / "src"), str(ROOT / "generated" / "python")]

from wsgen_runtime import InMemorySessionValidator, JsonLogger, ServerCore, ServerOptions  # noqa: E402
from wsgen_runtime.app import ChatApp, bundled_protocol, reference_agents  # noqa: E402
from wsgen_runtime.app.router import create_app  # noqa: E402
from wsgen_runtime.cluster import RedisOptions, RedisSessionStore, redis_session_store  # noqa: E402
from wsgen_runtime.options import Shutdown  # noqa: E402
from wsgen_runtime.serve import GracefulServer, bind, uvicorn_config  # noqa: E402


async def main(args: argparse.Namespace) -> None:
    validator = InMemorySessionValidator()
    validator.issue(token=args.token, session_id=args.session_id, attributes={"realm": "experience"})
    store = redis_session_store(RedisOptions(url=args.redis, node_id=args.node_id, presence_ttl_s=3.0, probe_interval_s=0.1, timeout_s=1.0))
    options = ServerOptions(
        logger=JsonLogger("info"),
        session_store=store,
        shutdown=Shutdown(jitter_s=0.05, deadline_s=1.0),
        max_connections_per_user=args.max_per_user,
    )
    core = ServerCore(bundled_protocol(), ChatApp(agents=reference_agents(args.chunk_delay)), validator, options)
    sock = bind("127.0.0.1", 0)
    started = asyncio.Event()
    server = GracefulServer(uvicorn_config(create_app(core), core, log_level="warning", ws_ping_interval=None), core, started.set)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    assert isinstance(core.sessions, RedisSessionStore)
    await core.sessions.ready()
    await started.wait()
    print(json.dumps({"port": sock.getsockname()[1]}), flush=True)
    await task


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    for name in ("--redis", "--node-id", "--token", "--session-id"):
        ap.add_argument(name, required=True)
    ap.add_argument("--chunk-delay", type=float, default=0.01)
    ap.add_argument("--max-per-user", type=int, default=16)
    asyncio.run(main(ap.parse_args()))
