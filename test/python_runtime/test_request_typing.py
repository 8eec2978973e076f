"""A handler's request is typed by the message type it serves (TRIAL9 finding 7): ``Request[M]`` types
``message`` as ``M``, so ``mypy --strict`` refuses a misspelt field of the generated model, as Node's handlers are
typed by the descriptor; a bare ``Request`` stays ``Request[Any]`` (no error, no missing type parameter), and both
register in ``create_server``'s ``handlers``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wsgen_runtime import Request

ROOT = Path(__file__).resolve().parents[2]

USER_CODE = """\
from typing import Any
from wsgen_protocol.models import UserMessage
from wsgen_protocol.protocol import PROTOCOL
from wsgen_runtime import InMemorySessionValidator, Request, create_server
def good(req: Request[UserMessage]) -> Any:
    return {"type": "agent_message", "message": req.message.message}
def misspelt(req: Request[UserMessage]) -> Any:
    return req.message.mesage
def bare(req: Request) -> Any:
    return req.message.anything
handlers = {"user_message": good, "file_selected": misspelt, "other": bare}
server = create_server(PROTOCOL, endpoints={"guide": "/chat"}, handlers=handlers, validator=InMemorySessionValidator())
reveal_type(good)
"""


def test_mypy_strict_refuses_a_misspelt_field_of_a_typed_request(tmp_path: Path) -> None:
    (tmp_path / "user_app.py").write_text(USER_CODE)
    env_path = f"{ROOT / 'runtime' / 'python' / 'src'}:{ROOT / 'generated' / 'python'}"
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / ".mypy"), "user_app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env={"MYPYPATH": env_path, "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    lines = [line for line in run.stdout.splitlines() if line.startswith("user_app.py:")]
    by_line = {int(line.split(":")[1]): line for line in lines}
    assert set(by_line) == {8, 13}, run.stdout + run.stderr  # good (6), bare (10) and the registration (12) are clean
    assert '"UserMessage" has no attribute "mesage"' in by_line[8] and "[attr-defined]" in by_line[8]
    assert "Request[wsgen_protocol.models.user_message.UserMessage]" in by_line[13]


def test_a_typed_request_is_the_same_class_at_run_time() -> None:
    assert Request[int] is not Request and Request[int].__origin__ is Request  # type: ignore[attr-defined]
    assert not hasattr(Request(None, None, "c", None), "__dict__")  # type: ignore[arg-type]  # still slots only
