"""``ServerOptions.validate_outbound``: on unless ``NODE_ENV`` or ``WSGEN_ENV`` is ``production``, the rule of the
Node server's ``validateOutbound`` (test/server/outbound-default.test.ts runs the same table); the reference server
(``python -m wsgen_runtime.serve``) always turns it on."""

from __future__ import annotations

import pytest
from wsgen_runtime.options import ServerOptions, validate_outbound_by_default
from wsgen_runtime.serve import build

#: (NODE_ENV, WSGEN_ENV, expected default); None: unset. The same rows as test/server/outbound-default.test.ts.
TABLE = [
    (None, None, True),
    ("development", None, True),
    ("test", None, True),
    ("production", None, False),
    (None, "production", False),
    ("development", "production", False),
    (None, "staging", True),
    ("Production", None, True),
]


@pytest.mark.parametrize(("node_env", "wsgen_env", "expected"), TABLE)
def test_default_follows_the_environment_when_the_options_are_built(monkeypatch: pytest.MonkeyPatch, node_env: str | None, wsgen_env: str | None, expected: bool) -> None:
    for name, value in (("NODE_ENV", node_env), ("WSGEN_ENV", wsgen_env)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    env = {k: v for k, v in (("NODE_ENV", node_env), ("WSGEN_ENV", wsgen_env)) if v is not None}
    assert validate_outbound_by_default(env) is expected
    assert ServerOptions().validate_outbound is expected
    assert ServerOptions(validate_outbound=not expected).validate_outbound is (not expected)


def test_the_core_checks_outbound_messages_by_default_and_the_reference_server_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NODE_ENV", raising=False)
    monkeypatch.delenv("WSGEN_ENV", raising=False)
    core, _app, _token, _sid = build(options=ServerOptions())
    assert core.validate is not None
    monkeypatch.setenv("WSGEN_ENV", "production")
    core, _app, _token, _sid = build(options=ServerOptions())
    assert core.validate is None
    core, _app, _token, _sid = build()
    assert core.validate is not None
