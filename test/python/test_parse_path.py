"""The hot path of parse_message: which rules run inside pydantic-core (no call into Python per
message), and that each shortcut keeps the verdicts and issues of the path it replaces.

bench/python/bench_parse.py measures the cost; these tests hold the behaviour.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import BuiltinFunctionType
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field, TypeAdapter
from shipped import shipped
from wsgen_protocol import ParseError, UserMessage, parse_message, validate_message
from wsgen_protocol.parse import _PARSER

_model = shipped("_model")
_parser = shipped("_parser")

_FUNCTIONS = ("function-before", "function-after", "function-wrap", "function-plain")

#: The schema's pattern of ``timestamp`` (beside format: date-time), as the generated aliases.py writes it.
_TIMESTAMP_PATTERN = "^[^.]*(\\.[0-9]{0,6}([^0-9.][^.]*)?)*$"


def _runs_bytecode(function: object) -> bool:
    """Whether a validator function (a core schema's ``function`` entry) runs Python code: anything but a function
    built into CPython (``datetime.fromisoformat``), which pydantic-core calls with no Python frame."""
    called = function["function"] if isinstance(function, dict) else function
    return not isinstance(called, BuiltinFunctionType)


def _calls_python(schema: object) -> bool:
    """Whether a core schema (dicts and lists) holds, anywhere, a validator function that runs Python code."""
    if isinstance(schema, dict):
        if schema.get("type") in _FUNCTIONS and _runs_bytecode(schema["function"]):
            return True
        return any(_calls_python(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_calls_python(v) for v in schema)
    return False


def _message(**fields: Any) -> dict[str, Any]:
    return {"type": "ping", "timestamp": "2024-05-01T10:00:00.123Z", **fields}


def test_a_pattern_beside_date_time_runs_inside_pydantic_core_from_json() -> None:
    field = UserMessage.__pydantic_core_schema__["schema"]["fields"]["timestamp"]["schema"]
    assert field["type"] == "json-or-python"
    assert not _calls_python(field["json_schema"])
    # From Python the pattern still reads text only: an aware datetime has none and passes.
    assert validate_message(_message(timestamp=datetime(2024, 5, 1, tzinfo=UTC))).ok


@pytest.mark.parametrize(
    ("timestamp", "keyword", "params"),
    [
        ("2024-05-01T10:00:00.1234567Z", "pattern", {"pattern": _TIMESTAMP_PATTERN}),
        ("2024-05-01T10:00:00.1234567", "pattern", {"pattern": _TIMESTAMP_PATTERN}),
        ("2024-05-01 10:00:00Z", "format", {"format": "date-time"}),
        ("2024-02-30T10:00:00Z", "format", {"format": "date-time"}),
        (5, "type", {"type": "string"}),
        (None, "type", {"type": "string"}),
        ([], "type", {"type": "string"}),
    ],
)
def test_a_pattern_beside_date_time_is_judged_before_the_format(timestamp: Any, keyword: str, params: dict[str, Any]) -> None:
    parsed = parse_message(json.dumps(_message(timestamp=timestamp)))
    assert isinstance(parsed, ParseError)
    (issue,) = parsed.errors
    assert (issue.path, issue.keyword, issue.params) == ("/timestamp", keyword, params)
    # From Python (validate_message) the pattern is a check before the date-time rule: it alone fails.
    checked = validate_message(_message(timestamp=timestamp))
    assert not checked.ok
    if keyword == "pattern":
        assert [(e.path, e.keyword, e.params) for e in checked.errors] == [("/timestamp", keyword, params)]


def test_the_bundled_protocol_has_no_alias_so_parse_reads_keys_without_by_name() -> None:
    assert _PARSER._wire_keys_only is False


class _Inner(_model.WireModel):  # type: ignore[misc,name-defined]
    class_: int = Field(alias="class")


class _Outer(_model.WireModel):  # type: ignore[misc,name-defined]
    kind: Literal["outer"]
    inner: _Inner


class _Plain(_model.WireModel):  # type: ignore[misc,name-defined]
    kind: Literal["plain"]
    n: int = 0


def test_an_alias_only_in_a_nested_model_still_reads_keys_by_wire_name() -> None:
    union = Annotated[_Outer | _Plain, Field(discriminator="kind")]
    parser = _parser.MessageParser(
        TypeAdapter(union), discriminator="kind", discriminator_attr="kind", tags=("outer", "plain"), open_fields={}, deep_fields={}
    )
    assert parser._wire_keys_only is True
    assert parser.parse_message('{"kind": "outer", "inner": {"class": 1}}').ok
    refused = parser.parse_message('{"kind": "outer", "inner": {"class_": 1}}')
    assert not refused.ok and refused.errors[0].path.startswith("/inner")


def test_names_an_alias_reads_definitions_and_lists() -> None:
    assert not _parser._names_an_alias(TypeAdapter(Annotated[_Plain, Field()]).core_schema)
    assert _parser._names_an_alias(TypeAdapter(list[_Outer]).core_schema)
    assert _parser._names_an_alias({"type": "definitions", "definitions": [{"validation_alias": "x"}]})


def test_a_valid_message_comes_back_as_a_parse_ok_built_without_a_python_init() -> None:
    from wsgen_protocol import ParseOk

    result = parse_message(json.dumps(_message()))
    assert isinstance(result, ParseOk) and result.ok is True
    assert result.value.type == "ping" and repr(result) == f"ParseOk({result.value!r})"
    # The class parse_message builds runs no Python __init__ (object's own, called with no arguments).
    assert type(result).__init__ is object.__init__ and type(result).__slots__ == ()
    # Each result is its own object: a later parse changes no earlier result.
    again = parse_message(json.dumps(_message(message_id="m2")))
    assert again is not result and result.value.message_id is None and again.value.message_id == "m2"
