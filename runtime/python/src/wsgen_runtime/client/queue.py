"""The outbound queue of a disconnected client: bounded by count and UTF-8 bytes, with a TTL; pings are never queued."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QueueLimits:
    """At most ``max_messages`` and ``max_bytes`` queued; a message older than ``ttl_s`` is dropped, not sent."""

    max_messages: int = 100
    max_bytes: int = 1024 * 1024
    ttl_s: float = 60.0


class SendQueue:
    """FIFO of serialized messages waiting for a connection."""

    def __init__(self, limits: QueueLimits) -> None:
        self._limits = limits
        self._items: deque[tuple[str, int, float]] = deque()
        self._bytes = 0
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._items)

    def push(self, text: str) -> bool:
        """Queues ``text``; False (and counted as dropped) when it would exceed a bound."""
        size = len(text.encode())
        lim = self._limits
        if len(self._items) >= lim.max_messages or self._bytes + size > lim.max_bytes:
            self.dropped += 1
            return False
        self._items.append((text, size, time.monotonic()))
        self._bytes += size
        return True

    def drain(self) -> list[str]:
        """Every queued text still within its TTL, oldest first (the expired ones count as dropped)."""
        oldest = time.monotonic() - self._limits.ttl_s
        out: list[str] = []
        for text, _, at in self._items:
            if at < oldest:
                self.dropped += 1
            else:
                out.append(text)
        self._items.clear()
        self._bytes = 0
        return out
