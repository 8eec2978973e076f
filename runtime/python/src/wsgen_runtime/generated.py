"""The adapter from a generator-emitted protocol descriptor (``<package>.protocol.PROTOCOL``) to the runtime's
:class:`~wsgen_runtime.descriptor.ProtocolDescriptor`.

Everything comes from the schema's annotations (docs/roles.md): message roles (``x-wsgen-role`` on a
message type) name the control messages, field roles name the wire fields, ``x-wsgen-priority: low`` marks
the types dropped first under backpressure, ``x-direction`` gives who may send a type, and the error and
close code tables are the schema's. The wire names each message type carries are read from its model, so
the runtime never writes a field a type lacks (the whiteboard's ``failure`` has no session id, its
``heartbeat_ack`` no seq).

Two facts are not roles in the catalogue and are passed by the app layer: the name of a per-message
timestamp field and of a session token field (the bundled protocol: ``timestamp``, ``session_token``),
and aliases from the runtime's generic error names (``HANDLER_ERROR``...) to the protocol's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .descriptor import FieldRoles, Issue, MessageSpec, ProtocolDescriptor, TypeRoles, UntaggedRootError
from .wire import to_json

#: Message role (docs/roles.md) → attribute of :class:`TypeRoles`.
MESSAGE_ROLES: Mapping[str, str] = {
    "session-created": "session_created",
    "session-updated": "session_updated",
    "session-expired": "session_expired",
    "session-resume": "session_resume",
    "ping": "ping",
    "pong": "pong",
    "error": "error",
    "stream-chunk": "stream_chunk",
    "stream-end": "stream_end",
}
#: Field role (docs/roles.md) → attribute of :class:`FieldRoles`.
FIELD_ROLES: Mapping[str, str] = {
    "correlation-id": "correlation_id",
    "sequence": "seq",
    "last-sequence": "last_seq",
    "stream-epoch": "epoch",
    "session-id": "session_id",
    "session-status": "status",
    "error-code": "error_code",
    "error-text": "error_message",
    "error-details": "error_details",
    "schema-hash": "schema_hash",
    "stream-index": "stream_index",
    "stream-content": "stream_content",
}


def _issues(errors: Sequence[Any]) -> tuple[Issue, ...]:
    return tuple(Issue(e.path, e.keyword, e.message, dict(e.params)) for e in errors)


def outbound_validator(parse: Callable[[str], Any]) -> Callable[[Mapping[str, Any]], Sequence[Issue]]:
    """The outbound check of a protocol whose inbound parser is ``parse`` (text → a result with ``ok`` and
    ``errors``): a message is judged as the JSON text it is sent as (:func:`~wsgen_runtime.wire.to_json`), read
    back by ``parse`` exactly as a receiving client reads it (JSON Schema 2020-12 on JSON values, the verdicts of
    the TypeScript validators).

    So a value that serializes to valid JSON is valid wherever it stands, at a typed place or at a checked one
    (a value ``_keywords.py`` judges): enum members (``StrEnum``/``IntEnum``, what pydantic's ``model_dump`` returns
    in python mode), tuples (JSON arrays), models (their JSON object), aware datetimes (RFC 3339 text); and a
    value is refused when its JSON is: ``True`` where an integer is wanted (JSON ``true``), a naive datetime at a
    date-time place, a model's unset optional fields written as ``null``. A value with no JSON text (NaN,
    Infinity, a lone surrogate, an object pydantic cannot serialize) is one issue, keyword ``json``, at the root.
    """

    def validate(obj: Mapping[str, Any]) -> Sequence[Issue]:
        try:
            text = to_json(obj)
        except (ValueError, TypeError) as err:  # no JSON text: it could not be sent either
            return (Issue("", "json", f"must serialize to JSON: {err}"[:512]),)
        r = parse(text)
        return () if r.ok else _issues(r.errors)

    return validate


def _wire_name(name: str, f: Any) -> str:
    """The wire name of a generated model's field ``name``: its alias (the generator writes a wire name that is no
    Python identifier or is a keyword, ``class``, as ``validation_alias`` and ``serialization_alias``), else its name."""
    alias = f.serialization_alias or f.alias or f.validation_alias
    return alias if isinstance(alias, str) else name


def _wire_names(model: Any) -> frozenset[str]:
    """The wire names of a generated model's fields."""
    return frozenset(_wire_name(name, f) for name, f in model.model_fields.items())


def _attributes(model: Any) -> dict[str, str]:
    """Wire name → attribute name of a generated model's fields whose two names differ (``class`` → ``class_``)."""
    out: dict[str, str] = {}
    for name, f in model.model_fields.items():
        wire = _wire_name(name, f)
        if wire != name:
            out[wire] = name
    return out


def _max_lengths(tag: str, model: Any) -> dict[tuple[str, str], int]:
    """``maxLength`` of each string field of a generated model (from its JSON Schema, by wire name)."""
    out: dict[tuple[str, str], int] = {}
    try:
        props = model.model_json_schema(by_alias=True).get("properties", {})
    except Exception:  # a model pydantic cannot describe: no limits known
        return out
    for name, schema in props.items():
        stack = [schema]
        while stack:
            s = stack.pop()
            if isinstance(s, dict):
                if isinstance(s.get("maxLength"), int) and s.get("type") == "string":
                    out[(tag, name)] = min(out.get((tag, name), s["maxLength"]), s["maxLength"])
                stack.extend(s.get("anyOf", []))
                stack.extend(s.get("allOf", []))
    return out


def from_generated(
    generated: Any,
    *,
    timestamp_field: str | None = None,
    session_token_field: str | None = None,
    error_aliases: Mapping[str, str] | None = None,
) -> ProtocolDescriptor:
    """The runtime descriptor of a generated ``PROTOCOL`` (``wsgen_protocol.protocol.PROTOCOL`` or another
    protocol's).

    ``timestamp_field``: a field every message the runtime builds gets (RFC 3339), when the type carries it;
    ``session_token_field``: a field whose value must equal the handshake token (else UNAUTHORIZED);
    ``error_aliases``: the runtime's generic error names → the protocol's codes. A runtime error name the
    table lacks is sent as ``INTERNAL_ERROR``. Raises ValueError when the protocol has an error role but no
    ``INTERNAL_ERROR`` code (the generator refuses such a schema too, docs/roles.md). Raises
    :class:`~wsgen_runtime.descriptor.UntaggedRootError` (code ``WSGEN_UNTAGGED_ROOT``) for a protocol whose
    root is no tagged union: the server and the client need a root ``oneOf`` with a discriminator.
    """
    if getattr(generated, "tagged", True) is False or not isinstance(generated.tag, str):
        raise UntaggedRootError(str(generated.name))
    messages = {tag: MessageSpec(tag, spec.direction, spec.priority == "low") for tag, spec in generated.messages.items()}
    carries = {tag: _wire_names(spec.model) for tag, spec in generated.messages.items()}
    attributes = {tag: names for tag, spec in generated.messages.items() if (names := _attributes(spec.model))}
    roles = TypeRoles(**{MESSAGE_ROLES[r]: t for r, t in generated.roles.items() if r in MESSAGE_ROLES})
    named = {FIELD_ROLES[r]: n for r, n in generated.fields.items() if r in FIELD_ROLES}
    fields = FieldRoles(
        correlation_id=named.get("correlation_id"),
        timestamp=timestamp_field,
        seq=named.get("seq"),
        epoch=named.get("epoch"),
        last_seq=named.get("last_seq"),
        session_id=named.get("session_id"),
        session_token=session_token_field,
        schema_hash=named.get("schema_hash"),
        status=named.get("status"),
        error_code=named.get("error_code"),
        error_message=named.get("error_message"),
        error_details=named.get("error_details"),
        stream_index=named.get("stream_index"),
        stream_content=named.get("stream_content"),
    )
    errors = {name: spec.value for name, spec in generated.error_codes.items()}
    if roles.error is not None and "INTERNAL_ERROR" not in errors:
        raise ValueError(f"{generated.name}: the error role needs an INTERNAL_ERROR code (docs/roles.md)")
    for generic, spelled in (error_aliases or {}).items():
        if spelled in errors:
            errors[generic] = errors[spelled]
    max_lengths: dict[tuple[str, str], int] = {}
    if roles.error is not None:
        max_lengths.update(_max_lengths(roles.error, generated.messages[roles.error].model))
    closes = {name: spec.value for name, spec in generated.close_codes.items()}
    return ProtocolDescriptor(
        tag=generated.tag,
        messages=messages,
        parse=generated.parse,
        validate=outbound_validator(generated.parse),
        schema_hash=str(generated.schema_hash),
        version=str(generated.version),
        roles=roles,
        fields=fields,
        error_codes=errors,
        close_codes=closes,
        carries=carries,
        max_lengths=max_lengths,
        retryable_errors=frozenset(spec.value for spec in generated.error_codes.values() if spec.retryable),
        attributes=attributes,
    )
