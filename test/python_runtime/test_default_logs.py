"""Failures are visible by default: with no ``logger`` option the server logs through the ``wsgen`` logger of the
:mod:`logging` module, so with no logging configuration Python's last-resort handler writes each warning and error
to stderr, one line, and drops info and debug. The whiteboard server (``whiteboard_server.py``, no ``logger``
option, under uvicorn on 127.0.0.1, port 0) answers ``shape_delete`` with a handler that raises: its stderr gets
one ``handler_error`` line with the code, the connection id and the message id, and never the token."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wsgen_runtime import StdlibLogger

from .harness import WAIT_S, live
from .test_whiteboard import ROOT, _connect, _recv, _serve


@pytest.fixture(scope="module")
def board() -> Iterator[tuple[str, list[str], Path]]:
    """The whiteboard server with its default logger, its stderr in a file: (ws URL, tokens, stderr file)."""
    with tempfile.TemporaryDirectory(prefix="wsgen-logs-") as tmp:
        subprocess.run(["node", str(ROOT / "bin" / "wsgen.js"), "generate", "--schema", str(ROOT / "test" / "fixtures" / "whiteboard"),
                        "--out", tmp, "--target", "python", "--quiet"], check=True, timeout=120)  # fmt: skip
        stderr = Path(tmp) / "stderr.txt"
        for url, tokens in _serve(Path(tmp) / "python", 0.0, stderr=stderr):
            yield url, tokens, stderr


async def _lines_with(path: Path, needle: str) -> list[str]:
    """The stderr lines holding ``needle``, once one is there (the log line may follow the reply); bounded by WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while True:
        lines = [line for line in path.read_text().splitlines() if needle in line]
        if lines or time.monotonic() > deadline:
            return lines
        await asyncio.sleep(0.02)


@live()
async def test_a_handler_that_raises_writes_one_stderr_line_with_code_connection_and_message_id(board: tuple[str, list[str], Path]) -> None:
    url, (ada, _), stderr = board
    async with await _connect(url, ada) as ws:
        assert (await _recv(ws))["op"] == "welcome"
        await ws.send(json.dumps({"op": "shape_delete", "ref": "d1", "id": "s9"}))
        reply = await _recv(ws)
        assert (reply["op"], reply["code"], reply["ref"]) == ("failure", "INTERNAL_ERROR", "d1")
        lines = await _lines_with(stderr, "handler_error")
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("handler_error ") and 'code="INTERNAL_ERROR"' in line and 'message_id="d1"' in line
    assert re.search(r'connection_id="[0-9a-f]{8}-\w+"', line) and "no shape s9" in line
    text = stderr.read_text()
    assert ada not in text  # never the token
    assert "connection_opened" not in text  # info events are not written by default


def test_the_wsgen_logger_is_configured_as_any_librarys(caplog: pytest.LogCaptureFixture) -> None:
    """Levels map to logging's (warn → WARNING); the record carries the event and its redacted fields."""
    with caplog.at_level(logging.INFO, logger="wsgen"):
        StdlibLogger().log("info", "connection_opened", {"connection_id": "c-1"})
        StdlibLogger().log("warn", "handler_error", {"code": "INTERNAL_ERROR", "session_token": "t0ken", "error": "a\nb"})
        StdlibLogger().log("debug", "dropped", None)
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("wsgen", logging.INFO, 'connection_opened connection_id="c-1"'),
        ("wsgen", logging.WARNING, 'handler_error code="INTERNAL_ERROR" session_token="[redacted]" error="a\\nb"'),
    ]
    assert caplog.records[1].wsgen_event == "handler_error"
    assert caplog.records[1].wsgen_fields == {"code": "INTERNAL_ERROR", "session_token": "[redacted]", "error": "a\nb"}
