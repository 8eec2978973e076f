"""The Lua scripts of the shared store, loaded from ``runtime/redis/*.lua`` (shipped in the package as ``cluster/lua``).

They run with ``EVALSHA``; after a NOSCRIPT reply (Redis restarted or flushed its script cache) they are loaded
again with ``SCRIPT LOAD`` (docs/redis-layout.md, "Scripts").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

#: The shared scripts, by name (file ``<name>.lua``): every one is loaded. A node appends with ``append_many``
#: (several streams' batches in one call, appender.py); ``append`` serves the single appends of session-addressed
#: sends to a stream no connection of the node holds (broker.py).
NAMES = ("open", "append", "append_many", "replay", "release", "reset")


def script_text(name: str) -> str:
    """The text of ``<name>.lua`` as shipped with the package."""
    return (files(__package__) / "lua" / f"{name}.lua").read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Script:
    """One Lua script: its name, text and SHA-1 (what ``EVALSHA`` names)."""

    name: str
    text: str
    sha: str


class Scripts:
    """Every script, by attribute."""

    __slots__ = ("append", "append_many", "open", "release", "replay", "reset")

    def __init__(self) -> None:
        loaded = {n: self._read(n) for n in NAMES}
        self.open = loaded["open"]
        self.append = loaded["append"]
        self.append_many = loaded["append_many"]
        self.replay = loaded["replay"]
        self.release = loaded["release"]
        self.reset = loaded["reset"]

    @staticmethod
    def _read(name: str) -> Script:
        text = script_text(name)
        return Script(name, text, hashlib.sha1(text.encode()).hexdigest())

    async def load(self, client: Any) -> None:
        """``SCRIPT LOAD`` of every script (after a connect, or a NOSCRIPT reply)."""
        for s in (self.open, self.append, self.append_many, self.replay, self.release, self.reset):
            await client.script_load(s.text)
