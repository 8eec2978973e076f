"""Your own protocol on Starlette or FastAPI in one call, as Node's ``createServer({protocol, endpoints, handlers})``.

``create_server(protocol, endpoints=..., handlers=..., validator=...)`` builds the core (:class:`ServerCore`) with a
:class:`~wsgen_runtime.handlers.HandlerApplication` and gives its Starlette routes (the WebSocket endpoints, then
``GET /metrics`` and ``GET /healthz``, then the catch-all that answers an unknown WebSocket path with 404) and a
lifespan that shuts the core down gracefully. ``create_app(...)`` is the same as a Starlette application of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from .core import ServerCore
from .descriptor import ProtocolDescriptor
from .dispatch import Request
from .endpoints import EndpointSpec, expand_endpoints
from .generated import from_generated
from .handlers import Decorate, HandlerApplication
from .options import ServerOptions
from .routes import http_routes, lifespan, websocket_routes
from .types import Endpoint, SessionInfo, SessionValidator


class ProtocolServer:
    """What :func:`create_server` built: ``core`` (publish, health, ``close()``), ``endpoints`` (concrete path →
    :class:`Endpoint`), ``routes`` (Starlette routes to put on an application's router, after its own WebSocket
    routes: the last one answers every other WebSocket path with 404) and ``lifespan`` (for
    ``FastAPI(lifespan=...)``: the core's graceful shutdown when the application stops)."""

    __slots__ = ("core", "endpoints", "lifespan", "routes")

    def __init__(self, core: ServerCore, endpoints: Mapping[str, Endpoint], routes: list[BaseRoute]) -> None:
        self.core = core
        self.endpoints = endpoints
        self.routes = routes
        self.lifespan = lifespan(core)


def _descriptor(protocol: Any, timestamp_field: str | None, error_aliases: Mapping[str, str] | None) -> ProtocolDescriptor:
    """The runtime descriptor: ``protocol`` itself when it is one, else through :func:`from_generated`."""
    if isinstance(protocol, ProtocolDescriptor):
        return protocol
    return from_generated(protocol, timestamp_field=timestamp_field, error_aliases=error_aliases)


def create_server(
    protocol: Any,
    *,
    endpoints: Mapping[str, EndpointSpec],
    handlers: Mapping[str, Callable[[Request], Any]],
    validator: SessionValidator,
    options: ServerOptions | None = None,
    decorate: Decorate | None = None,
    session_fields: Callable[[SessionInfo], Mapping[str, Any]] | None = None,
    timestamp_field: str | None = None,
    error_aliases: Mapping[str, str] | None = None,
    enums: Mapping[str, Sequence[Any]] | None = None,
    metrics_path: str | None = "/metrics",
    health_path: str | None = "/healthz",
) -> ProtocolServer:
    """Serves ``protocol`` with handlers per client message type.

    ``protocol``: the generated ``<package>.protocol.PROTOCOL`` (or a runtime
    :class:`~wsgen_runtime.descriptor.ProtocolDescriptor`). ``endpoints``: by name, a path (``"/ws"``) or
    ``{"path": "/boards/{format}", "params": {"format": "ExportFormat"}, "fields": {...}}``, a parameter ranging
    over an enum of the schema by name (``enums``: the protocol's, by default) or a list of values
    (:func:`~wsgen_runtime.endpoints.expand_endpoints`). ``handlers``: by client message type, each a function of
    the :class:`Request`, sync or async (what it may return: :mod:`wsgen_runtime.handlers`); a type without a
    handler is answered UNSUPPORTED_TYPE. ``validator``: ``validate_session(token)``. ``options``:
    :class:`ServerOptions`. ``decorate(msg, req)``: adds the application's fields to each stream chunk and end;
    ``session_fields(session)``: fields every session-level message of a session carries. ``timestamp_field``
    and ``error_aliases`` go to :func:`from_generated`. ``metrics_path`` / ``health_path``: None leaves the route out.

    Raises :class:`~wsgen_runtime.endpoints.ConfigError` (code ``WSGEN_CONFIG``, ``where``, ``hint``) for endpoints
    or handlers that cannot work with the protocol. A protocol without the resume capability (the session roles and a sequence
    field role, docs/roles.md; a sequence field alone is not enough) is served without seq, replay buffer or resume,
    as by Node; ValueError when it is paired with a shared ``session_store``.
    """
    proto = _descriptor(protocol, timestamp_field, error_aliases)
    concrete = expand_endpoints(endpoints, enums if enums is not None else getattr(protocol, "enums", {}))
    app = HandlerApplication(proto, concrete, handlers, decorate=decorate, session_fields=session_fields)
    core = ServerCore(proto, app, validator, options)
    pair = http_routes(core, metrics_path or "/metrics", health_path or "/healthz")
    kept = [r for r, p in zip(pair, (metrics_path, health_path), strict=True) if p is not None]
    ws = websocket_routes(core, list(concrete))
    return ProtocolServer(core, concrete, [*ws[:-1], *kept, ws[-1]])


def create_app(protocol: Any, **options: Any) -> Starlette:
    """A Starlette application of :func:`create_server`'s routes and lifespan (the same keyword arguments); its
    :class:`ProtocolServer` is ``app.state.wsgen`` (``app.state.wsgen.core`` for :class:`~wsgen_runtime.serve.GracefulServer`)."""
    server = create_server(protocol, **options)
    app = Starlette(routes=server.routes, lifespan=server.lifespan)
    app.state.wsgen = server
    return app
