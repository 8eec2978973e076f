"""Wire helpers shared by the core: timestamps, serialization, and the builders of the control messages
the runtime itself sends (error replies), named through the descriptor's roles."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from pydantic import BaseModel
from pydantic_core import SchemaSerializer, core_schema

from .descriptor import IssueLike, ProtocolDescriptor

#: Most validation issues reported back in one error reply.
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_last_ms = -1
_last_iso = ""
_last_s = -1
_last_prefix = ""
#: ``.000Z`` to ``.999Z``: the millisecond suffixes, built once.
_MILLIS: tuple[str, ...] = tuple(f".{m:03d}Z" for m in range(1000))


def timestamp(now: float | None = None) -> str:
    """``now`` (epoch seconds, default the clock) as RFC 3339 with milliseconds and ``Z``, like JS ``toISOString``.

    The text is cached per millisecond and its date-time part per second: under load a millisecond holds
    few messages, and formatting the date (``strftime``) costs more than the rest of a reply.
    """
    global _last_ms, _last_iso, _last_s, _last_prefix
    t = time.time() if now is None else now
    ms = int(t * 1000)
    if ms != _last_ms:
        secs, milli = divmod(ms, 1000)
        if secs != _last_s:
            _last_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
            _last_s = secs
        _last_iso = _last_prefix + _MILLIS[milli]
        _last_ms = ms
    return _last_iso


#: What a sender takes (``emit``, ``publish``, ``send_to_session``, a reply, the client's ``send``): a message as a
#: dict, or a generated model (:func:`as_message`).
Outbound: TypeAlias = Mapping[str, Any] | BaseModel


def _model_data(o: Any) -> Any:
    """The stdlib encoder's ``default``: a model as :func:`as_message` writes it; anything else is refused."""
    if isinstance(o, BaseModel):
        return as_message(o)
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


#: The stdlib encoder: the reference output, and the fallback of :func:`to_json`.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_model_data)
#: pydantic-core's serializer of any value, as ``pydantic_core.to_json`` builds it (NaN and Infinity written as
#: literals, caught below), called with ``exclude_unset``: what a model's fields were never set to is left out.
_SERIALIZER = SchemaSerializer(core_schema.any_schema(), core_schema.CoreConfig(ser_json_inf_nan="constants"))


def as_message(value: Outbound) -> dict[str, Any]:
    """The outbound message a sender was handed, as the dict the runtime numbers and addresses: a dict as it is
    (the runtime adds its fields in place, as before), a pydantic model (a generated message) as its wire dict
    (aliases; a field never set is left out, one set to ``None`` is written as ``null``, as ``dump_message``
    writes it), another mapping as a dict copy. Models inside are left for :func:`to_json`, which writes them by
    the same rule. Raises TypeError for anything else (a message is a JSON object)."""
    if type(value) is dict:
        return value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"a message is a dict or a generated model, not a {type(value).__name__}")


def to_json(msg: Mapping[str, Any]) -> str:
    """Compact JSON in insertion order, non-ASCII kept (what JSON.stringify writes for plain values): the text of
    every outbound message, and the text the outbound check judges (``generated.outbound_validator``).

    A pydantic model, wherever it stands, has its fields written as ``dump_message`` writes them (aliases; a field
    never set is left out, never written as ``null``; one set to ``None`` is ``null``): the one outbound rule for
    models, so a reply, ``emit``, a publish, ``send_to_session``, the Redis paths and the client all send the same
    text. Numbers are written as pydantic writes them: a float ``1.0`` or ``-0.0`` stays ``1.0`` / ``-0.0`` where
    ``dump_message`` and the Node server write ``1`` / ``0`` (the same JSON numbers, RFC 8259 §6; rewriting them
    would cost every outbound message a scan).

    pydantic-core's serializer writes the same text as the stdlib encoder for JSON values about 10x faster
    (bench/run.py); it writes NaN and Infinity as literals, which are not JSON (RFC 8259 section 6) and fails
    on lone surrogates, so text that mentions either literal, and any value it refuses, goes through the
    stdlib encoder, which raises ValueError for them (or writes the same text when the words were inside
    strings). Values beyond JSON's (datetime, enum members, tuples...) are written as pydantic writes them,
    where the stdlib raised TypeError; an unknown object still raises TypeError.
    """
    try:
        out = _SERIALIZER.to_json(msg, by_alias=True, exclude_unset=True).decode()
    except ValueError:  # PydanticSerializationError (lone surrogates, unknown types) is a ValueError
        return _ENCODER.encode(msg)
    # Searched in the str: ``bytes in bytes`` first tries the needle as an integer and raises and clears a TypeError.
    if "NaN" in out or "Infinity" in out:
        return _ENCODER.encode(msg)
    return out


def is_message_id(x: object) -> bool:
    """Whether ``x`` fits the MessageId pattern ``^[A-Za-z0-9._:-]{1,128}$``."""
    return isinstance(x, str) and _MESSAGE_ID.match(x) is not None


def _not_json(literal: str) -> Any:
    """``json.loads``'s hook for ``NaN``, ``Infinity`` and ``-Infinity``, which are no JSON (RFC 8259 §6): refuses them."""
    raise ValueError(f"{literal} is not JSON")


def salvage_message_id(text: str, name: str | None) -> str | None:
    """The correlation id of a frame that failed validation, if it is readable and valid (slow path only): a text
    that is no JSON (``NaN`` and ``Infinity`` included, which Python's ``json`` reads) has none, as on the Node server,
    whose ``JSON.parse`` refuses it."""
    if name is None or f'"{name}"' not in text:
        return None
    try:
        v = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return None
    if isinstance(v, dict):
        mid = v.get(name)
        if is_message_id(mid):
            return str(mid)
    return None


class InvalidOutboundError(ValueError):
    """A message the server built breaks the protocol's schema (``ServerOptions.validate_outbound``).

    Raised before the message takes a ``seq`` or enters the replay buffer: it is never sent and leaves no gap.
    ``code`` is the protocol's INTERNAL_ERROR code, ``kind`` the message's tag value and ``issues`` the validation
    issues as ``error_details.errors`` carries them (``{path, keyword, message, params}``, JSON Schema 2020-12).
    A request whose reply, stream chunk or stream end raises it gets the handler-failure error reply instead
    (the protocol's INTERNAL_ERROR; the bundled protocol's AGENT_ERROR).
    """

    def __init__(self, code: str, kind: str, issues: list[dict[str, Any]]) -> None:
        super().__init__(f"invalid outbound {kind}: {issues}")
        self.code = code
        self.kind = kind
        self.issues = issues


def error_reply(
    proto: ProtocolDescriptor,
    code: str,
    text: str,
    *,
    message_id: str | None = None,
    session_id: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An error reply (the protocol's error role) with the wire value of the standard error ``code``."""
    f = proto.fields
    kind = proto.roles.error
    limit = proto.text_limit(kind, f.error_message, 32768)
    if kind is None:
        raise ValueError("the protocol has no error role")
    return proto.build(
        kind,
        {
            f.timestamp: timestamp(),
            f.error_code: proto.error_code(code),
            f.error_message: text[:limit],
            f.correlation_id: message_id,
            f.session_id: session_id,
            f.error_details: dict(details) if details is not None else None,
        },
    )


def invalid_reply(proto: ProtocolDescriptor, issues: Sequence[IssueLike], message_id: str | None) -> dict[str, Any]:
    """The INVALID_MESSAGE reply: ``error_details.errors`` holds the first issue only, where validation stops in ajv's
    order (PROTOCOL.md "Validation issues"), the one the Node server reports too; ``wsgen validate`` lists them all."""
    shown = [{"path": i.path[:512], "keyword": i.keyword, "message": i.message[:512], "params": dict(i.params)} for i in issues[:1]]
    text = f'invalid message at "{shown[0]["path"]}": {shown[0]["message"]}' if shown else "invalid message"
    details: dict[str, Any] = {"errors": shown}
    return error_reply(proto, "INVALID_MESSAGE", text, message_id=message_id, details=details)
