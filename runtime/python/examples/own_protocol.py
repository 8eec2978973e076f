"""Your own protocol on FastAPI: the whiteboard fixture (test/fixtures/whiteboard, tag ``op``) served by handlers per
message type (``create_server``). Generate its package first: ``wsgen generate --schema test/fixtures/whiteboard
--out board --target python``; ``test_whiteboard.py`` runs this file under uvicorn."""

import os
from typing import Any

from fastapi import FastAPI
from wsgen_protocol.models import ChatSend, ExportBoard
from wsgen_protocol.protocol import PROTOCOL  # your protocol's generated package

from wsgen_runtime import InMemorySessionValidator, Request, create_server, stream

validator = InMemorySessionValidator()  # or any object with validate_session(token)
validator.issue(user_id="ada", token=os.environ["BOARD_DEV_TOKEN"])


def chat(req: Request[ChatSend]) -> Any:
    """One reply (its ``ref`` is the request's when left out)."""
    return {"op": "chat", "user": req.session.user_id, "text": req.message.text}


async def export(req: Request[ExportBoard]) -> Any:
    """A stream: ``export_chunk`` parts 0, 1, 2 (the values become their ``data``), then ``export_done``."""
    return stream(f"<{req.message.format} part {i}/>" for i in range(3))


wsgen = create_server(
    PROTOCOL,
    endpoints={"board": {"path": "/boards/{format}", "params": {"format": "ExportFormat"}}},
    handlers={"chat_send": chat, "export_board": export},  # any other client op: UNSUPPORTED_TYPE
    validator=validator,
)
app = FastAPI(lifespan=wsgen.lifespan)  # graceful shutdown of the WebSocket server


@app.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}


app.router.routes.extend(wsgen.routes)  # last: /boards/{format}, /metrics, /healthz, then 404 for other WebSocket paths
