"""Heartbeat: one timer for all connections, with protocol-level pings.

ASGI gives an application no way to send a WebSocket ping frame, so each tick
sends the protocol's ``ping`` message (no seq) to every connection that showed
a sign of life since the previous tick (any frame: a ``pong``, a ``ping``, a
request), and closes the others with HEARTBEAT_TIMEOUT (4002). Transport-level
ping frames are uvicorn's job (``ws_ping_interval``, ``ws_ping_timeout``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from .connection import Connection


class Heartbeat:
    """Drives protocol pings over a set of connections."""

    def __init__(
        self,
        interval_s: float,
        connections: Callable[[], Iterable[Connection]],
        ping: Callable[[Connection], None],
        on_stale: Callable[[Connection], None],
    ) -> None:
        self._interval = interval_s
        self._connections = connections
        self._ping = ping
        self._on_stale = on_stale
        self._handle: asyncio.TimerHandle | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Starts the timer (a no-op when the interval is 0 or it already runs)."""
        if self._handle is not None or self._interval <= 0:
            return
        self._handle = loop.call_later(self._interval, self._fire, loop)

    def _fire(self, loop: asyncio.AbstractEventLoop) -> None:
        self._handle = loop.call_later(self._interval, self._fire, loop)
        self.tick()

    def stop(self) -> None:
        """Stops the timer."""
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None

    def tick(self) -> None:
        """One round: close the silent, ping the others. Exposed for tests."""
        for c in list(self._connections()):
            if c.closed:
                continue
            if not c.alive:
                self._on_stale(c)
                continue
            c.alive = False
            self._ping(c)
