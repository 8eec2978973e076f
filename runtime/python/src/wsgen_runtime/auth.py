"""Handshake helpers: token extraction, the Origin allow-list, endpoint authorization and a dev session validator.

Everything here runs before the WebSocket is accepted, so a refusal can be an
HTTP status (401, 403, 404) where the ASGI server supports the WebSocket Denial
Response extension (see asgi.py).
"""

from __future__ import annotations

import hmac
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qs

from .types import Endpoint, SessionAccepted, SessionInfo, SessionRefused, SessionValidation

#: The subprotocol the server selects when a client offers it.
SUBPROTOCOL = "wsgen.v1"
#: Prefix of the subprotocol entry carrying the session token: ``wsgen.token.<token>``.
TOKEN_PROTOCOL_PREFIX = "wsgen.token."


def token_protocols(token: str) -> list[str]:
    """The subprotocols a client offers: the server selects ``wsgen.v1`` and never echoes the token entry."""
    return [SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX + token]


def parse_protocols(header: str | None) -> list[str]:
    """The entries of a ``Sec-WebSocket-Protocol`` header (RFC 6455 section 4.1: comma-separated tokens)."""
    if not header:
        return []
    return [p.strip() for p in header.split(",") if p.strip()]


def extract_token(protocols: Iterable[str], query: str) -> str | None:
    """The session token from ``wsgen.token.<t>`` in the offered subprotocols, else the ``session_token`` query parameter."""
    for p in protocols:
        if p.startswith(TOKEN_PROTOCOL_PREFIX) and len(p) > len(TOKEN_PROTOCOL_PREFIX):
            return p[len(TOKEN_PROTOCOL_PREFIX) :]
    if query:
        values = parse_qs(query, keep_blank_values=False).get("session_token")
        if values and values[0]:
            return values[0]
    return None


def origin_allowed(origin: str | None, allow_list: Iterable[str] | None) -> bool:
    """Whether ``origin`` may connect: always without an allow-list, or without an Origin header (non-browsers)."""
    if allow_list is None or origin is None:
        return True
    allowed = list(allow_list)
    return not allowed or origin in allowed


def default_authorize(session: SessionInfo, endpoint: Endpoint) -> bool:
    """The session needs ``*``, the endpoint key, or ``<kind>:*`` for the kind before the key's colon."""
    p = session.permissions
    if "*" in p or endpoint.key in p:
        return True
    kind, sep, _ = endpoint.key.partition(":")
    return bool(sep) and f"{kind}:*" in p


def safe_equal(a: str, b: str) -> bool:
    """Constant-time string equality (for comparing tokens)."""
    return hmac.compare_digest(a.encode(), b.encode())


class InMemorySessionValidator:
    """A session validator for development and tests: ``issue()`` mints a token, ``revoke()`` forgets it."""

    def __init__(self) -> None:
        self._sessions: dict[str, SessionInfo] = {}

    def issue(
        self,
        *,
        user_id: str = "dev-user",
        tenant: str = "dev-tenant",
        attributes: Mapping[str, str] | None = None,
        permissions: Iterable[str] = ("*",),
        ttl_s: float | None = None,
        session_id: str | None = None,
        token: str | None = None,
    ) -> tuple[str, SessionInfo]:
        """Mints a token (32 random bytes, base64url, unless given) for a new session; returns both."""
        t = token if token is not None else secrets.token_urlsafe(32)
        info = SessionInfo(
            session_id=session_id or str(uuid.uuid4()),
            user_id=user_id,
            tenant=tenant,
            permissions=tuple(permissions),
            attributes=dict(attributes or {}),
            expires_at=None if ttl_s is None else time.time() + ttl_s,
        )
        self._sessions[t] = info
        return t, info

    def revoke(self, token: str) -> None:
        """Forgets a token."""
        self._sessions.pop(token, None)

    def validate_session(self, token: str) -> SessionValidation:
        """A known, unexpired token's session; otherwise a refusal."""
        s = self._sessions.get(token)
        if s is None:
            return SessionRefused("unknown token")
        if s.expires_at is not None and s.expires_at <= time.time():
            return SessionRefused("session expired")
        return SessionAccepted(s)
