"""Reference agents with mock replies (mirrors runtime/server/agents/reference.ts).

They stream their answers word by word and understand a few commands that
exercise the runtime: ``/echo <text>`` (one agent_message), ``/fail`` (the handler
raises), ``/hang`` (never answers: the timeout fires), ``/progress``
(progress_update events, then a reply) and ``/stream <n>`` (n numbered chunks).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

from ..dispatch import Handler, Request
from ..wire import timestamp
from .chat import GUIDE_AGENT, LIAISON_AGENTS


async def _sleep(delay_s: float, req: Request) -> None:
    if delay_s > 0 and not req.cancelled.is_set():
        try:
            await asyncio.wait_for(req.cancelled.wait(), delay_s)
        except TimeoutError:
            pass


async def _words(text: str, delay_s: float, req: Request) -> AsyncIterator[str]:
    for part in re.split(r"(?<= )", text):
        if req.cancelled.is_set():
            return
        await _sleep(delay_s, req)
        yield part


async def _numbered(n: int, delay_s: float, req: Request) -> AsyncIterator[str]:
    for i in range(n):
        if req.cancelled.is_set():
            return
        await _sleep(delay_s, req)
        yield f"chunk {i} "


def _text(msg: Any) -> str:
    text = getattr(msg, "message", None)
    if text is not None:
        return str(text)
    name = getattr(msg, "file_name", None)
    return f"file {name}" if name is not None else ""


def _commands(name: str, delay_s: float) -> Handler:
    def handle(req: Request) -> Any:
        text = _text(req.message)
        if text.startswith("/echo "):
            return text[6:]
        if text == "/fail":
            raise RuntimeError("reference agent failure (requested with /fail)")
        if text == "/hang":
            return asyncio.get_running_loop().create_future()
        if text.startswith("/stream "):
            try:
                n = int(text[8:])
            except ValueError:
                n = 0
            return _numbered(max(0, min(1000, n)), delay_s, req)
        if text == "/progress":
            return _progress(name, delay_s, req)
        return _words(f"{name} here. You said: {text}. This is a mock streamed answer.", delay_s, req)

    return handle


async def _progress(name: str, delay_s: float, req: Request) -> dict[str, Any]:
    for p in (0.25, 0.5, 0.75, 1):
        update: dict[str, Any] = {"type": "progress_update", "timestamp": timestamp(), "progress": p, "agent": req.endpoint.fields["agent"]}
        if req.message_id is not None:
            update["message_id"] = req.message_id
        req.emit(update)
        await _sleep(delay_s, req)
    return {"message": f"{name}: done", "data": {"steps": 4}}


def reference_guide_agent(chunk_delay_s: float = 0.015) -> Handler:
    """The reference guide agent."""
    return _commands("Guide agent", chunk_delay_s)


def reference_liaison_agent(chunk_delay_s: float = 0.015) -> Handler:
    """The reference liaison agent (one handler for every pillar; it names the pillar it serves)."""
    by_pillar: dict[str, Handler] = {}

    def handle(req: Request) -> Any:
        pillar = req.endpoint.params.get("pillar", "content")
        h = by_pillar.get(pillar)
        if h is None:
            h = by_pillar[pillar] = _commands(f"{pillar} liaison", chunk_delay_s)
        return h(req)

    return handle


def echo_agent(req: Request) -> Any:
    """Answers every message with its own text, synchronously (benchmarks)."""
    return _text(req.message)


def reference_agents(chunk_delay_s: float = 0.015) -> dict[str, Handler]:
    """Handlers for the guide and every liaison agent."""
    liaison = reference_liaison_agent(chunk_delay_s)
    return {GUIDE_AGENT: reference_guide_agent(chunk_delay_s), **dict.fromkeys(LIAISON_AGENTS.values(), liaison)}
