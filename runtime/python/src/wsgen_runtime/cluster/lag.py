"""A stalled event loop is not a Redis outage: the command timeouts are pushed back by the time the loop stood still.

A command's timeout (redis-py's ``socket_timeout``, ``RedisOptions.timeout_s``) is a timer of the node's event loop.
When the loop itself stalls (a burst of handshakes and replays on a loaded machine: 1.5 s measured on the shared
2-core machine at load 20 during a 100-client failover), Redis' reply may sit in the socket's buffer while the timer
comes due: asyncio then runs the timer before the task that would read the reply, and the command fails with
``TimeoutError``, which counts as Redis being unavailable although Redis answered at once.

:class:`LagGuard` ticks every ``TICK_S`` with a plain loop callback (not a task, so it runs in the same loop
iteration as the timers that came due with it, in deadline order: before a read deadline that fell due later than
the tick). A tick that comes late by ``lag`` seconds pushes every pending read deadline of the node's connections
back by ``lag``: what counts against ``timeout_s`` is the time the loop was able to read. A Redis that does not
answer (stopped, unreachable) is still detected in ``timeout_s`` of a responsive loop. It uses the read deadline
redis-py 8.1 keeps on each connection for its own relaxed timeouts (``_active_read_timeout``, an
:class:`asyncio.Timeout`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from typing import Any

#: How often the guard ticks, in seconds.
TICK_S = 0.05
#: A tick later than this, in seconds, counts as a stall (scheduling noise below it is ignored).
STALL_S = 0.02


class LagGuard:
    """Pushes back the pending read deadlines of ``connections()`` by each stall of the event loop (see the module doc).

    ``connections``: the connections in use now (they are the only ones with a pending read). ``stalls``: stalls seen
    (count); ``stalled_s``: their total length, in seconds."""

    __slots__ = ("_connections", "_handle", "_loop", "_next", "stalled_s", "stalls")

    def __init__(self, connections: Callable[[], Iterable[Any]]) -> None:
        self._connections = connections
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next = 0.0
        self.stalls = 0
        self.stalled_s = 0.0

    def start(self) -> None:
        """Starts ticking on the running loop (idempotent)."""
        if self._handle is None:
            self._loop = asyncio.get_running_loop()
            self._schedule()

    def stop(self) -> None:
        """Stops ticking."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _schedule(self) -> None:
        assert self._loop is not None
        self._next = self._loop.time() + TICK_S
        self._handle = self._loop.call_at(self._next, self._tick)

    def _tick(self) -> None:
        assert self._loop is not None
        lag = self._loop.time() - self._next
        if lag > STALL_S:
            self.stalls += 1
            self.stalled_s += lag
            for conn in self._connections():
                deadline: Any = getattr(conn, "_active_read_timeout", None)
                when = None if deadline is None else deadline.when()
                if when is not None and not deadline.expired():
                    with contextlib.suppress(RuntimeError):  # the read ended meanwhile (its context left)
                        deadline.reschedule(when + lag)
        self._schedule()
