"""``create_app`` takes exactly ``create_server``'s parameters, typed (runtime/python/README.md "Your own protocol"):
``mypy --strict`` checks a user's call (a misspelt keyword or a wrong type is an error, a good call is clean), and at
run time a misspelt keyword raises TypeError naming ``create_app`` and its parameters, before anything is built."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from wsgen_protocol.protocol import PROTOCOL

from wsgen_runtime import InMemorySessionValidator, create_app, create_server

ROOT = Path(__file__).resolve().parents[2]

USER_CODE = """\
from wsgen_protocol.protocol import PROTOCOL
from wsgen_runtime import InMemorySessionValidator, ServerOptions, create_app

validator = InMemorySessionValidator()
good = create_app(PROTOCOL, endpoints={"guide": "/chat"}, handlers={}, validator=validator, options=ServerOptions())
misspelt = create_app(PROTOCOL, endpoints={"guide": "/chat"}, handler={}, validator=validator)
wrong_type = create_app(PROTOCOL, endpoints={"guide": "/chat"}, handlers={}, validator=validator, options=30)
reveal_type(good)
"""


def test_mypy_strict_checks_every_keyword_of_a_create_app_call(tmp_path: Path) -> None:
    (tmp_path / "user_app.py").write_text(USER_CODE)
    env_path = f"{ROOT / 'runtime' / 'python' / 'src'}:{ROOT / 'generated' / 'python'}"
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / ".mypy"), "user_app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env={"MYPYPATH": env_path, "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    lines = [line for line in run.stdout.splitlines() if line.startswith("user_app.py:")]
    by_line = {int(line.split(":")[1]): line for line in lines}
    assert set(by_line) == {6, 7, 8}, run.stdout + run.stderr  # the good call (line 5) is clean
    assert 'Unexpected keyword argument "handler"' in by_line[6] and "[call-arg]" in by_line[6]
    assert '"options"' in by_line[7] and "[arg-type]" in by_line[7]
    assert "starlette.applications.Starlette" in by_line[8]  # reveal_type: the result is typed too


def test_a_misspelt_keyword_is_a_type_error_at_run_time_naming_create_app() -> None:
    misspelt = r"create_app\(\): got an unexpected keyword argument 'handler' \(did you mean 'handlers'\?\); "
    with pytest.raises(TypeError, match=misspelt + "its parameters are create_server's: protocol, endpoints, handlers, validator"):
        create_app(PROTOCOL, endpoints={"guide": "/chat"}, handler={}, validator=InMemorySessionValidator())  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"create_app\(\): missing a required argument: 'validator'"):
        create_app(PROTOCOL, endpoints={"guide": "/chat"}, handlers={})  # type: ignore[call-arg]
    params = inspect.signature(create_app).parameters
    assert list(params) == list(inspect.signature(create_server).parameters)
    assert inspect.signature(create_app).return_annotation == "Starlette"
    app = create_app(PROTOCOL, endpoints={"guide": "/chat"}, handlers={}, validator=InMemorySessionValidator())
    assert app.state.wsgen.core.proto.tag == "type"
