"""Starlette and FastAPI glue: the WebSocket routes of a core, ``/metrics``, ``/healthz``, and a lifespan.

``websocket_routes(core, paths)`` gives Starlette routes whose endpoint is the raw
ASGI :class:`~wsgen_runtime.asgi.WebSocketEndpoint` (a class instance, so
Starlette hands it the raw scope: refusals can be real HTTP statuses).
Starlette answers a WebSocket path that no route matches by closing before the
accept, which ASGI servers send as HTTP 403; the Node server answers an unknown
path with 404 (RFC 9110 §15.5.5: no such resource). So ``websocket_routes`` ends
with a catch-all route (``/{path:path}``) served by the core, whose handshake
refuses a path no endpoint matches with 404, as Node's does. Mount these routes
after the application's own WebSocket routes (the catch-all answers every
WebSocket path left), or pass ``not_found=False`` to leave unknown paths to
Starlette.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from .asgi import WebSocketEndpoint
from .core import ServerCore
from .metrics import CONTENT_TYPE

#: The catch-all WebSocket path: every path no earlier route matched, refused by the core with 404.
NOT_FOUND_PATH = "/{path:path}"


def websocket_routes(core: ServerCore, paths: Iterable[str], not_found: bool = True) -> list[BaseRoute]:
    """One Starlette ``WebSocketRoute`` per path template, all served by the core, then (``not_found``) the
    catch-all :data:`NOT_FOUND_PATH`, so that an unknown path gets 404 as from the Node server (module docstring)."""
    endpoint = WebSocketEndpoint(core)
    return [WebSocketRoute(p, endpoint) for p in [*paths, *([NOT_FOUND_PATH] if not_found else [])]]


def http_routes(core: ServerCore, metrics_path: str = "/metrics", health_path: str = "/healthz") -> list[BaseRoute]:
    """``GET /metrics`` (Prometheus text) and ``GET /healthz`` (JSON, :meth:`ServerCore.health`; 503 with
    ``Retry-After`` while shutting down, as the Node server)."""

    async def metrics(_: Request) -> Response:
        return Response(core.metrics.text(), media_type=CONTENT_TYPE)

    async def health(_: Request) -> Response:
        body = core.health()
        if core.closing:
            return JSONResponse(body, status_code=503, headers={"retry-after": str(core.retry_after), "connection": "close"})
        return JSONResponse(body)

    return [Route(metrics_path, metrics, methods=["GET"]), Route(health_path, health, methods=["GET"])]


def lifespan(core: ServerCore) -> Any:
    """A lifespan that starts the core when the application starts (:meth:`ServerCore.ready`: with a shared
    session store, the node is subscribed and announced before it takes a connection) and runs the core's
    graceful shutdown when the application stops.

    Note: uvicorn closes every WebSocket with 1012 (unjittered) before it runs the
    lifespan shutdown; for the jittered close, stop through
    :class:`wsgen_runtime.serve.GracefulServer`, which drains the core first.
    """

    @asynccontextmanager
    async def span(_: Any) -> AsyncIterator[None]:
        await core.ready()
        yield
        await core.close()

    return span
