"""The options of :class:`~wsgen_runtime.client.client.WsgenClient`."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..types import Logger
from .queue import QueueLimits
from .retry import BackoffOptions


@dataclass(frozen=True, slots=True)
class ClientOptions:
    """Reconnect backoff, the offline queue, heartbeat (``heartbeat_interval_s``, 0 disables; ``pong_timeout_s``),
    the request deadlines (``request_timeout_s``: the longest wait for a request's first answer, and for
    :meth:`WsgenClient.request` its whole reply; ``stream_idle_timeout_s``: the longest wait between a stream's
    messages; both 30 s as the TS client's request timeout and stream idle limit, raising
    :class:`RequestTimeoutError`), the largest inbound frame, the tags whose messages are stream chunks
    (a message with a request's correlation id and another tag ends the request; None: the protocol's
    ``stream-chunk`` role, docs/roles.md), ``validate_outbound`` (on: :meth:`WsgenClient.send` raises
    :class:`InvalidMessageError` for a message the protocol refuses or a type only the server sends), and
    ``failover_urls``: after a failed or lost connection each reconnect dials the next URL of
    ``[url, *failover_urls]`` in turn (the nodes of one Redis: a client of a dead node resumes on another),
    staying on a URL while it works. ``logger`` gets the client's log lines (default: JSON lines on stderr at
    ``warn``): an inbound frame the protocol refuses is not delivered and logged as ``invalid_frame`` with
    ``code`` ``INVALID_FRAME`` (the TS client's code), its issues and a preview."""

    backoff: BackoffOptions = field(default_factory=BackoffOptions)
    queue: QueueLimits = field(default_factory=QueueLimits)
    heartbeat_interval_s: float = 30.0
    pong_timeout_s: float = 10.0
    request_timeout_s: float = 30.0
    stream_idle_timeout_s: float = 30.0
    max_size: int = 1024 * 1024
    chunk_types: frozenset[str] | None = None
    validate_outbound: bool = True
    failover_urls: tuple[str, ...] = ()
    logger: Logger | None = None
