"""Graceful shutdown of a server core: refuse new upgrades, close every connection at a random moment within
the jitter window (so clients do not all reconnect at once), wait for the close handshakes (RFC 6455 §7.1.2)
until the deadline, terminate the rest, abort requests, flush and free the session buffers."""

from __future__ import annotations

import asyncio
import inspect
import random
import time
from typing import TYPE_CHECKING

from .connection import Connection
from .options import FlushedStream

if TYPE_CHECKING:
    from .core import ServerCore


class Draining:
    """The connections the server closed whose close handshake has not ended yet."""

    __slots__ = ("_all_gone", "_closing")

    def __init__(self) -> None:
        self._closing: set[Connection] = set()
        self._all_gone: asyncio.Event | None = None

    def closed_by_server(self, c: Connection) -> None:
        """The server closed ``c``: it counts until the transport reports its socket gone."""
        self._closing.add(c)

    def gone(self, c: Connection) -> None:
        """The transport finished with ``c``'s socket (close handshake ended, or lost)."""
        self._closing.discard(c)
        if not self._closing and self._all_gone is not None:
            self._all_gone.set()

    async def wait(self, timeout_s: float) -> None:
        """Waits until every closing socket is gone, at most ``timeout_s`` seconds."""
        if self._closing:
            self._all_gone = asyncio.Event()
            try:
                await asyncio.wait_for(self._all_gone.wait(), max(0.0, timeout_s))
            except TimeoutError:
                pass

    def terminate_rest(self, code: int) -> None:
        """Drops the socket of every connection still closing (the deadline passed)."""
        for c in list(self._closing):
            c.socket.terminate(code)
        self._closing.clear()


async def graceful_shutdown(core: ServerCore, draining: Draining) -> None:
    """Runs ``core``'s shutdown (``core.closing`` is already set): logs ``shutdown_started`` and
    ``shutdown_complete`` (with its duration in ms); ``on_flush`` and store-close errors are logged, not raised."""
    core.heartbeat.stop()
    core.stop_sweeper()
    sd = core.options.shutdown
    conns = core.registry.all()
    core.logger.log(
        "info",
        "shutdown_started",
        {"connections": len(conns), "code": sd.code, "jitter_ms": round(sd.jitter_s * 1000), "deadline_ms": round(sd.deadline_s * 1000)},
    )
    started = time.monotonic()
    reason = "server restarting" if sd.code == 1012 else "server going away"

    async def close_later(c: Connection) -> None:
        await asyncio.sleep(random.uniform(0, min(sd.jitter_s, sd.deadline_s)))
        c.close(sd.code, reason)

    await asyncio.gather(*(close_later(c) for c in conns))
    await draining.wait(sd.deadline_s - (time.monotonic() - started))
    draining.terminate_rest(sd.code)
    core.dispatcher.abort_all()
    if core.options.on_flush is not None:
        flushed = [FlushedStream(s.owner.info.session_id, s.endpoint.key, s.epoch, s.seq, s.snapshot()) for s in core.sessions.streams()]
        try:
            r = core.options.on_flush(flushed)
            if inspect.isawaitable(r):
                await r
        except Exception as err:
            core.logger.log(
                "error",
                "flush_failed",
                {
                    "code": core.proto.error_code("INTERNAL_ERROR"),
                    "error": repr(err),
                    "hint": "the on_flush option raised: the flushed streams may not be saved",
                },
            )
    try:
        await core.sessions.aclose()
    except Exception as err:
        core.logger.log(
            "error",
            "store_close_failed",
            {"code": core.proto.error_code("INTERNAL_ERROR"), "error": repr(err), "hint": "the session store did not close cleanly"},
        )
    core.sessions.clear()
    core.logger.log("info", "shutdown_complete", {"ms": round((time.monotonic() - started) * 1000)})
