"""Handshake refusals as HTTP statuses (uvicorn offers the denial-response extension), tokens, origins,
per-user limits, replacement, and that no token reaches the logs."""

from __future__ import annotations

import asyncio
import logging
import warnings
from typing import Any

import pytest
from uvicorn.config import UvicornDeprecationWarning

from wsgen_runtime import WebSocketEndpoint

from .harness import Client, Server, live, refusal


@live()
async def test_refusals_before_the_upgrade_are_http_statuses() -> None:
    async with Server(allowed_origins=["https://app.example"]) as s:
        limited, _ = s.validator.issue(user_id="u-guide-only", permissions=["guide"])
        good = ["wsgen.v1", f"wsgen.token.{s.token}"]
        cases: list[tuple[str, dict[str, Any], int]] = [
            ("/api/ws/guide", {}, 401),
            ("/api/ws/guide", {"subprotocols": ["wsgen.v1", "wsgen.token.nope"]}, 401),
            ("/api/ws/guide?session_token=nope", {}, 401),
            ("/api/ws/guide", {"subprotocols": good, "origin": "https://evil.example"}, 403),
            ("/api/ws/liaison/content", {"subprotocols": ["wsgen.v1", f"wsgen.token.{limited}"]}, 403),
            ("/api/ws/nowhere", {"subprotocols": good}, 404),
            ("/api/ws/liaison/astrology", {"subprotocols": good}, 404),
        ]
        for path, kw, status in cases:
            got, body = await refusal(s, path, **kw)
            assert got == status, (path, kw, got, body)
        c = await Client.connect(s, "/api/ws/guide", subprotocols=good, origin="https://app.example")
        assert (await c.recv())["type"] == "session_created"
        c2 = await Client.connect(s, "/api/ws/liaison/insights?session_token=" + s.token, subprotocols=None)
        assert c2.ws.subprotocol is None and (await c2.recv())["type"] == "session_created"
        c3 = await Client.connect(s, "/api/ws/guide", token=limited)
        assert (await c3.recv())["type"] == "session_created"
        text = s.log_text()
        assert "handshake_refused" in text
        for t in (s.token, limited):
            assert t not in text
        assert s.token not in s.core.metrics.text().decode()


@live()
async def test_without_the_denial_extension_a_refusal_is_a_close_before_accept() -> None:
    """An ASGI server without ``websocket.http.response`` turns this close into HTTP 403 (ASGI spec)."""
    async with Server() as s:
        sent: list[dict[str, Any]] = []
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        await inbox.put({"type": "websocket.connect"})

        async def send(m: Any) -> None:
            sent.append(dict(m))

        scope = {"type": "websocket", "path": "/api/ws/guide", "query_string": b"", "headers": [], "subprotocols": [], "extensions": {}}
        await WebSocketEndpoint(s.core)(scope, inbox.get, send)
        assert [m["type"] for m in sent] == ["websocket.close"]
        scope["extensions"] = {"websocket.http.response": {}}
        sent.clear()
        await inbox.put({"type": "websocket.connect"})
        await WebSocketEndpoint(s.core)(scope, inbox.get, send)
        assert [(m["type"], m.get("status")) for m in sent] == [("websocket.http.response.start", 401), ("websocket.http.response.body", None)]


@live()
async def test_per_user_limit_closes_the_extra_connection_with_4502() -> None:
    async with Server(max_connections_per_user=2) as s:
        t2, _ = s.validator.issue(user_id="dev-user")
        t3, _ = s.validator.issue(user_id="dev-user")
        a = await Client.connect(s)
        b = await Client.connect(s, token=t2)
        await a.recv()
        await b.recv()
        c = await Client.connect(s, token=t3)
        code, reason = await c.closed()
        assert code == 4502 and "limit 2" in reason
        await a.send({"type": "ping", "message_id": "still"})
        assert (await a.recv())["type"] == "pong"


@live()
async def test_a_newer_connection_of_the_same_session_and_endpoint_replaces_the_older_with_4505() -> None:
    async with Server() as s:
        a = await Client.connect(s)
        await a.recv()
        liaison = await Client.connect(s, "/api/ws/liaison/content")  # another endpoint: kept
        await liaison.recv()
        b = await Client.connect(s)
        await b.recv()
        code, _ = await a.closed()
        assert code == 4505
        await liaison.send({"type": "ping", "message_id": "l"})
        assert (await liaison.recv())["type"] == "pong"


@live()
async def test_an_expired_session_gets_session_expired_then_4003() -> None:
    async with Server() as s:
        token, info = s.validator.issue(user_id="brief", ttl_s=0.5)
        c = await Client.connect(s, token=token)
        await c.recv()
        m = await c.recv()
        assert (m["type"], m["session_id"], m["seq"]) == ("session_expired", info.session_id, 1)
        code, _ = await c.closed()
        assert code == 4003
        assert (await refusal(s, "/api/ws/guide", subprotocols=["wsgen.v1", f"wsgen.token.{token}"]))[0] == 401


@pytest.mark.parametrize("ws", ["websockets-sansio", "websockets"])
def test_both_uvicorn_websocket_implementations_send_http_refusals(ws: str) -> None:
    @live()
    async def run() -> None:
        async with Server(ws=ws) as s:
            assert (await refusal(s, "/api/ws/guide", subprotocols=["wsgen.v1", "wsgen.token.bad"]))[0] == 401
            assert (await refusal(s, "/api/ws/liaison/nope", subprotocols=["wsgen.v1", f"wsgen.token.{s.token}"]))[0] == 404
            c = await Client.connect(s)
            assert (await c.recv())["type"] == "session_created"

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UvicornDeprecationWarning)  # uvicorn deprecates its legacy "websockets" implementation
        warnings.simplefilter("ignore", DeprecationWarning)  # which runs on websockets.legacy
        run()


@live()
async def test_uvicorn_without_a_websocket_library_answers_every_upgrade_with_404() -> None:
    """What plain ``uvicorn`` (no ``[standard]`` extra) does: ``ws="none"`` is its setting when no library is found."""
    async with Server(ws="none") as s:
        assert (await refusal(s, "/api/ws/guide", subprotocols=["wsgen.v1", f"wsgen.token.{s.token}"]))[0] == 404


@live()
async def test_uvicorn_at_info_level_logs_the_query_string_token_and_the_subprotocol_token_never() -> None:
    """Why the README prefers the subprotocol, and why ``wsgen_runtime.serve`` runs uvicorn at warning level."""
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    async with Server(log_level="info") as s:
        logging.getLogger("uvicorn.error").addHandler(handler)
        try:
            by_query = await Client.connect(s, "/api/ws/guide?session_token=" + s.token, subprotocols=None)
            await by_query.recv()
            await by_query.close()
            assert any(s.token in line for line in lines)
            lines.clear()
            by_protocol = await Client.connect(s)
            await by_protocol.recv()
            assert any("WebSocket /api/ws/guide" in line for line in lines) and not any(s.token in line for line in lines)
        finally:
            logging.getLogger("uvicorn.error").removeHandler(handler)


@live()
async def test_permessage_deflate_is_off_although_the_client_offers_it() -> None:
    """uvicorn accepts permessage-deflate by default; ``uvicorn_config`` turns it off (PROTOCOL.md: off by default)."""
    async with Server() as s:
        c = await Client.connect(s)  # the websockets client offers permessage-deflate unless told not to
        await c.recv()
        assert c.ws.protocol.extensions == []


@live()
async def test_an_unknown_path_outside_the_apps_prefix_is_404_as_from_the_node_server() -> None:
    """``create_app`` answers every WebSocket path no endpoint has with 404, as ``createServer`` does."""
    async with Server() as s:
        good = ["wsgen.v1", f"wsgen.token.{s.token}"]
        for path in ("/nowhere", "/", "/api/wsx", "/ws/guide"):
            got, body = await refusal(s, path, subprotocols=good)
            assert got == 404, (path, got, body)
