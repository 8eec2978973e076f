"""The fast forms of field schemas in parse_message's JSON validator (``_json_fast_paths``) accept exactly what
the field's own schema accepts, give the same value, and refuse with ``REREAD`` only (the message is then read
again by the exact validator, whose issues stand).

bench/python/bench_parse.py measures the cost; these tests hold the behaviour.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field, StringConstraints, TypeAdapter, ValidationError
from pydantic_core import SchemaValidator
from shipped import shipped
from wsgen_protocol.parse import _PARSER

_fast = shipped("_json_fast_paths")
_wire_formats = shipped("_wire_formats")
_formats = shipped("_formats")

#: Texts around the date-time grammar: every fraction length, offsets, and what the grammar or the calendar refuses.
_DATES = ["2024-05-01T10:00:00", "2024-02-29T23:59:59", "2023-02-29T10:00:00", "0000-01-01T00:00:00", "9999-12-31T23:59:59",
          "2024-04-31T10:00:00", "2024-05-01t10:00:00", "2024-05-01 10:00:00", "2024-13-01T10:00:00", "2024-05-01T24:00:00",
          "2024-05-01T10:00:60", "2024-5-01T10:00:00", "2024-05-01T10:00"]
_FRACTIONS = ["", ".", ".0", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".1234567", ".12345678", ".123456789",
              ".1234567890", ".000000", ".9999999", ".1.2", "..1", ".12a"]
_OFFSETS = ["Z", "z", "+00:00", "-00:00", "+05:30", "-23:59", "+24:00", "+05:60", "+0530", "", "Z ", " Z", "+05:30Z"]
_TEXTS = [d + f + o for d, f, o in itertools.product(_DATES[:2], _FRACTIONS, _OFFSETS)]
_TEXTS += [d + f + o for d, f, o in itertools.product(_DATES, [".123", ".1234567", ""], ["Z", "+05:30"])]
_TEXTS += ["", ".", "Z", "2024-05-01T10:00:00.123Z\n", "\u00e9", "2024-05-01T10:00:00.123\u00e9Z", "x.1234567"]
#: JSON values of the date-time field: the texts, and values of other JSON types.
_JSON = [json.dumps(t) for t in _TEXTS] + ["1", "1.5", "true", "null", "[]", "{}", '["2024-05-01T10:00:00Z"]']


def _validators(digits: int) -> tuple[SchemaValidator, SchemaValidator]:
    """The exact validator of a date-time field with the fraction-limit pattern of ``digits``, and its fast form."""
    field = Annotated[datetime, _wire_formats.DateTimeFormat, _formats.TextPattern(_fast.fraction_pattern(digits))]
    schema = TypeAdapter(field).core_schema
    fast = _fast.fast_field_schema(schema)
    assert fast is not None, "the date-time field beside a fraction-limit pattern has a fast form"
    return SchemaValidator(schema), SchemaValidator(fast)


def _outcome(validator: SchemaValidator, text: str) -> Any:
    try:
        value = validator.validate_json(text)
    except ValidationError as exc:
        return [e["type"] for e in exc.errors()]
    return ("ok", repr(value), value.utcoffset())


@pytest.mark.parametrize("digits", range(10))
def test_date_time_beside_a_fraction_limit_has_the_exact_verdicts_and_values(digits: int) -> None:
    exact, fast = _validators(digits)
    accepted = 0
    for text in _JSON:
        want, got = _outcome(exact, text), _outcome(fast, text)
        if isinstance(want, tuple):
            accepted += 1
            assert got == want, text
        else:
            # Refused: by the one error that sends the message to the exact validator.
            assert got == [_fast.REREAD], (text, want, got)
    assert accepted >= 10


def test_the_fraction_limit_pattern_means_what_its_docstring_says() -> None:
    # On texts of the date-time grammar, the pattern holds exactly when the fraction has at most N digits.
    grammar = SchemaValidator(TypeAdapter(str).core_schema | {"pattern": _wire_formats.RFC3339_RE})
    for digits, text in itertools.product(range(10), _TEXTS):
        try:
            grammar.validate_python(text)
        except ValidationError:
            continue
        after_dot = text.partition(".")[2]
        count = len(after_dot) - len(after_dot.lstrip("0123456789"))  # the fraction's digits
        check = SchemaValidator(TypeAdapter(str).core_schema | {"pattern": _fast.fraction_pattern(digits)})
        try:
            check.validate_python(text)
            holds = True
        except ValidationError:
            holds = False
        assert holds == (count <= digits), (digits, text)


def test_other_patterns_beside_date_time_keep_their_schema() -> None:
    for pattern in ["^[^.]*(\\.[0-9]{0,6}([^0-9.][^.]*)?)*", "^2024-", "^[^.]*(\\.[0-9]{0,10}([^0-9.][^.]*)?)*$"]:
        field = Annotated[datetime, _wire_formats.DateTimeFormat, _formats.TextPattern(pattern)]
        assert _fast.fast_field_schema(TypeAdapter(field).core_schema) is None, pattern


def _message(timestamp: str, extra: str = "") -> str:
    return f'{{"type": "agent_message", "agent": "guide_agent", "timestamp": {timestamp}, "message": "m"{extra}}}'


def _result(parsed: Any) -> Any:
    if parsed.ok:
        return ("ok", type(parsed.value).__name__, repr(parsed.value.model_dump(exclude_unset=True)))
    return ("error", [issue.to_dict() for issue in parsed.errors])


def test_the_bundled_protocol_reads_its_timestamps_through_the_fast_form() -> None:
    text = _message('"2024-05-01T10:00:00.1234567Z"')
    with pytest.raises(ValidationError) as caught:
        _PARSER._json_validator.validate_json(text)
    assert [e["type"] for e in caught.value.errors()] == [_fast.REREAD]


@pytest.mark.parametrize("fault", ["", ', "seq": -1', ', "stray": 1', ', "data": 9007199254740992'])
@pytest.mark.parametrize("timestamp", _JSON[::3])
def test_parse_message_has_the_verdict_and_issues_of_the_exact_parse(timestamp: str, fault: str) -> None:
    text = _message(timestamp, fault)
    assert _result(_PARSER.parse_message(text)) == _result(_PARSER._walk_parse(text))


_model = shipped("_model")
_parser = shipped("_parser")


class _Note(_model.WireModel):  # type: ignore[misc,name-defined]
    kind: Literal["note"]
    text: Annotated[str, StringConstraints(max_length=1024)]
    title: Annotated[str, StringConstraints(max_length=8)] | None = None


def _note_parser() -> Any:
    union = Annotated[_Note, Field(discriminator="kind")]
    return _parser.MessageParser(TypeAdapter(union), discriminator="kind", discriminator_attr="kind", tags=("note",), open_fields={}, deep_fields={})


#: Strings of about 1024 code points written in JSON several ways: each code point takes one text character or more.
_PIECES = ["a", "\\u00e9", "\u00e9", "\U0001f600", "\\ud83d\\ude00", "\\n", "\\ud800", "\\udc00x", "\\\\"]


def test_a_short_text_skips_the_max_length_it_cannot_exceed() -> None:
    parser = _note_parser()
    assert parser._short_text is not None and parser._short_text[0] == 1024
    assert _fast.short_text_limit(TypeAdapter(Annotated[_Note, Field(discriminator="kind")]).core_schema) == 1024
    assert _PARSER._short_text is not None and _PARSER._short_text[0] == 32768


@pytest.mark.parametrize("piece", _PIECES)
@pytest.mark.parametrize("count", [1000, 1004, 1005, 1006, 1010, 1023, 1024, 1025, 1026, 1100])
def test_max_length_has_the_exact_verdicts_and_issues_on_both_sides_of_the_limit(piece: str, count: int) -> None:
    parser = _note_parser()
    padding = max(0, count - 1000)
    for text in (
        f'{{"kind": "note", "text": "{piece * count}"}}',
        f'{{"kind": "note", "text": "{"a" * (1024 - padding)}{piece * padding}"}}',
        f'{{"kind": "note", "title": "{piece * 9}", "text": "{piece * (count // 8)}"}}',
    ):
        for data in (text, text.encode("utf-8", "surrogatepass")):
            assert _result_of(parser.parse_message(data)) == _result_of(parser._walk_parse(data)), (piece, count, len(data))


def _result_of(parsed: Any) -> Any:
    if parsed.ok:
        return ("ok", parsed.value.model_dump(exclude_unset=True))
    return ("error", [issue.to_dict() for issue in parsed.errors])


@pytest.mark.parametrize("length", [4000, 32767, 32768, 32769])
def test_the_bundled_message_field_keeps_its_max_length(length: int) -> None:
    for piece in ("a", "\u00e9", "\U0001f600", "\\u00e9"):
        text = _message('"2024-05-01T10:00:00Z"', f', "data": "{piece * length}"').replace('"message": "m"', f'"message": "{piece * length}"')
        assert _result_of(_PARSER.parse_message(text)) == _result_of(_PARSER._walk_parse(text)), (piece, length)


_integers = shipped("_integers")
#: JSON numbers and other values around 0, the bounds below, 2^53 and 64 bits.
_INTEGERS = ["0", "1", "-1", "1.0", "-0.0", "1e2", "1.5", "true", '"1"', "null", "[]", "{}", "NaN", "Infinity", "1e400",
             "1000000", "1000001", "-2", "9007199254740991", "9007199254740992", str(2**63 - 1), str(2**63), str(-(2**63)),
             str(-(2**63) - 1), "1" + "0" * 400, "1000000.0", "9007199254740991.0"]


@pytest.mark.parametrize(
    "bounds", [{}, {"ge": 0, "le": 1000000}, {"ge": 0, "le": 2**53 - 1}, {"gt": -2, "lt": 1000001}, {"ge": -(2**63), "le": 2**63 - 1}]
)
def test_a_bounded_integer_has_the_exact_verdicts_and_values(bounds: dict[str, int]) -> None:
    schema = TypeAdapter(Annotated[int, _integers.Integral(**bounds)]).core_schema
    fast = _fast.fast_field_schema(schema)
    assert fast is not None, "an integer with bounds within 64 bits has a fast form"
    exact, quick = SchemaValidator(schema), SchemaValidator(fast)
    accepted = 0
    for text in _INTEGERS:
        want, got = _number_outcome(exact, text), _number_outcome(quick, text)
        # What the fast form accepts it reads as the exact schema does; the rest (1.0 too) is read again.
        assert got == want if isinstance(got, tuple) else got == [_fast.REREAD], (text, want, got)
        accepted += isinstance(got, tuple)
    assert accepted >= 3


def _number_outcome(validator: SchemaValidator, text: str) -> Any:
    try:
        value = validator.validate_json(text)
    except ValidationError as exc:
        return [e["type"] for e in exc.errors()]
    return ("ok", type(value).__name__, value)


@pytest.mark.parametrize("bounds", [{"ge": 0.5}, {"le": 2**64}, {"lt": 10.5, "ge": 0}])
def test_an_integer_with_a_fractional_or_big_bound_keeps_its_schema(bounds: dict[str, float]) -> None:
    assert _fast.fast_field_schema(TypeAdapter(Annotated[int, _integers.Integral(**bounds)]).core_schema) is None


@pytest.mark.parametrize("value", _INTEGERS)
@pytest.mark.parametrize("field", ["seq", "stream_index"])
def test_the_bundled_integers_parse_as_the_exact_parse_reads_them(field: str, value: str) -> None:
    text = '{"type": "agent_streaming", "message_id": "m1", "timestamp": "2024-05-01T10:00:00Z", "message": "m", "is_streaming": true, "stream_index": 1, "seq": 2}'
    text = text.replace(f'"{field}": {1 if field == "stream_index" else 2}', f'"{field}": {value}')
    assert _result_of(_PARSER.parse_message(text)) == _result_of(_PARSER._walk_parse(text))


def test_the_bundled_protocol_reads_its_integers_through_the_fast_form() -> None:
    text = '{"type": "agent_streaming", "message_id": "m1", "timestamp": "2024-05-01T10:00:00Z", "message": "m", "is_streaming": true, "stream_index": 1.0}'
    with pytest.raises(ValidationError) as caught:
        _PARSER._json_validator.validate_json(text)
    assert [e["type"] for e in caught.value.errors()] == [_fast.REREAD]
    assert _PARSER.parse_message(text).ok


#: JSON values of a uuid field: the 8-4-4-4-12 form in any case, and what the grammar refuses (braces, urn prefix,
#: no hyphens, a wrong group length, a non-hex digit, a trailing newline), and values of other JSON types.
_UUIDS = [
    json.dumps(u)
    for u in ["3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60", "3F1C2A9E-8B7D-4C6E-9F0A-1B2C3D4E5F60", "00000000-0000-0000-0000-000000000000",
              "{3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60}", "urn:uuid:3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60", "3f1c2a9e8b7d4c6e9f0a1b2c3d4e5f60",
              "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f6", "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f600", "3f1c2a9g-8b7d-4c6e-9f0a-1b2c3d4e5f60",
              "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60\n", "", "\u00e9"]
] + ["1", "null", "true", "[]", "{}", '["3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60"]']


def test_a_uuid_has_the_exact_verdicts_and_values() -> None:
    schema = TypeAdapter(Annotated[str, _wire_formats.UuidFormat]).core_schema
    fast = _fast.fast_field_schema(schema)
    assert fast is not None, "a uuid field has a fast form"
    exact, quick = SchemaValidator(schema), SchemaValidator(fast)

    def outcome(validator: SchemaValidator, text: str) -> Any:
        try:
            return ("ok", validator.validate_json(text))
        except ValidationError as exc:
            return [e["type"] for e in exc.errors()]

    accepted = 0
    for text in _UUIDS:
        want, got = outcome(exact, text), outcome(quick, text)
        if isinstance(want, tuple):
            accepted += 1
            assert got == want, text
        else:
            assert got == [_fast.REREAD], (text, want, got)
    assert accepted == 3
    # Read from Python, the field is unchanged.
    assert quick.validate_python("3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60") == "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60"
    with pytest.raises(ValidationError) as caught:
        quick.validate_python("x")
    assert [e["type"] for e in caught.value.errors()] == ["format"]


@pytest.mark.parametrize("value", _UUIDS)
def test_the_bundled_file_uuids_parse_as_the_exact_parse_reads_them(value: str) -> None:
    text = f'{{"type": "file_selected", "timestamp": "2024-05-01T10:00:00Z", "file_name": "a.csv", "file_uuid": {value}}}'
    assert _result(_PARSER.parse_message(text)) == _result(_PARSER._walk_parse(text))
    if not _PARSER.parse_message(text).ok:
        with pytest.raises(ValidationError) as caught:
            _PARSER._json_validator.validate_json(text)
        assert [e["type"] for e in caught.value.errors()] == [_fast.REREAD]
