"""Shared types of the server runtime: sessions, endpoints, the transport socket and the logger.

No message shapes live here: those come from the protocol descriptor, and the
names of one protocol (agents, pillars, realms) from the application layer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What a session validator learns about a valid token.

    ``attributes`` are the isolation keys of the session (the bundled app puts
    its ``realm`` there): a fan-out reaches a connection only when the tenant and
    every attribute the audience names are equal. ``expires_at`` is in epoch
    seconds (``time.time()``); None means the session does not expire.
    """

    session_id: str
    user_id: str
    tenant: str
    permissions: tuple[str, ...] = ("*",)
    attributes: Mapping[str, str] = field(default_factory=dict)
    expires_at: float | None = None


@dataclass(frozen=True, slots=True)
class SessionAccepted:
    """A valid token's session."""

    session: SessionInfo
    ok: Literal[True] = True


@dataclass(frozen=True, slots=True)
class SessionRefused:
    """A refused token, with a reason that never contains the token."""

    reason: str
    ok: Literal[False] = False


#: The answer of a session validator.
SessionValidation = SessionAccepted | SessionRefused


class SessionValidator(Protocol):
    """Pluggable session validation (the seed's "Traffic Cop"): a token in, a session or a refusal out."""

    def validate_session(self, token: str) -> SessionValidation | Awaitable[SessionValidation]:
        """Validates a token (may be async: a database or a remote call). Must not log the token."""
        ...


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One WebSocket endpoint of an application.

    ``key`` names its stream within a session (``guide``, ``liaison:content``);
    ``params`` are its path parameters: a client message carrying a field of the
    same name with another value is refused with FORBIDDEN; ``fields`` are
    copied into the ``session_created`` of its connections; ``label`` is the
    metrics label of its handler.
    """

    key: str
    path: str
    params: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""


class TransportSocket(Protocol):
    """What the core needs from one accepted WebSocket (the ASGI adapter implements it)."""

    def send(self, text: str) -> None:
        """Queues one text frame; never raises once the socket is closing."""
        ...

    def close(self, code: int, reason: str) -> None:
        """Sends what is queued, then a close frame with ``code`` and a reason of at most 123 bytes."""
        ...

    def terminate(self, code: int) -> None:
        """Drops what is queued and closes at once (ASGI cannot drop a TCP connection without a close frame)."""
        ...

    @property
    def buffered_amount(self) -> int:
        """UTF-8 bytes queued but not yet handed to the server."""
        ...


#: Log levels, lowest first.
LogLevel = Literal["debug", "info", "warn", "error"]


class Logger(Protocol):
    """A structured logger: one event name plus fields per line. Never pass a token in the fields."""

    def log(self, level: LogLevel, event: str, fields: Mapping[str, Any] | None = None) -> None:
        """Writes one structured log line."""
        ...
