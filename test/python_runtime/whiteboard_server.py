"""A second protocol on the same core: the whiteboard fixture (tag ``op``) served with echo handlers through
``create_server`` (handlers per message type, as Node's ``createServer``).

Run as ``python whiteboard_server.py [heartbeat_s]`` (default 0: no heartbeat) with the whiteboard's generated ``wsgen_protocol`` and the runtime's
sources on PYTHONPATH. It prints ``READY <port> <token> <token>`` (two sessions) once it listens on 127.0.0.1 (a free port) and
stops gracefully on SIGTERM. Endpoint: ``/board/main``. Echo handlers: ``chat_send`` → ``chat``,
``chat_send "/parts N"`` → N ``export_chunk`` parts then ``export_done``, ``shape_add`` → ``shape_added``, ``export_board`` → three ``export_chunk`` parts then ``export_done``; ``shape_delete``
fails (the board keeps no shapes: the handler-error path); every other op is answered UNSUPPORTED_TYPE.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from wsgen_protocol.protocol import PROTOCOL

from wsgen_runtime import InMemorySessionValidator, Request, ServerOptions, create_app
from wsgen_runtime.serve import GracefulServer, bind, uvicorn_config


async def _export(fmt: str) -> AsyncIterator[str]:
    for i in range(3):
        yield f"<{fmt} part {i}>"


def _delete(req: Request) -> Any:
    raise KeyError(f"no shape {req.message.id}")


async def _parts(n: int) -> AsyncIterator[str]:
    for i in range(n):
        yield f"<part {i}/>"


def _chat(req: Request) -> Any:
    """``chat_send`` → ``chat``; ``/parts N`` → a stream of N parts (a stream answering a type whose ref is optional)."""
    text = req.message.text
    if text.startswith("/parts "):
        return _parts(int(text[7:]))
    return {"op": "chat", "user": req.session.user_id, "text": text}


HANDLERS = {
    "chat_send": _chat,
    "shape_add": lambda req: {"op": "shape_added", "by": req.session.user_id, "shape": req.message.shape},
    "export_board": lambda req: _export(str(req.message.format)),
    "shape_delete": _delete,
}


async def main(heartbeat_s: float, handlers: Mapping[str, Callable[[Request], Any]] = HANDLERS) -> None:
    validator = InMemorySessionValidator()
    token, _ = validator.issue(user_id="ada")
    second, _ = validator.issue(user_id="grace")
    app = create_app(PROTOCOL, endpoints={"board": {"path": "/board/{board}", "params": {"board": ["main"]}}}, handlers=handlers,
                     validator=validator, options=ServerOptions(validate_outbound=True, heartbeat_interval_s=heartbeat_s))  # fmt: skip
    sock = bind("127.0.0.1", 0)
    server = GracefulServer(uvicorn_config(app, app.state.wsgen.core, log_level="warning"), app.state.wsgen.core,
                            on_started=lambda: print(f"READY {sock.getsockname()[1]} {token} {second}", flush=True))  # fmt: skip
    await server.serve([sock])


if __name__ == "__main__":
    sys.exit(asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.0)))
