"""A second protocol on the same core: the whiteboard fixture (tag ``op``) served with echo handlers.

Run as ``python whiteboard_server.py [heartbeat_s]`` (default 0: no heartbeat) with the whiteboard's generated ``wsgen_protocol`` and the runtime's
sources on PYTHONPATH. It prints ``READY <port> <token> <token>`` (two sessions) once it listens on 127.0.0.1 (a free port) and
stops gracefully on SIGTERM. Endpoint: ``/board/main``. Echo handlers: ``chat_send`` → ``chat``,
``shape_add`` → ``shape_added``, ``export_board`` → three ``export_chunk`` parts then ``export_done``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from wsgen_protocol.protocol import PROTOCOL

from wsgen_runtime import InMemorySessionValidator, ServerCore, ServerOptions
from wsgen_runtime.dispatch import Request, Route
from wsgen_runtime.generated import from_generated
from wsgen_runtime.routes import lifespan, websocket_routes
from wsgen_runtime.serve import GracefulServer, bind, uvicorn_config
from wsgen_runtime.types import Endpoint, SessionInfo

BOARD = Endpoint("board:main", "/board/main", {}, {"board": "main"}, "board")


class BoardShaper:
    """Reply ops carry the request's ``ref`` (none when it came without one); the export stream is ``export_chunk`` parts then ``export_done``."""

    def reply(self, req: Request, value: Any) -> dict[str, Any]:
        return {**value, "ref": req.message_id} if req.message_id is not None else dict(value)

    def chunk(self, req: Request, value: Any, index: int) -> dict[str, Any]:
        return {"op": "export_chunk", "ref": req.message_id, "part": index, "data": value}

    def end(self, req: Request, count: int) -> dict[str, Any]:
        return {"op": "export_done", "ref": req.message_id, "part": count}


async def _parts(n: int) -> AsyncIterator[str]:
    for i in range(n):
        yield f"<part {i}/>"


async def _export(fmt: str) -> AsyncIterator[str]:
    for i in range(3):
        yield f"<{fmt} part {i}>"


def board(req: Request) -> Any:
    """The echo handler of every client op."""
    m = req.message
    user = req.session.user_id
    if m.op == "chat_send" and m.text.startswith("/parts "):  # a stream answering a type whose ref is optional
        return _parts(int(m.text[7:]))
    if m.op == "chat_send":
        return {"op": "chat", "user": user, "text": m.text}
    if m.op == "shape_add":
        return {"op": "shape_added", "by": user, "shape": m.shape.model_dump(mode="json", exclude_none=True)}
    if m.op == "export_board":
        return _export(str(m.format))
    raise ValueError(f"no echo for {m.op}")


class BoardApp:
    """One endpoint, ``/board/main``, every op to :func:`board`."""

    def match(self, path: str) -> Endpoint | None:
        return BOARD if path == BOARD.path else None

    def route(self, endpoint: Endpoint) -> Route | None:
        return Route(board, BoardShaper())

    def session_fields(self, session: SessionInfo) -> dict[str, Any]:
        return {}


async def main(heartbeat_s: float) -> None:
    validator = InMemorySessionValidator()
    token, _ = validator.issue(user_id="ada")
    second, _ = validator.issue(user_id="grace")
    core = ServerCore(from_generated(PROTOCOL), BoardApp(), validator, ServerOptions(validate_outbound=True, heartbeat_interval_s=heartbeat_s))
    app = Starlette(routes=websocket_routes(core, ["/board/main"]), lifespan=lifespan(core))
    sock = bind("127.0.0.1", 0)
    server = GracefulServer(uvicorn_config(app, core, log_level="warning"), core,
                            on_started=lambda: print(f"READY {sock.getsockname()[1]} {token} {second}", flush=True))  # fmt: skip
    await server.serve([sock])


if __name__ == "__main__":
    sys.exit(asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.0)))
