"""Your own protocol on Starlette or FastAPI in one call, as Node's ``createServer({protocol, endpoints, handlers})``.

``create_server(protocol, endpoints=..., handlers=..., validator=...)`` builds the core (:class:`ServerCore`) with a
:class:`~wsgen_runtime.handlers.HandlerApplication` and gives its Starlette routes (the WebSocket endpoints, then
``GET /metrics`` and ``GET /healthz``, then the catch-all that answers an unknown WebSocket path with 404) and a
lifespan that shuts the core down gracefully. ``create_app(...)`` is the same as a Starlette application of its own.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec

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


_P = ParamSpec("_P")


def _as_application(make: Callable[_P, ProtocolServer]) -> Callable[_P, Starlette]:
    """A function taking exactly ``make``'s parameters (so a type checker checks every keyword of a call, and a
    misspelt one is a type error) that returns a Starlette application of the server ``make`` builds, the server
    at ``app.state.wsgen``. At run time an unknown or missing keyword raises TypeError naming ``create_app``."""
    signature = inspect.signature(make)

    names = list(signature.parameters)

    def create_app(*args: _P.args, **kwargs: _P.kwargs) -> Starlette:
        unknown = [k for k in kwargs if k not in signature.parameters]
        try:
            if unknown:
                near = difflib.get_close_matches(unknown[0], names, n=1)
                raise TypeError(f"got an unexpected keyword argument {unknown[0]!r}" + (f" (did you mean {near[0]!r}?)" if near else ""))
            signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"create_app(): {e}; its parameters are create_server's: {', '.join(names)}") from None
        server = make(*args, **kwargs)
        app = Starlette(routes=server.routes, lifespan=server.lifespan)
        app.state.wsgen = server
        return app

    create_app.__signature__ = signature.replace(return_annotation="Starlette")  # type: ignore[attr-defined]
    return create_app


create_app = _as_application(create_server)
create_app.__doc__ = """A Starlette application of :func:`create_server`'s routes and lifespan, taking exactly its parameters (typed: a
misspelt keyword is a type error under mypy, and a TypeError at run time); its :class:`ProtocolServer` is
``app.state.wsgen`` (``app.state.wsgen.core`` for :class:`~wsgen_runtime.serve.GracefulServer`)."""
