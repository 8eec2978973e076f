"""What the runtime needs from a protocol: a small typed descriptor.

The server core reads only this descriptor, never a protocol's message names:
the tag property, every message type with its direction and priority, a parser
and an outbound validator, the role of each control message (session created,
resume, updated, expired, ping, pong, error reply) and of each field the runtime
reads or writes (correlation id, seq, epoch, ...), the schema hash and version,
and the error and close code tables.

:func:`wsgen_runtime.generated.from_generated` builds it from the generator's
descriptor (``<package>.protocol.PROTOCOL``): roles, priorities and directions
come from the schema's ``x-wsgen-role``, ``x-wsgen-priority`` and ``x-direction``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

#: Who may send a message type: the client, the server, or both.
Direction = Literal["client", "server", "both"]

#: Stable code of :class:`UntaggedRootError`.
UNTAGGED_ROOT_CODE = "WSGEN_UNTAGGED_ROOT"


class UntaggedRootError(ValueError):
    """A protocol whose root is no tagged union (no discriminator): the server and the client need one.

    ``code`` is always ``WSGEN_UNTAGGED_ROOT``; ``where`` names the protocol; ``hint`` says what to change.
    Raised at construction (:func:`~wsgen_runtime.generated.from_generated`, :class:`ProtocolDescriptor`).
    """

    def __init__(self, name: str | None) -> None:
        self.code = UNTAGGED_ROOT_CODE
        self.where = name if name is not None else "the protocol descriptor"
        self.hint = (
            'the runtimes need a root oneOf with a discriminator: {"discriminator": {"propertyName": "type"}, '
            '"oneOf": [{"$ref": "#/$defs/..."}]}; parse_message and validate_message work without one'
        )
        super().__init__(f"{UNTAGGED_ROOT_CODE}: {self.where} has no root union with a discriminator, which the runtimes need (hint: {self.hint})")


@dataclass(frozen=True, slots=True)
class MessageSpec:
    """One message type: its tag value, direction and priority.

    ``low_priority`` types are dropped first under backpressure, before they take a seq.
    """

    type: str
    direction: Direction
    low_priority: bool = False


@dataclass(frozen=True, slots=True)
class Issue:
    """One validation problem: JSON pointer, JSON Schema keyword, message and keyword parameters (PROTOCOL.md)."""

    path: str
    keyword: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The issue as ``error_details.errors`` carries it."""
        return {"path": self.path, "keyword": self.keyword, "message": self.message, "params": dict(self.params)}


class IssueLike(Protocol):
    """One validation problem as a parser reports it (:class:`Issue`, or a generated ``ValidationIssue``)."""

    @property
    def path(self) -> str: ...
    @property
    def keyword(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def params(self) -> Mapping[str, Any]: ...


class ParseOutcome(Protocol):
    """What ``parse`` returns: ``ok``, then the message as ``value`` (any object with the fields as attributes)
    or the problems as ``errors``. The generated ``ParseOk`` / ``ParseError`` have this shape, so a generated
    ``parse_message`` is used as is (no wrapper on the per-frame path)."""

    @property
    def ok(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Parsed:
    """A :class:`ParseOutcome` for hand-written parsers: a message, or issues."""

    value: Any
    errors: Sequence[IssueLike] = ()

    @property
    def ok(self) -> bool:
        """Whether the frame was a valid message."""
        return not self.errors


@dataclass(frozen=True, slots=True)
class TypeRoles:
    """The tag values of the control messages the runtime sends or answers (None: the protocol lacks the role)."""

    session_created: str | None = None
    session_updated: str | None = None
    session_expired: str | None = None
    session_resume: str | None = None
    ping: str | None = None
    pong: str | None = None
    error: str | None = None
    stream_chunk: str | None = None
    stream_end: str | None = None


@dataclass(frozen=True, slots=True)
class FieldRoles:
    """The wire names of the fields the runtime reads or writes (None: the protocol has no such field)."""

    correlation_id: str | None = None
    timestamp: str | None = None
    seq: str | None = None
    epoch: str | None = None
    last_seq: str | None = None
    session_id: str | None = None
    session_token: str | None = None
    schema_hash: str | None = None
    status: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    error_details: str | None = None
    stream_index: str | None = None
    stream_content: str | None = None


@dataclass(frozen=True, slots=True)
class ProtocolDescriptor:
    """Everything the runtime knows about a protocol.

    ``parse(text)`` parses and validates one JSON text frame (never raises): a :class:`ParseOutcome`;
    ``validate(obj)`` checks an outbound message (a dict) and returns its issues
    (empty when valid: used only in the dev mode ``validate_outbound``);
    ``error_codes`` and ``close_codes`` map the runtime's standard names
    (``INVALID_MESSAGE``, ``REPLACED``...) to the protocol's wire values;
    ``retryable_errors`` holds the wire values of the error codes the protocol's
    table marks retryable (the same request may succeed later);
    ``carries`` holds the wire names each type carries, and ``attributes`` the
    attribute a parsed message of a type holds a field under, by wire name, where
    they differ (``class`` → ``class_``): see :meth:`attribute`.
    """

    tag: str
    messages: Mapping[str, MessageSpec]
    parse: Callable[[str], ParseOutcome]
    validate: Callable[[Mapping[str, Any]], Sequence[Issue]]
    schema_hash: str
    version: str
    roles: TypeRoles
    fields: FieldRoles
    error_codes: Mapping[str, str]
    close_codes: Mapping[str, int]
    carries: Mapping[str, frozenset[str]] = field(default_factory=dict)
    max_lengths: Mapping[tuple[str, str], int] = field(default_factory=dict)
    retryable_errors: frozenset[str] = frozenset()
    attributes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Refuses a descriptor without a tag property (a protocol whose root is no tagged union)."""
        if not isinstance(self.tag, str):
            raise UntaggedRootError(None)

    @property
    def resumable(self) -> bool:
        """Whether the protocol has the resume capability (docs/roles.md): the session-created, session-resume and
        session-updated message roles and a sequence field role. Only then does the server number and buffer its
        messages and serve a resume, and does the client resume and drop seen seqs (the Node runtime's
        ``has('resume')``); a sequence field alone numbers nothing."""
        r = self.roles
        return None not in (r.session_created, r.session_resume, r.session_updated, self.fields.seq)

    def text_limit(self, kind: str | None, name: str | None, default: int) -> int:
        """The ``maxLength`` of string field ``name`` of type ``kind`` (``default`` when unbounded or unknown)."""
        if kind is None or name is None:
            return default
        return min(default, self.max_lengths.get((kind, name), default))

    def build(self, kind: str, pairs: Mapping[str | None, Any], *extra: Mapping[str, Any]) -> dict[str, Any]:
        """A message of type ``kind``: the tag, then each entry of ``pairs`` and then of ``extra`` (the app's
        fields) whose name is not None, whose value is not None and which the type carries (every name when
        ``carries`` does not list the type)."""
        has = self.carries.get(kind)
        m: dict[str, Any] = {self.tag: kind}
        items: list[tuple[str | None, Any]] = list(pairs.items())
        for part in extra:
            items.extend(part.items())
        for name, value in items:
            if name is not None and value is not None and (has is None or name in has):
                m[name] = value
        return m

    def attribute(self, kind: str, name: str) -> str | None:
        """The attribute under which a parsed message of type ``kind`` holds its field of wire name ``name``
        (``class_`` for ``class``, else ``name`` itself); None when ``carries`` lists the type without that field."""
        has = self.carries.get(kind)
        if has is not None and name not in has:
            return None
        names = self.attributes.get(kind)
        return name if names is None else names.get(name, name)

    def attr(self, name: str) -> str:
        """The attribute under which parsed messages hold their field of wire name ``name`` (``class_`` for
        ``class``, ``f_request_id``-style for a name that is no identifier; ``name`` itself when no type renames
        it): how the runtime reads the tag and the role fields of a parsed message."""
        for names in self.attributes.values():
            found = names.get(name)
            if found is not None:
                return found
        return name

    def is_client_type(self, tag: str) -> bool:
        """Whether a client may send messages of ``tag`` (direction client or both)."""
        spec = self.messages.get(tag)
        return spec is not None and spec.direction != "server"

    def sends(self, tag: str | None) -> bool:
        """Whether a server may send messages of ``tag`` (direction server or both)."""
        spec = self.messages.get(tag) if tag is not None else None
        return spec is not None and spec.direction != "client"

    def low_priority_types(self) -> frozenset[str]:
        """Tags dropped first under backpressure."""
        return frozenset(t for t, s in self.messages.items() if s.low_priority)

    def error_code(self, name: str) -> str:
        """The wire value of a standard error name; ``INTERNAL_ERROR``'s when the table lacks it (the name
        itself when the table lacks both)."""
        code = self.error_codes.get(name)
        if code is None:
            code = self.error_codes.get("INTERNAL_ERROR", name)
        return code

    def close_code(self, name: str, default: int) -> int:
        """The wire value of a standard close name, or ``default``."""
        return self.close_codes.get(name, default)
