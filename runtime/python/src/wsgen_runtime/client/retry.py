"""Reconnect policy: the close-code table of PROTOCOL.md ("Close codes") and full-jitter backoff.

| code | decision |
|---|---|
| 1000 | stop if this client closed; retry if the server did (the app still wants the connection) |
| 1001, 1005, 1006, 1011-1014 | retry |
| 1002-1004, 1007-1010, 1015, other 1016-2999 | stop |
| 3000-3999 | retry |
| 4000-4499 (retryable range) | retry |
| 4500 UNAUTHORIZED | stop, auth |
| 4504 PROTOCOL_MISMATCH | stop, protocol |
| other 4500-4999 (terminal range) | stop |

Failures that are not close events (a refused TCP connection, DNS) are retryable; an HTTP 401 or 403 at the
upgrade is not (auth). Backoff: ``random(0, min(max, base * 2^attempt))``, full jitter after the cap
(the lessons table: socket.io jitters before the cap, so every client waits the maximum).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

#: The category of a close: selects what the client surfaces when it stops.
CloseKind = Literal["normal", "transient", "terminal", "auth", "protocol"]

_RETRY = frozenset({1001, 1005, 1006, 1011, 1012, 1013, 1014})


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """Whether to reconnect, the kind of close, and why."""

    retry: bool
    kind: CloseKind
    reason: str


def decide_retry(code: int, client_initiated: bool = False) -> RetryDecision:
    """The decision for close code ``code`` (see the module's table)."""
    if code == 1000:
        return RetryDecision(not client_initiated, "normal", "normal closure")
    if code in _RETRY:
        return RetryDecision(True, "transient", f"standard code {code}")
    if 3000 <= code <= 3999:
        return RetryDecision(True, "transient", "library code")
    if 4000 <= code <= 4499:
        return RetryDecision(True, "transient", "retryable application code")
    if code == 4500:
        return RetryDecision(False, "auth", "token refused")
    if code == 4504:
        return RetryDecision(False, "protocol", "protocol mismatch")
    if 4500 <= code <= 4999:
        return RetryDecision(False, "terminal", "terminal application code")
    return RetryDecision(False, "terminal", f"standard code {code}")


@dataclass(frozen=True, slots=True)
class BackoffOptions:
    """Backoff bounds in seconds; the attempt counter resets once a connection stayed open ``reset_after_s``."""

    min_delay_s: float = 0.5
    max_delay_s: float = 30.0
    reset_after_s: float = 5.0


def full_jitter_delay(attempt: int, o: BackoffOptions, rand: Callable[[], float] = random.random) -> float:
    """``rand() * min(max, min_delay * 2^attempt)`` seconds."""
    ceiling: float = min(o.max_delay_s, o.min_delay_s * 2.0 ** min(attempt, 52))
    return rand() * ceiling
