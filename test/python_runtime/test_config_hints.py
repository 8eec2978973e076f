"""The hints of the handler :class:`ConfigError`s list only the message types a handler may be registered for
(client or both directions, less the role messages the runtime answers itself), never one it would refuse too."""

from __future__ import annotations

from typing import Any

import pytest
from wsgen_protocol.protocol import PROTOCOL

from wsgen_runtime import ConfigError, InMemorySessionValidator, create_app
from wsgen_runtime.generated import from_generated

DESCRIPTOR = from_generated(PROTOCOL)
ROLES = DESCRIPTOR.roles
ANSWERED = [ROLES.ping, ROLES.pong, ROLES.session_resume]
SERVER_ONLY = [t for t in DESCRIPTOR.messages if not DESCRIPTOR.is_client_type(t)]
HANDLED = [t for t in DESCRIPTOR.messages if DESCRIPTOR.is_client_type(t) and t not in ANSWERED]


def _hint(handlers: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(ConfigError) as e:
        create_app(PROTOCOL, endpoints={"guide": "/chat"}, handlers=handlers, validator=InMemorySessionValidator())
    return e.value.where, e.value.hint


def test_the_handled_types_leave_out_server_types_and_answered_roles() -> None:
    from wsgen_runtime.handlers import handled_types

    assert None not in ANSWERED and SERVER_ONLY
    assert handled_types(DESCRIPTOR) == HANDLED
    assert "user_message" in HANDLED and not set(HANDLED) & set(ANSWERED + SERVER_ONLY)


@pytest.mark.parametrize("kind", ["no_such_type", SERVER_ONLY[0], *ANSWERED])
def test_each_refused_handler_hint_lists_exactly_the_handled_types(kind: str) -> None:
    where, hint = _hint({kind: lambda req: None})
    listed = hint.split(": ", 1)[1].split(", ")
    assert (where, listed) == (f"handlers.{kind}", HANDLED)
