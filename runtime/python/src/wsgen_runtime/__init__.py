"""wsgen's Python WebSocket runtime: a transport-agnostic server core, an ASGI transport for Starlette and
FastAPI, sessions with replay, limits, heartbeat, metrics and graceful shutdown, generic over a protocol
descriptor. The bundled app lives in :mod:`wsgen_runtime.app`."""

from .application import Application
from .asgi import AsgiSocket, WebSocketEndpoint
from .auth import SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, InMemorySessionValidator, token_protocols
from .core import Accepted, HandshakeRequest, Refused, ServerCore
from .descriptor import UNTAGGED_ROOT_CODE, FieldRoles, Issue, MessageSpec, Parsed, ProtocolDescriptor, TypeRoles, UntaggedRootError
from .dispatch import Handler, Request, Route, Shaper
from .limits import RateLimit
from .logs import JsonLogger, SilentLogger
from .options import Backpressure, FlushedStream, ServerOptions, Shutdown
from .registry import Audience
from .sessions import ReplayLimits
from .types import Endpoint, SessionAccepted, SessionInfo, SessionRefused, SessionValidator

__all__ = [
    "SUBPROTOCOL",
    "TOKEN_PROTOCOL_PREFIX",
    "UNTAGGED_ROOT_CODE",
    "Accepted",
    "Application",
    "AsgiSocket",
    "Audience",
    "Backpressure",
    "Endpoint",
    "FieldRoles",
    "FlushedStream",
    "Handler",
    "HandshakeRequest",
    "InMemorySessionValidator",
    "Issue",
    "JsonLogger",
    "MessageSpec",
    "Parsed",
    "ProtocolDescriptor",
    "RateLimit",
    "Refused",
    "ReplayLimits",
    "Request",
    "Route",
    "ServerCore",
    "ServerOptions",
    "SessionAccepted",
    "SessionInfo",
    "SessionRefused",
    "SessionValidator",
    "Shaper",
    "Shutdown",
    "SilentLogger",
    "TypeRoles",
    "UntaggedRootError",
    "WebSocketEndpoint",
    "token_protocols",
]
