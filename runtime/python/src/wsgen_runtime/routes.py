"""Starlette and FastAPI glue: the WebSocket routes of a core, ``/metrics``, ``/healthz``, and a lifespan.

``websocket_routes(core, paths)`` gives Starlette routes whose endpoint is the raw
ASGI :class:`~wsgen_runtime.asgi.WebSocketEndpoint` (a class instance, so
Starlette hands it the raw scope: refusals can be real HTTP statuses).
Starlette answers a WebSocket path that no route matches by closing before the
accept (HTTP 403); add a catch-all path (``/api/ws/{rest:path}``) so that the
core refuses unknown paths under it with 404.
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


def websocket_routes(core: ServerCore, paths: Iterable[str]) -> list[BaseRoute]:
    """One Starlette ``WebSocketRoute`` per path template, all served by the core."""
    endpoint = WebSocketEndpoint(core)
    return [WebSocketRoute(p, endpoint) for p in paths]


def http_routes(core: ServerCore, metrics_path: str = "/metrics", health_path: str = "/healthz") -> list[BaseRoute]:
    """``GET /metrics`` (Prometheus text) and ``GET /healthz`` (JSON; 503 while shutting down)."""

    async def metrics(_: Request) -> Response:
        return Response(core.metrics.text(), media_type=CONTENT_TYPE)

    async def health(_: Request) -> Response:
        body = core.health()
        return JSONResponse(body, status_code=503 if core.closing else 200)

    return [Route(metrics_path, metrics, methods=["GET"]), Route(health_path, health, methods=["GET"])]


def lifespan(core: ServerCore) -> Any:
    """A lifespan that runs the core's graceful shutdown when the application stops.

    Note: uvicorn closes every WebSocket with 1012 (unjittered) before it runs the
    lifespan shutdown; for the jittered close, stop through
    :class:`wsgen_runtime.serve.GracefulServer`, which drains the core first.
    """

    @asynccontextmanager
    async def span(_: Any) -> AsyncIterator[None]:
        yield
        await core.close()

    return span
