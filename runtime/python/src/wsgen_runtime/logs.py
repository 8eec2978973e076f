"""Structured logs: JSON lines through a pluggable sink, silent by default.

Field names that look like credentials are redacted as a second line of
defence: the runtime itself never passes a token to the logger, and paths are
logged without their query string.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from .types import LogLevel

_LEVELS: dict[str, int] = {"debug": 10, "info": 20, "warn": 30, "error": 40}
_SECRET_KEY = re.compile(r"token|authorization|cookie|secret|password|protocol", re.IGNORECASE)


class SilentLogger:
    """Drops everything (the default)."""

    def log(self, level: LogLevel, event: str, fields: Mapping[str, Any] | None = None) -> None:
        """Does nothing."""


def redact(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``fields`` with credential-like keys replaced by ``"[redacted]"`` (shallow)."""
    return {k: ("[redacted]" if _SECRET_KEY.search(k) else v) for k, v in fields.items()}


class JsonLogger:
    """Writes one JSON object per line: ``{"time", "level", "event", ...fields}`` (default sink: stderr)."""

    def __init__(self, level: LogLevel = "info", write: Callable[[str], object] | None = None) -> None:
        self._min = _LEVELS[level]
        self._write: Callable[[str], object] = write if write is not None else sys.stderr.write

    def log(self, level: LogLevel, event: str, fields: Mapping[str, Any] | None = None) -> None:
        """Writes one line when ``level`` is at or above the logger's level."""
        if _LEVELS[level] < self._min:
            return
        t = time.time()
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"
        line: dict[str, Any] = {"time": stamp, "level": level, "event": event}
        if fields:
            line.update(redact(fields))
        try:
            text = json.dumps(line, default=str)
        except ValueError:
            text = json.dumps({"time": stamp, "level": level, "event": event, "note": "unserializable fields"})
        self._write(text + "\n")
