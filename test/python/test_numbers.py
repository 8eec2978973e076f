"""Numbers in the Python target (PROTOCOL.md "numbers"): the open-field range rule on parsed and
Python values, integers that a double reads as Infinity, and numbers in issue messages written as
ECMAScript's Number::toString writes them."""

from __future__ import annotations

import math
from typing import Any

import pytest

import wsgen_protocol as w
from wsgen_protocol._wire import DOUBLE_OVERFLOW, INTEGER, MAX_SAFE_INTEGER, unsafe_number
from wsgen_protocol.parse import _number_text

TS = "2024-05-01T10:00:00Z"
MAX = MAX_SAFE_INTEGER
UNSAFE = {"keyword": "number", "message": f"must hold only numbers from -{MAX} to {MAX}", "params": {"limit": MAX}}


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (MAX, True),
        (-MAX, True),
        (float(MAX), True),
        (0.5, True),
        (-0.0, True),
        (True, True),
        ("9007199254740993", True),
        ([1, {"a": None}], True),
        (MAX + 1, False),
        (-MAX - 1, False),
        (10**20, False),
        (1e20, False),
        (math.inf, False),
        (-math.inf, False),
        (math.nan, False),
        ([1, {"a": [2, 10**400]}], False),
        ({"k": (1, 2e300)}, False),
    ],
)
def test_validate_message_holds_open_fields_to_the_range(value: Any, ok: bool) -> None:
    """Python values reach the same rule as parsed JSON: TS validateMessage refuses the same numbers."""
    r = w.validate_message({"type": "ping", "timestamp": TS, "metadata": {"v": value}})
    assert r.ok is ok, (value, r)
    if isinstance(r, w.ParseError):
        assert r.errors[0].to_dict() == {"path": "/metadata", **UNSAFE}


@pytest.mark.parametrize("data", ["1e20", "9007199254740993", "-1" + "0" * 4300, "[1, 1" + "0" * 5000 + "]"])
def test_parse_message_bytes_and_str_alike(data: str) -> None:
    text = '{"type":"ping","timestamp":"%s","data":%s}' % (TS, data)
    for r in (w.parse_message(text), w.parse_message(text.encode())):
        assert isinstance(r, w.ParseError)
        assert r.errors[0].to_dict() == {"path": "/data", **UNSAFE}


def test_nan_and_infinity_literals_stay_json_errors() -> None:
    """A NaN literal is not JSON (TS JSON.parse refuses it): still a json issue, not a range issue."""
    for literal in ("NaN", "Infinity", "-Infinity", "[1,NaN]"):
        r = w.parse_message('{"type":"ping","timestamp":"%s","data":%s}' % (TS, literal))
        assert isinstance(r, w.ParseError)
        assert r.errors[0].keyword == "json", literal


def test_integer_fields_refuse_what_a_double_reads_as_infinity() -> None:
    """2^1024 - 2^970 and beyond read as Infinity in JavaScript ("must be integer"); just below, as the largest double."""
    from pydantic_core import SchemaValidator

    v = SchemaValidator(INTEGER)
    assert v.validate_json(str(DOUBLE_OVERFLOW - 1)) == DOUBLE_OVERFLOW - 1
    assert float(DOUBLE_OVERFLOW - 1) == 1.7976931348623157e308
    with pytest.raises(OverflowError):
        float(DOUBLE_OVERFLOW)
    for text in (str(DOUBLE_OVERFLOW), str(-DOUBLE_OVERFLOW), "1" + "0" * 400):
        r = w.parse_message('{"type":"ping","timestamp":"%s","seq":%s}' % (TS, text))
        assert isinstance(r, w.ParseError)
        assert r.errors[0].to_dict() == {"path": "/seq", "keyword": "type", "message": "must be integer", "params": {"type": "integer"}}


def test_unsafe_number_walks_every_container() -> None:
    assert not unsafe_number({"a": [1, (2, {"b": MAX})], "c": "1e400", "d": None, "e": False})
    assert unsafe_number({"a": [1, (2, {"b": MAX + 1})]})


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.000025, "0.000025"),
        (2.5e-05, "0.000025"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (1e-6, "0.000001"),
        (123456789012345678901234, "1.2345678901234569e+23"),
        (-0.0, "0"),
        (0, "0"),
        (5, "5"),
        (5.0, "5"),
        (-1.5, "-1.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (MAX, "9007199254740991"),
        (1.5e300, "1.5e+300"),
        (-1e-7, "-1e-7"),
        (123e-20, "1.23e-18"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (math.nan, "NaN"),
    ],
)
def test_number_text_is_ecmascript_number_to_string(value: float, text: str) -> None:
    assert _number_text(value) == text


def test_bound_messages_and_params_read_as_in_typescript() -> None:
    """The bundled schema's progress bounds: the message prints the bound as JavaScript does, params hold an int for 1."""
    r = w.parse_message('{"type":"progress_update","timestamp":"%s","progress":1.0000001}' % TS)
    assert isinstance(r, w.ParseError)
    assert r.errors[0].to_dict() == {"path": "/progress", "keyword": "maximum", "message": "must be <= 1", "params": {"comparison": "<=", "limit": 1}}
    assert type(r.errors[0].params["limit"]) is int


@pytest.mark.parametrize(
    ("value", "expected", "dumped"),
    [
        (1e21, 1e21, "1e+21"),
        (10**21, 1e21, "1e+21"),
        (123456789012345678901234, 1.2345678901234569e23, "1.2345678901234569e+23"),
        (1e20, 10**20, "100000000000000000000"),
        (1.0, 1, "1"),
        (-0.0, 0, "0"),
        (0.000025, 0.000025, "2.5e-05"),
        (7, 7, "7"),
    ],
)
def test_params_limit_holds_the_value_javascript_holds(value: float, expected: float, dumped: str) -> None:
    """A limit is an int where JavaScript prints no fraction or exponent (below 1e21), a float otherwise,
    so that a 22-digit bound is 1e+21 in params on both sides, not a 22-digit integer."""
    import json

    from wsgen_protocol.parse import _js_value

    out = _js_value(value)
    assert out == expected and type(out) is type(expected)
    assert json.dumps(out) == dumped
