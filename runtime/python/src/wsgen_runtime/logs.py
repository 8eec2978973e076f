"""Structured logs through a pluggable logger; by default through the standard :mod:`logging` module.

The default, :class:`StdlibLogger`, hands each event to the ``wsgen`` logger of :mod:`logging`: with no logging
configuration at all, Python's last-resort handler prints WARNING and above to stderr (a handler that raised, an
invalid outbound message, a slow consumer...), one line each; an application configures, raises or silences the
``wsgen`` logger as any library's. :class:`JsonLogger` writes JSON lines to a sink; :class:`SilentLogger` drops all.

Field names that look like credentials are redacted as a second line of
defence: the runtime itself never passes a token to the logger, and paths are
logged without their query string.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from .types import LogLevel

_LEVELS: dict[str, int] = {"debug": 10, "info": 20, "warn": 30, "error": 40}
_SECRET_KEY = re.compile(r"token|authorization|cookie|secret|password|protocol", re.IGNORECASE)


#: The runtime's level names → :mod:`logging` levels.
_STDLIB_LEVELS: dict[str, int] = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}


class SilentLogger:
    """Drops everything (pass it to silence a server)."""

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


class StdlibLogger:
    """The default logger: each event goes to the :mod:`logging` logger ``name`` (default ``wsgen``) at the matching
    level (debug, info, warn → WARNING, error), as one line ``<event> key=value ...`` whose values are JSON
    (strings quoted, so a line never breaks), credential-like keys redacted. The record also carries the event and
    its fields as ``wsgen_event`` and ``wsgen_fields`` for structured handlers.

    With no logging configuration, Python's last-resort handler writes WARNING and above to stderr and drops the
    rest (info and debug cost one level check); ``logging.getLogger("wsgen").setLevel(...)``, handlers and filters
    configure it as any library's logger (the logging module, PEP 282).
    """

    def __init__(self, name: str = "wsgen") -> None:
        self._logger = logging.getLogger(name)

    def log(self, level: LogLevel, event: str, fields: Mapping[str, Any] | None = None) -> None:
        """Hands one event to the logging module when its level is enabled there."""
        number = _STDLIB_LEVELS[level]
        if not self._logger.isEnabledFor(number):
            return
        shown = redact(fields) if fields else {}
        self._logger.log(number, "%s", _line(event, shown), extra={"wsgen_event": event, "wsgen_fields": shown})


def _line(event: str, fields: Mapping[str, Any]) -> str:
    """``event key=value ...`` with JSON values (non-JSON values as their ``str``)."""
    parts = [event]
    for k, v in fields.items():
        try:
            text = json.dumps(v, default=str, ensure_ascii=False)
        except ValueError:  # a circular structure or NaN with allow_nan: its str
            text = json.dumps(str(v), ensure_ascii=False)
        parts.append(f"{k}={text}")
    return " ".join(parts)
