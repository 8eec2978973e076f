"""Decoding one inbound frame for the asyncio client, as the TS client's ``inbound.ts`` does: text only, the
protocol's own parser (JSON, then the schema: the generated ``parse_message``), and the direction rule (a server
may not send a client-only type). A frame that fails is not delivered: the caller logs it with the code
``INVALID_FRAME`` (the TS client's ``InvalidFrameError`` code) and counts it; it never raises.

A valid message is handed out as a plain dict of its wire names, with the schema's defaults filled in (as the TS
client's messages are): a field the frame leaves out is present when the schema gives it a default, and absent
when it is merely optional (no ``None`` stand-ins), so ``m["type"]`` and ``m.get("seq")`` keep working.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..descriptor import Issue, IssueLike, ProtocolDescriptor

#: The code of a refused inbound frame (the TS client's ``InvalidFrameError.code``).
INVALID_FRAME = "INVALID_FRAME"


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a frame is not delivered: the issues (JSON pointer, keyword, message, params) and its first 200 characters."""

    issues: tuple[IssueLike, ...]
    preview: str

    def log_fields(self, url: str) -> dict[str, Any]:
        """The fields of the ``invalid_frame`` log line: ``code``, ``url``, ``issues``, ``preview``, ``hint``."""
        return {
            "code": INVALID_FRAME,
            "url": url.split("?", 1)[0],
            "issues": [{"path": i.path, "keyword": i.keyword, "message": i.message} for i in self.issues[:10]],
            "preview": self.preview,
            "hint": "the server sent something outside the protocol: check that both sides were generated from the same schema",
        }


def decode_frame(proto: ProtocolDescriptor, data: str | bytes) -> dict[str, Any] | Refused:
    """One frame: the message as a dict with defaults filled, or :class:`Refused` (binary, not JSON, invalid,
    or a type only clients send)."""
    if not isinstance(data, str):
        return Refused((Issue("", "type", "binary frames are not part of the protocol"),), "[binary frame]")
    r = proto.parse(data)
    if not r.ok:
        errors: Sequence[IssueLike] = r.errors  # type: ignore[attr-defined]  # ParseOutcome: ok, then errors or value
        return Refused(tuple(errors) or (Issue("", "type", "invalid frame"),), data[:200])
    msg = to_plain(r.value, data)  # type: ignore[attr-defined]
    tag = msg.get(proto.tag)
    if isinstance(tag, str) and not proto.sends(tag):
        at = "/" + proto.tag.replace("~", "~0").replace("/", "~1")
        return Refused((Issue(at, "direction", f"a server may not send {tag}", {"type": tag}),), data[:200])
    return msg


def to_plain(value: Any, text: str) -> dict[str, Any]:
    """A parsed message as a dict of wire names: a generated model as its ``dump_message`` writes it (JSON mode,
    aliases, the fields the frame set plus those the schema's defaults filled: the generated models count a
    filled default as set; never a ``None`` for a field left out); a mapping as is; anything else from the JSON."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, dict):
        return value
    out = json.loads(text)
    assert isinstance(out, dict)
    return out
