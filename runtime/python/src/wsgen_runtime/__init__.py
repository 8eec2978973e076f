"""wsgen's Python WebSocket runtime: a transport-agnostic server core, an ASGI transport for Starlette and
FastAPI, sessions with replay, limits, heartbeat, metrics and graceful shutdown, generic over a protocol
descriptor. Your own protocol in one call: :func:`create_server` / :func:`create_app` (handlers per message
type, as Node's ``createServer``). The bundled app lives in :mod:`wsgen_runtime.app`."""

from .application import Application
from .asgi import AsgiSocket, WebSocketEndpoint
from .auth import SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, InMemorySessionValidator, token_protocols
from .core import Accepted, HandshakeRequest, Refused, ServerCore
from .descriptor import UNTAGGED_ROOT_CODE, FieldRoles, Issue, MessageSpec, Parsed, ProtocolDescriptor, TypeRoles, UntaggedRootError
from .dispatch import Handler, Request, Route, Shaper, StreamReply
from .endpoints import ConfigError
from .handlers import stream
from .limits import RateLimit
from .logs import JsonLogger, SilentLogger, StdlibLogger
from .options import Backpressure, FlushedStream, ServerOptions, Shutdown
from .registry import Audience
from .server_app import ProtocolServer, create_app, create_server
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
    "ConfigError",
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
    "ProtocolServer",
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
    "StdlibLogger",
    "StreamReply",
    "TypeRoles",
    "UntaggedRootError",
    "WebSocketEndpoint",
    "create_app",
    "create_server",
    "stream",
    "token_protocols",
]
