"""Server options and their defaults (the same defaults as runtime/server's options.ts)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .limits import RateLimit
from .sessions import ReplayLimits, SessionStore
from .types import Endpoint, Logger, SessionInfo


@dataclass(frozen=True, slots=True)
class Backpressure:
    """Send-buffer budgets in bytes: over ``soft_bytes`` low-priority messages are dropped; over ``hard_bytes``
    the connection is closed with SLOW_CONSUMER (4001, retryable)."""

    soft_bytes: int = 256 * 1024
    hard_bytes: int = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Shutdown:
    """Graceful shutdown: close code (1012 restart or 1001 going away), closes spread uniformly over
    ``jitter_s``, connections still open after ``deadline_s`` are closed at once."""

    code: Literal[1001, 1012] = 1012
    jitter_s: float = 1.0
    deadline_s: float = 5.0


@dataclass(frozen=True, slots=True)
class FlushedStream:
    """One stream's buffer handed to ``on_flush`` at shutdown."""

    session_id: str
    endpoint: str
    epoch: str
    seq: int
    messages: list[str]


def validate_outbound_by_default(env: Mapping[str, str]) -> bool:
    """The default of ``ServerOptions.validate_outbound``, the same rule as the Node server's ``validateOutbound``:
    on unless ``NODE_ENV`` or ``WSGEN_ENV`` is ``production`` in ``env`` (read when the options are built)."""
    return env.get("NODE_ENV") != "production" and env.get("WSGEN_ENV") != "production"


@dataclass(slots=True)
class ServerOptions:
    """Options of :class:`wsgen_runtime.core.ServerCore` (every field has a default).

    Times are in seconds, sizes in bytes. ``max_payload`` (64 KiB) is checked in
    code on every frame; pass it to uvicorn as ``ws_max_size`` too (its default is
    16 MiB), so that bigger frames are refused by the WebSocket library with 1009
    before they are read into memory.
    """

    allowed_origins: Sequence[str] | None = None
    authorize: Callable[[SessionInfo, Endpoint], bool] | None = None
    max_payload: int = 64 * 1024
    rate_limit: RateLimit | None = field(default_factory=RateLimit)
    max_connections_per_user: int = 16
    heartbeat_interval_s: float = 30.0
    handler_timeout_s: float = 30.0
    max_in_flight: int = 16
    replay: ReplayLimits = field(default_factory=ReplayLimits)
    detached_ttl_s: float = 120.0
    resume_wait_s: float = 5.0
    backpressure: Backpressure = field(default_factory=Backpressure)
    shutdown: Shutdown = field(default_factory=Shutdown)
    #: None: :class:`~wsgen_runtime.logs.StdlibLogger` (the ``wsgen`` logger of :mod:`logging`: warnings and errors on
    #: stderr when logging is not configured); ``SilentLogger()`` drops everything, ``JsonLogger()`` writes JSON lines.
    logger: Logger | None = None
    validate_outbound: bool = field(default_factory=lambda: validate_outbound_by_default(os.environ))
    expose_errors: bool = False
    metrics_prefix: str = "wsgen_"
    on_flush: Callable[[list[FlushedStream]], Awaitable[None] | None] | None = None
    #: Builds the session store from SessionStore's keyword arguments; None: in memory (one process).
    #: ``RedisStore(...).factory`` shares sessions, replay, presence and fan-out between nodes.
    session_store: Callable[..., SessionStore] | None = None
