"""FastAPI for the bundled app: ``create_router(core)`` and ``create_app(core)``.

Routes: ``/api/ws/guide``, ``/api/ws/liaison/{pillar}`` (a pillar outside the
generated ``PillarType`` is refused with 404 before the upgrade), a catch-all
``/api/ws/{rest:path}`` (404 instead of Starlette's 403), ``GET /metrics`` and
``GET /healthz``. ``create_app`` also answers a WebSocket path outside ``/api/ws/``
with 404, as the Node server does (``routes.NOT_FOUND_PATH``); the router, which
goes into an application of its own, leaves other paths to that application.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from ..core import ServerCore
from ..routes import http_routes, lifespan, websocket_routes
from .chat import GUIDE_PATH, LIAISON_PREFIX

#: The WebSocket path templates of the bundled app, most specific first.
WS_PATHS = (GUIDE_PATH, LIAISON_PREFIX + "{pillar}", "/api/ws/{rest:path}")


def create_router(core: ServerCore, *, metrics_path: str = "/metrics", health_path: str = "/healthz") -> APIRouter:
    """An APIRouter with the bundled app's WebSocket endpoints and the metrics and health routes."""
    router = APIRouter()
    router.routes.extend(websocket_routes(core, WS_PATHS, not_found=False))
    router.routes.extend(http_routes(core, metrics_path, health_path))
    return router


def create_app(core: ServerCore) -> FastAPI:
    """A FastAPI application serving the routes of :func:`create_router` with a lifespan that shuts the core down.

    The routes go on the application's own router rather than through ``include_router``: an included router
    adds its dispatch coroutines to every connection's call chain, and a suspended chain stays in memory for
    the connection's life (bench/run.py measured the RSS per idle connection).
    """
    app = FastAPI(lifespan=lifespan(core))
    app.router.routes.extend(websocket_routes(core, WS_PATHS))
    app.router.routes.extend(http_routes(core))
    return app
