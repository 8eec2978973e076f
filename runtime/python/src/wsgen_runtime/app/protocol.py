"""The adapter from today's generated package (``generated/python/wsgen_protocol``) to a ProtocolDescriptor.

It reads ``MESSAGE_META`` (directions), ``parse_message`` / ``validate_message``,
``SCHEMA_HASH`` / ``SCHEMA_VERSION`` and the ``ErrorCode`` / ``CloseCode`` enums.
The roles of the control messages and the low-priority types are not in the
generated package yet: they are named here, as PROTOCOL.md states them. Once the
generator emits a descriptor (generic-runtime issue, item 1), this module is
replaced by an adapter of that descriptor.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ..descriptor import FieldRoles, Issue, MessageSpec, Parsed, ProtocolDescriptor, TypeRoles

#: Types dropped first under backpressure (PROTOCOL.md, "Session resume" item 8).
LOW_PRIORITY = frozenset({"progress_update"})
#: The runtime's generic error names that this protocol spells differently.
ERROR_ALIASES = {"HANDLER_UNAVAILABLE": "AGENT_UNAVAILABLE", "HANDLER_ERROR": "AGENT_ERROR", "HANDLER_TIMEOUT": "AGENT_TIMEOUT"}


def load_generated(search: Path | None = None) -> ModuleType:
    """Imports ``wsgen_protocol``; when it is not importable, from ``<search or cwd>/generated/python``.

    Raises ImportError with a hint when it is found nowhere.
    """
    try:
        return importlib.import_module("wsgen_protocol")
    except ImportError:
        base = (search or Path.cwd()) / "generated" / "python"
        if not (base / "wsgen_protocol").is_dir():
            raise ImportError(
                "wsgen_protocol is not importable: run from the repository root, pass --protocol-path, or put generated/python on PYTHONPATH"
            ) from None
        sys.path.insert(0, str(base))
        return importlib.import_module("wsgen_protocol")


def _issues(errors: Sequence[Any]) -> tuple[Issue, ...]:
    return tuple(Issue(e.path, e.keyword, e.message, dict(e.params)) for e in errors)


def bundled_protocol(generated: ModuleType | None = None) -> ProtocolDescriptor:
    """The descriptor of the bundled protocol (``generated`` defaults to :func:`load_generated`)."""
    g = generated if generated is not None else load_generated()
    parse_message = g.parse_message
    validate_message = g.validate_message

    def parse(text: str) -> Parsed:
        r = parse_message(text)
        return Parsed(r.value) if r.ok else Parsed(None, _issues(r.errors))

    def validate(obj: Mapping[str, Any]) -> Sequence[Issue]:
        r = validate_message(dict(obj))
        return () if r.ok else _issues(r.errors)

    meta: Mapping[str, Mapping[str, Any]] = g.MESSAGE_META
    messages = {t: MessageSpec(t, m["direction"], m.get("priority") == "low" or t in LOW_PRIORITY) for t, m in meta.items()}
    errors = {str(c.value): str(c.value) for c in g.ErrorCode}
    for generic, spelled in ERROR_ALIASES.items():
        if spelled in errors:
            errors[generic] = spelled
    closes = {c.name: int(c.value) for c in g.CloseCode}
    roles = TypeRoles(
        session_created="session_created",
        session_updated="session_updated",
        session_expired="session_expired",
        session_resume="session_resume",
        ping="ping",
        pong="pong",
        error="error_message",
    )
    for role in (roles.session_created, roles.session_updated, roles.session_expired, roles.session_resume, roles.ping, roles.pong, roles.error):
        if role not in messages:
            raise ValueError(f"the generated protocol lacks the {role} message the runtime's roles name")
    return ProtocolDescriptor(
        tag="type",
        messages=messages,
        parse=parse,
        validate=validate,
        schema_hash=str(g.SCHEMA_HASH),
        version=str(g.SCHEMA_VERSION),
        roles=roles,
        fields=FieldRoles(),
        error_codes=errors,
        close_codes=closes,
    )
