"""``to_json`` (every frame the runtime sends) writes what the stdlib encoder writes, refuses what it refuses."""

from __future__ import annotations

import json
import math

import pytest

from wsgen_runtime.wire import to_json

#: The reference: compact, insertion order, non-ASCII kept, NaN and Infinity refused.
STDLIB = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)

VALUES = [
    {"type": "agent_message", "message": "x" * 200, "seq": 7, "data": {"n": None, "t": True, "f": False}},
    {"text": 'é 日本 \u2028 </script> "quoted" \\ \n\t\x00\x1f', "emoji": "\U0001f600"},
    {"ints": [0, -1, 2**53, 2**70, -(2**70)]},
    {"words": "NaN and Infinity inside a string", "NaN": "key"},
    {"nested": [[[{"a": []}]], {}], "empty": ""},
]


@pytest.mark.parametrize("value", VALUES)
def test_writes_the_stdlib_encoders_text(value: dict[str, object]) -> None:
    assert to_json(value) == STDLIB.encode(value)
    assert json.loads(to_json(value)) == value


def test_floats_read_back_to_the_same_value() -> None:
    """Small numbers may be spelled otherwise (``1e-7``, ``0.000025`` for the stdlib's ``1e-07``, ``2.5e-05``,
    as JSON.stringify writes them), never valued otherwise."""
    floats = [1.5, -0.0, 1e16, 1e-7, 0.1, 123456789.123456789, 5e-324, 1.7976931348623157e308, 2.5e-5]
    text = to_json({"f": floats})
    back = json.loads(text)["f"]
    assert [(x, math.copysign(1, x)) for x in back] == [(x, math.copysign(1, x)) for x in floats]
    assert text.replace("e-7", "e-07").replace("0.000025", "2.5e-05") == STDLIB.encode({"f": floats})


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_refuses_nan_and_infinity_as_the_stdlib_does(bad: float) -> None:
    with pytest.raises(ValueError):
        to_json({"progress": bad})
    with pytest.raises(ValueError):
        to_json({"deep": [{"x": bad}]})


def test_an_unknown_object_raises_type_error() -> None:
    with pytest.raises(TypeError):
        to_json({"x": object()})


def test_a_lone_surrogate_is_written_as_the_stdlib_writes_it() -> None:
    assert to_json({"s": "\ud800"}) == STDLIB.encode({"s": "\ud800"})


def test_timestamps_match_the_clock_across_millisecond_and_second_boundaries() -> None:
    """``timestamp`` caches the text per millisecond and the date-time part per second: every value, in any order
    (a clock that steps back included), still reads as JavaScript's ``toISOString`` of that instant."""
    from datetime import datetime, timezone

    from wsgen_runtime.wire import timestamp

    base = 1_700_000_000.0
    steps = [0.0, 0.0004, 0.001, 0.999, 1.0, 1.0005, 59.999, 60.0, 86_399.999, 86_400.0, 0.5, 1.0, 3600.123, 3599.9995]
    for step in steps:
        now = base + step
        want = datetime.fromtimestamp(int(now * 1000) / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        assert timestamp(now) == want, step
