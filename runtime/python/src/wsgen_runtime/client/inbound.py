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
from typing import Any, get_args

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


#: Integral numbers up to this magnitude are read as ``int``: JavaScript's JSON.parse reads ``1.0`` and ``1`` as the
#: same number, which JSON.stringify writes ``1`` (ECMA-262 Number::toString); beyond 2^53 a double is not exact.
_SAFE = 2**53 - 1


def to_plain(value: Any, text: str) -> dict[str, Any]:
    """A parsed message as a dict of wire names, the value the TS client hands out for the same frame.

    The frame's own JSON (so a date-time keeps its wire text, ``…59.490Z``, not pydantic's ``…59.490000Z``, and
    every string its exact text), read as JSON.parse reads it (an integral number within ±(2^53 - 1) is an
    ``int``: ``1.0`` on the wire is ``1``), plus the fields the schema's defaults filled in, taken from the
    generated model's dump (JSON mode, aliases, ``exclude_unset``: the generated models count a filled default as
    set, so a field left out without a default is absent, never a ``None``). A mapping is handed out as is."""
    if isinstance(value, dict):
        return value
    out = _DECODER.decode(text)
    assert isinstance(out, dict)
    if isinstance(value, BaseModel) and _has_defaults(type(value)):
        _fill_defaults(out, value.model_dump(mode="json", by_alias=True, exclude_unset=True))
    return out


_DEFAULTS: dict[type, bool] = {}


def _has_defaults(cls: type[BaseModel]) -> bool:
    """Whether a generated model, or one its fields can hold, fills defaults (the generated models with defaults
    override ``model_post_init`` to count them as set, py-defaults.ts); cached per class. Without any, the frame's
    JSON is the whole value and no dump is needed."""
    known = _DEFAULTS.get(cls)
    if known is None:
        _DEFAULTS[cls] = False  # a recursive model: assume none while its fields are looked at
        known = cls.model_post_init is not BaseModel.model_post_init or any(_holds_defaults(f.annotation) for f in cls.model_fields.values())
        _DEFAULTS[cls] = known
    return known


def _holds_defaults(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _has_defaults(annotation)
    return any(_holds_defaults(a) for a in get_args(annotation))


def _js_number(text: str) -> float | int:
    """A JSON number with a fraction or exponent, as JavaScript holds it: integral within ±(2^53 - 1) → ``int``."""
    f = float(text)
    return int(f) if f.is_integer() and -_SAFE <= f <= _SAFE else f


#: The reader of a frame's value, built once: ``json.loads(text, parse_float=...)`` builds a new JSONDecoder and its
#: scanner on every call, which cost more than the read itself (~14 → ~8 µs for a 300-byte agent_message).
_DECODER = json.JSONDecoder(parse_float=_js_number)


def _fill_defaults(raw: dict[str, Any], dumped: dict[str, Any]) -> None:
    """Adds to ``raw`` (in place, nested) every field ``dumped`` has and the frame left out: the filled defaults."""
    for k, v in dumped.items():
        if k not in raw:
            raw[k] = v
            continue
        r = raw[k]
        if isinstance(v, dict) and isinstance(r, dict):
            _fill_defaults(r, v)
        elif isinstance(v, list) and isinstance(r, list):
            for dv, rv in zip(v, r, strict=False):
                if isinstance(dv, dict) and isinstance(rv, dict):
                    _fill_defaults(rv, dv)
