"""The handshake decision: an upgrade request is accepted or refused before any WebSocket exists.

Checked in order: shutting down (503), the path (404), the Origin (403), the token from the subprotocol list or
the query (401), the session validator (401), the endpoint permission (403), the client's schema version
(PROTOCOL.md "Versions": accepted and closed at once with 4504, or 400). RFC 6455 §4.2.2 lets a server refuse
an upgrade with any HTTP status.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .auth import SUBPROTOCOL, default_authorize, extract_token, origin_allowed
from .types import Endpoint, SessionInfo
from .versions import refuse_version

if TYPE_CHECKING:
    from .core import ServerCore


@dataclass(frozen=True, slots=True)
class HandshakeRequest:
    """The transport-neutral facts of an upgrade request. ``query`` is never logged."""

    path: str
    query: str = ""
    origin: str | None = None
    protocols: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Accepted:
    """A handshake that may proceed: the endpoint, the session, the token and the subprotocol to select."""

    endpoint: Endpoint
    session: SessionInfo
    token: str
    subprotocol: str | None


@dataclass(frozen=True, slots=True)
class Refused:
    """A handshake refused before the upgrade: 401 (token), 403 (origin, permission), 404 (path), 503 (shutting down).

    With ``close_code`` (the client's schema version, PROTOCOL.md "Versions"), the transport accepts the upgrade
    with ``subprotocol`` and closes at once with that code and ``reason``, so that a browser can read them
    (it sees a refused upgrade only as 1006); ``status`` (400) is for a transport that cannot.
    """

    status: int
    reason: str
    close_code: int | None = None
    subprotocol: str | None = None
    #: Seconds for the ``Retry-After`` header of a 503 (PROTOCOL.md "Connecting"), else None.
    retry_after: int | None = None


async def decide_handshake(core: ServerCore, req: HandshakeRequest) -> Accepted | Refused:
    """Decides ``req`` for ``core``: counts and logs (``handshake_refused``) every refusal; on acceptance the
    session store has prepared the session's streams (a shared store loads them)."""

    def refuse(status: int, reason: str) -> Refused:
        core.metrics.count_refused(status)
        core.logger.log("info", "handshake_refused", {"status": status, "reason": reason, "path": req.path})
        return Refused(status, reason, retry_after=core.retry_after if status == 503 else None)

    if core.closing:
        return refuse(503, "shutting down")
    endpoint = core.app.match(req.path)
    if endpoint is None:
        return refuse(404, "unknown endpoint")
    if not origin_allowed(req.origin, core.options.allowed_origins):
        return refuse(403, "origin not allowed")
    token = extract_token(req.protocols, req.query)
    if token is None:
        return refuse(401, "missing session token")
    try:
        v = core.validator.validate_session(token)
        result = (await v) if inspect.isawaitable(v) else v
    except Exception as err:
        core.logger.log(
            "error",
            "validator_failed",
            {"code": core.proto.error_code("INTERNAL_ERROR"), "error": type(err).__name__, "hint": "the session validator raised"},
        )
        return refuse(401, "session validation failed")
    if not result.ok:
        return refuse(401, result.reason)
    if core.closing:
        return refuse(503, "shutting down")
    authorize = core.options.authorize or default_authorize
    if not authorize(result.session, endpoint):
        return refuse(403, f"session may not use {endpoint.key}")
    subprotocol = SUBPROTOCOL if SUBPROTOCOL in req.protocols else None
    mismatch = refuse_version(core.proto, core.metrics, core.logger, req.protocols)
    if mismatch is not None:
        return Refused(400, mismatch[1], mismatch[0], subprotocol)
    await core.sessions.prepare(result.session, endpoint)
    return Accepted(endpoint, result.session, token, subprotocol)
