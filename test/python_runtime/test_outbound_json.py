"""Outbound values are judged as the JSON they are sent as (``validate_outbound``): a handler's reply holding Python
values that serialize to a valid message (enum members from pydantic's ``model_dump`` in python mode, tuples,
models, aware datetimes, IntEnum members) is sent, at a checked place (a value ``_keywords.py`` judges) as at a
typed one; a value whose JSON is invalid (``True`` where an integer is wanted, a naive date-time, two items equal as
JSON in a ``uniqueItems`` array, NaN) is refused with the handler-failure reply. The protocol is the whiteboard
with two checked values added to ``shape_added`` (``checked_server.py``), generated into a temp folder and served
on a real uvicorn (127.0.0.1, port 0). The trial's case: ``/root/members/0/class [type] must be string`` for a
StrEnum member inside a ``uniqueItems`` array of objects."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import live
from .test_default_logs import _lines_with
from .test_whiteboard import _connect, _recv, _serve

ROOT = Path(__file__).resolve().parents[2]
SHAPE = {"id": "s1", "kind": "rect", "x": 1, "y": 2}
#: The JSON the accepted cases send: case → the reply's checked fields.
SENT: dict[str, dict[str, Any]] = {
    "enum member": {"history": [{**SHAPE, "text": "enum member"}]},
    "tuple": {"history": [{**SHAPE, "text": "tuple"}], "span": ["2026-01-02T03:04:05+00:00", 1]},
    "model": {"history": [{**SHAPE, "text": "model"}]},
    "datetime and IntEnum": {"span": ["2026-01-02T03:04:05Z", 7]},
}
#: The refused cases and the issue the server logs (path, keyword).
REFUSED = {
    "duplicates as JSON": ("/history", "uniqueItems"),
    "bool as integer": ("/span/1", "type"),
    "naive datetime": ("/span/0", "format"),
    "float nan": ("", "json"),
}


def _with_checked_values(schema: dict[str, Any]) -> dict[str, Any]:
    """The whiteboard schema whose ``shape_added`` also has ``history`` and ``span`` (checked values)."""
    added = schema["$defs"]["ShapeAdded"]
    props = {
        **added["properties"],
        "history": {"type": "array", "items": {"$ref": "#/$defs/Shape"}, "uniqueItems": True},
        "span": {"type": "array", "prefixItems": [{"type": "string", "format": "date-time"}, {"type": "integer"}], "items": False},
    }
    return {**schema, "$defs": {**schema["$defs"], "ShapeAdded": {**added, "properties": props}}}


@pytest.fixture(scope="module")
def checked() -> Iterator[tuple[str, list[str], Path]]:
    """The variant, generated and served by ``checked_server.py``: (ws URL, tokens, its stderr file)."""
    with tempfile.TemporaryDirectory(prefix="wsgen-checked-") as tmp:
        where = Path(tmp) / "test" / "fixtures" / "checked-board"  # the role library's relative $refs resolve through tmp/schema
        where.mkdir(parents=True)
        os.symlink(ROOT / "schema", Path(tmp) / "schema")
        board = json.loads((ROOT / "test" / "fixtures" / "whiteboard" / "board.schema.json").read_text())
        (where / "board.schema.json").write_text(json.dumps(_with_checked_values(board), indent=2))
        subprocess.run(["node", str(ROOT / "bin" / "wsgen.js"), "generate", "--schema", str(where), "--out", str(Path(tmp) / "out"),
                        "--target", "python", "--quiet"], check=True, timeout=120)  # fmt: skip
        checked_values = (Path(tmp) / "out" / "python" / "wsgen_protocol" / "_checked.py").read_text()
        assert "ShapeAdded.properties.history" in checked_values and "ShapeAdded.properties.span" in checked_values
        stderr = Path(tmp) / "stderr.txt"
        for url, tokens in _serve(Path(tmp) / "out" / "python", 0.0, "checked_server.py", stderr):
            yield url, tokens, stderr


async def _add(url: str, token: str, case: str) -> dict[str, Any]:
    async with await _connect(url, token) as ws:
        assert (await _recv(ws))["op"] == "welcome"
        await ws.send(json.dumps({"op": "shape_add", "ref": "a1", "shape": {**SHAPE, "text": case}}))
        return await _recv(ws)


@pytest.mark.parametrize("case", list(SENT))
@live()
async def test_a_value_that_serializes_to_a_valid_message_is_sent_as_its_json(checked: tuple[str, list[str], Path], case: str) -> None:
    url, (ada, _), _ = checked
    got = await _add(url, ada, case)
    assert isinstance(got.pop("seq"), int)  # the session's stream: one seq per message, across the cases' connections
    assert got == {"op": "shape_added", "ref": "a1", "by": "ada", "shape": {**SHAPE, "text": case}, **SENT[case]}


@pytest.mark.parametrize("case", list(REFUSED))
@live()
async def test_a_value_whose_json_is_invalid_is_refused_with_the_handler_failure(checked: tuple[str, list[str], Path], case: str) -> None:
    url, (_, grace), stderr = checked
    got = await _add(url, grace, case)
    assert (got["op"], got["code"], got["ref"]) == ("failure", "INTERNAL_ERROR", "a1")
    path, keyword = REFUSED[case]  # the issue, in the invalid_outbound line the default logger writes to stderr
    assert await _lines_with(stderr, f'"path": "{path}", "keyword": "{keyword}"'), stderr.read_text()


@live()
async def test_an_emitted_message_holding_a_model_leaves_its_unset_fields_out(checked: tuple[str, list[str], Path]) -> None:
    """``req.emit`` writes a model inside the message as a reply does (``wire.to_json``): the request's shape, whose
    ``w``, ``h`` and ``color`` were never set, is sent without them; before, they were written as ``null`` and the
    message was refused as ``invalid_outbound`` (``/shape/w [type] must be number``)."""
    url, (ada, _), _ = checked
    got = await _add(url, ada, "emit model")
    assert isinstance(got.pop("seq"), int)
    assert got == {"op": "shape_added", "by": "ada", "ref": "a1", "shape": {**SHAPE, "text": "emit model"}}
