"""The FastAPI server cell of the live matrix: wsgen_runtime's FastAPI app with the reference agents (what
``python -m wsgen_runtime.serve`` runs) under ``GracefulServer`` on 127.0.0.1. Usage:
``python py_server.py <token> <session_id> <heartbeat_ms> [port]``. Prints ``READY <port>`` once listening;
SIGTERM is the graceful shutdown (jitter 0.1 s), then exit 0."""

from __future__ import annotations

import asyncio
import sys

from wsgen_runtime import InMemorySessionValidator, ServerCore, ServerOptions
from wsgen_runtime.app import ChatApp, bundled_protocol, reference_agents
from wsgen_runtime.app.router import create_app
from wsgen_runtime.options import Shutdown
from wsgen_runtime.serve import GracefulServer, bind, uvicorn_config


async def main(token: str, session_id: str, heartbeat_ms: int, port: int) -> None:
    validator = InMemorySessionValidator()
    validator.issue(
        token=token,
        session_id=session_id,
        user_id="matrix-user",
        attributes={"realm": "experience"},
    )
    options = ServerOptions(
        heartbeat_interval_s=heartbeat_ms / 1000,
        shutdown=Shutdown(jitter_s=0.1),
        validate_outbound=True,
    )
    core = ServerCore(bundled_protocol(), ChatApp(agents=reference_agents()), validator, options)
    sock = bind("127.0.0.1", port)
    server = GracefulServer(uvicorn_config(create_app(core), core, log_level="warning"), core,
                            on_started=lambda: print(f"READY {sock.getsockname()[1]}", flush=True))  # fmt: skip
    await server.serve([sock])


if __name__ == "__main__":
    a = sys.argv[1:]
    asyncio.run(main(a[0], a[1], int(a[2]), int(a[3]) if len(a) > 3 else 0))
