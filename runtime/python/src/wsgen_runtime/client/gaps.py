"""Seq gaps the client sees itself, as the TS client's ``session.ts`` does (PROTOCOL.md "Session resume").

Numbered messages of one epoch are consecutive (connection-level replies carry no seq; low-priority messages
are dropped before they take one), so a seq above ``last + 1`` means lost messages, unless the server's
RECOVERY_FAILED of this connection announced exactly that range. The client then reports the range in
``recovery_failures`` with ``reason`` ``gap_detected`` (the TS client's ``RecoveryFailedError`` reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The reason of a jump no RECOVERY_FAILED announced (the TS client's ``gap_detected``).
GAP_DETECTED = "gap_detected"


class GapWatch:
    """The seq range the last RECOVERY_FAILED of the current connection announced as lost, and the jump check."""

    __slots__ = ("_announced",)

    def __init__(self) -> None:
        self._announced: tuple[int, int] | None = None

    def connected(self) -> None:
        """A new connection: an announcement holds only on the connection that carried it."""
        self._announced = None

    def announced(self, details: Mapping[str, Any]) -> None:
        """Records the ``{first_missing, last_missing}`` of a RECOVERY_FAILED (nothing when they are not integers)."""
        first, last = details.get("first_missing"), details.get("last_missing")
        if isinstance(first, int) and isinstance(last, int):
            self._announced = (first, last)

    def jump(self, last_seq: int, seq: int) -> dict[str, Any] | None:
        """The report of an unannounced gap between ``last_seq`` and ``seq`` (``seq > last_seq``), or None."""
        if seq == last_seq + 1:
            return None
        first, last = last_seq + 1, seq - 1
        a = self._announced
        if a is not None and a[0] <= first and a[1] >= last:
            return None
        return {"first_missing": first, "last_missing": last, "reason": GAP_DETECTED}
