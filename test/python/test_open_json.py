"""parse_message's JSON validator bounds the numbers of open fields inside pydantic-core (``_open_json``),
and keeps the verdicts and issues of the walking parse it replaces (the union's own validator, then a
walk of the open fields' values, I-JSON RFC 7493 §2.2); the 64-bit branch of INTEGER keeps its verdicts.

bench/python/bench_parse.py measures the cost; these tests hold the behaviour.
"""

from __future__ import annotations

import itertools
import json
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field, TypeAdapter, ValidationError
from pydantic_core import SchemaValidator, core_schema
from shipped import shipped
from wsgen_protocol import UserMessage
from wsgen_protocol.models import WebSocketMessage
from wsgen_protocol.parse import _PARSER

_model = shipped("_model")
_parser = shipped("_parser")
_open_json = shipped("_open_json")
_integers = shipped("_integers")

M = 2**53 - 1
OPEN = ("data", "metadata", "additional_info", "error_details")

#: Values beyond ±(2^53 − 1), or not JSON numbers at all, at several depths (JSON text).
UNSAFE = ["9007199254740992", "-9007199254740992", "1e300", "9007199254740991.5", "NaN", "Infinity", "-Infinity",
          "1" + "0" * 30, '[[{"a": 9007199254740992}]]', '{"a": [1, 2, {"b": -1e17}]}']
#: Values every target reads exactly (JSON text).
SAFE = [str(M), str(-M), "0.5", "-0.0", "1e-300", "1.0", "true", "false", "null", '"x"', "[]", "{}",
        '{"a": [1, "b", null, {"c": 2.5}], "a": 3}', '[[[[9007199254740991]]]]',
        # Every JSON type beside every other, in objects and arrays (the branch order of the bounded value is chosen for cost).
        '[{}, [], "s", 1, -1.5, true, false, null, {"n": 12, "f": 3.5, "s": "t", "b": false, "z": null, "l": [0, [0.0]]}]',
        '{"series": [{"x": 0, "y": 0}, {"x": 1, "y": 1.0}], "t": [true, 1, 1.0, "1", null]}']


def _text(field: str, value: str, extra: str = "") -> str:
    # metadata, additional_info and error_details are objects: the value sits under a key there.
    wrapped = value if field == "data" else f'{{"k": {value}}}'
    return f'{{"type": "agent_message", "agent": "guide_agent", "timestamp": "2024-05-01T10:00:00Z", "message": "m", "{field}": {wrapped}{extra}}}'


def _result(parsed: Any) -> Any:
    if parsed.ok:
        return ("ok", type(parsed.value).__name__, repr(parsed.value.model_dump(exclude_unset=True)))
    return ("error", [issue.to_dict() for issue in parsed.errors])


def test_the_bundled_protocol_parses_json_through_the_bounded_validator() -> None:
    assert _PARSER._json_validator is not None
    assert _PARSER.parse_message is not _PARSER._walk_parse


@pytest.mark.parametrize(("field", "value"), list(itertools.product(OPEN, UNSAFE)))
def test_the_bounded_validator_refuses_every_unsafe_number_itself(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _PARSER._json_validator.validate_json(_text(field, value))
    assert [e["type"] for e in caught.value.errors()] == [_open_json.UNSAFE_NUMBER]


@pytest.mark.parametrize(("field", "value"), list(itertools.product(OPEN, SAFE)))
def test_a_safe_open_value_parses_to_the_same_value_as_the_walking_parse(field: str, value: str) -> None:
    text = _text(field, value)
    fast, walked = _PARSER.parse_message(text), _PARSER._walk_parse(text)
    assert fast.ok and walked.ok
    got, want = getattr(fast.value, field), getattr(walked.value, field)
    # Same values of the same types (an int stays an int, 1.0 a float, -0.0 keeps its sign).
    assert repr(got) == repr(want) and json.dumps(got) == json.dumps(want)


_FAULTS = ["", ', "seq": -1', ', "stray": 1', ', "message": ""', ', "progress": NaN', ', "seq": 9007199254740992']


@pytest.mark.parametrize(("first", "second", "fault"), list(itertools.product(["1", *UNSAFE[:5]], ["2", UNSAFE[0], UNSAFE[4]], _FAULTS)))
def test_parse_message_has_the_verdict_and_issues_of_the_walking_parse(first: str, second: str, fault: str) -> None:
    # Two open fields, written out of schema order, beside another fault or none.
    text = _text("error_details", first, f', "data": {second}{fault}')
    assert _result(_PARSER.parse_message(text)) == _result(_PARSER._walk_parse(text))


def test_model_classes_keep_their_own_validators_complete() -> None:
    # The bounded validator is built with the classes marked incomplete for a moment; the mark is restored,
    # and a model's own validation still reads an open field as any JSON (parse_message's rule is its own).
    for cls in WebSocketMessage.__args__[0].__args__:
        assert cls.__dict__["__pydantic_complete__"] is True
    assert UserMessage.model_validate_json(_text("data", "9007199254740992").replace("agent_message", "user_message")).data == 2**53


class _Loose(_model.WireModel):  # type: ignore[misc,name-defined]
    kind: Literal["loose"]
    extra: dict[str, Any] | None = None  # nullable: not an open value the bounded validator rewrites


def test_a_schema_whose_open_fields_cannot_be_bounded_keeps_the_walk() -> None:
    union = Annotated[_Loose, Field(discriminator="kind")]
    parser = _parser.MessageParser(
        TypeAdapter(union), discriminator="kind", discriminator_attr="kind", tags=("loose",), open_fields={"loose": ("extra",)}, deep_fields={}
    )
    assert parser._json_validator is None and parser.parse_message is parser._walk_parse
    refused = parser.parse_message('{"kind": "loose", "extra": {"n": 9007199254740992}}')
    assert not refused.ok and [(e.path, e.keyword) for e in refused.errors] == [("/extra", "number")]


#: INTEGER as it was before its 64-bit branch: the reference its verdicts must keep.
_INTEGER_BEFORE = core_schema.custom_error_schema(
    core_schema.union_schema(
        [
            core_schema.int_schema(strict=True, lt=_integers.DOUBLE_OVERFLOW, gt=-_integers.DOUBLE_OVERFLOW),
            core_schema.chain_schema(
                [core_schema.float_schema(strict=True, allow_inf_nan=False), core_schema.no_info_plain_validator_function(_integers._int_from_float)]
            ),
        ],
        mode="left_to_right",
    ),
    custom_error_type="int_type",
)

_NUMBERS = ["0", "1", "-1", "1.0", "1e2", "1.5", "true", '"1"', "null", "[]", "{}", "NaN", "Infinity", "-Infinity", "1e400", "-0.0",
            str(2**63 - 1), str(2**63), str(-(2**63)), str(-(2**63) - 1), "1" + "0" * 400, "-1" + "0" * 400,
            str(_integers.DOUBLE_OVERFLOW), str(_integers.DOUBLE_OVERFLOW - 1), str(-_integers.DOUBLE_OVERFLOW), "2000000"]


def _outcome(schema: core_schema.CoreSchema, text: str) -> Any:
    try:
        value = SchemaValidator(schema).validate_json(text)
        return ("ok", type(value).__name__, value)
    except ValidationError as exc:
        return [(e["type"], e["loc"], e["msg"], e.get("ctx")) for e in exc.errors(include_url=False)]


@pytest.mark.parametrize("text", _NUMBERS)
@pytest.mark.parametrize("bounds", [{}, {"ge": 0, "le": 1000000}, {"ge": -M, "le": M}])
def test_integer_keeps_its_verdicts_with_a_64_bit_branch_first(text: str, bounds: dict[str, Any]) -> None:
    after = core_schema.chain_schema([_integers.INTEGER, core_schema.int_schema(strict=True, **bounds)])
    before = core_schema.chain_schema([_INTEGER_BEFORE, core_schema.int_schema(strict=True, **bounds)])
    assert _outcome(after, text) == _outcome(before, text)
    # The first branch's bounds are 64-bit integers, which pydantic-core compares without big-integer arithmetic.
    first = _integers.INTEGER["choices"][0]
    assert -(2**63) <= first["ge"] and first["le"] <= 2**63 - 1
