"""What a server core needs from the application on top of it: endpoints, their routes, and session fields.

The bundled app (``wsgen_runtime.app``) implements it for the guide and liaison
endpoints; another protocol's app implements the same three methods. An application may also define
``refuse(message, endpoint) -> tuple[str, str] | None`` (optional, read once by the pipeline): a refusal
``(standard error name, text)`` of a valid message a handler would serve, sent as that connection-level error
reply after the runtime's own checks (the bundled app: a ``pillar`` on the guide, which has none, is
``FORBIDDEN``, as the Node chat app's handler refuses it); None lets it through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .dispatch import Route
from .types import Endpoint, SessionInfo


class Application(Protocol):
    """Endpoints, handlers and per-session wire fields of one application."""

    def match(self, path: str) -> Endpoint | None:
        """The endpoint of a request path (no query string), or None: refused with 404."""
        ...

    def route(self, endpoint: Endpoint) -> Route | None:
        """The handler and shaper serving an endpoint, or None (requests get HANDLER_UNAVAILABLE)."""
        ...

    def session_fields(self, session: SessionInfo) -> Mapping[str, Any]:
        """Fields every session-level message of this session carries (the bundled app: its realm)."""
        ...
