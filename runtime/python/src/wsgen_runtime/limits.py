"""Per-connection limits: a synchronous token bucket, and close-reason truncation (RFC 6455 section 5.5)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Inbound frames per connection: ``capacity`` (burst), ``refill_per_second``, and ``close_after``
    consecutive refusals after which the connection is closed with RATE_LIMIT_EXCEEDED (4503)."""

    capacity: float = 50
    refill_per_second: float = 20
    close_after: int = 20


class TokenBucket:
    """A token bucket: ``take(now)`` spends one token if there is one. O(1), no timers, no allocation."""

    __slots__ = ("_capacity", "_last", "_per_s", "_tokens")

    def __init__(self, capacity: float, refill_per_second: float, now: float) -> None:
        self._capacity = capacity
        self._per_s = refill_per_second
        self._tokens = capacity
        self._last = now

    def take(self, now: float) -> bool:
        """Spends one token (``now`` in seconds, monotonic); False when the bucket is empty."""
        elapsed = now - self._last
        if elapsed > 0:
            self._tokens = min(self._capacity, self._tokens + elapsed * self._per_s)
            self._last = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


#: RFC 6455 section 5.5: a control frame's payload is at most 125 bytes, 2 of them the code.
MAX_CLOSE_REASON_BYTES = 123


def truncate_close_reason(reason: str) -> str:
    """``reason`` cut to 123 UTF-8 bytes without splitting a character."""
    raw = reason.encode()
    if len(raw) <= MAX_CLOSE_REASON_BYTES:
        return reason
    return raw[:MAX_CLOSE_REASON_BYTES].decode("utf-8", errors="ignore")
