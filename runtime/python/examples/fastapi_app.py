"""A FastAPI app serving the bundled protocol with wsgen_runtime (the README's quick start).

Run from the repository root:
    PYTHONPATH=generated/python .venv/bin/python -m uvicorn --app-dir runtime/python/examples fastapi_app:app \\
        --ws-max-size 65536 --ws-per-message-deflate false
"""

from typing import Any

from fastapi import FastAPI

from wsgen_runtime import InMemorySessionValidator, Request, ServerCore, ServerOptions
from wsgen_runtime.app import ChatApp, bundled_protocol
from wsgen_runtime.app.router import create_router

validator = InMemorySessionValidator()  # or any object with validate_session(token)
TOKEN, SESSION = validator.issue(user_id="u1", tenant="t1", attributes={"realm": "experience"}, token="quick-start-token")


async def guide(req: Request) -> Any:
    """Streams the answer word by word: each chunk becomes an agent_streaming message, then agent_complete."""
    for word in ["You", "said:", req.message.message]:
        yield word + " "


def content(req: Request) -> Any:
    """One reply: an agent_message."""
    return {"message": f"content liaison: {req.message.message}", "data": {"pillar": "content"}}


core = ServerCore(bundled_protocol(), ChatApp(agents={"guide_agent": guide}, pillars={"content": content}), validator, ServerOptions())
app = FastAPI()
app.include_router(create_router(core))  # /api/ws/guide, /api/ws/liaison/{pillar}, /metrics, /healthz
