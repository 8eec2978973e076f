"""The date-time step of the wire formats (``_wire_formats.parsed_date_time``, ``datetime.fromisoformat`` after the
grammar) gives the verdict and the value an independent reading of RFC 3339 gives, on the edges where a parser can
go wrong: days 29 to 31 of every month in leap and common years (1900 and 2100 are common, 2000 is leap), years
0000, 0001 and 9999, every fraction length 0 to 9 (digits 7 to 9 truncated, never rounded), and offsets.

The TypeScript side reads the same texts with ``isDateTime`` (generator/shipped/ts/wire-formats.js); the conformance
vectors and the differential tests (test/conformance) hold the two targets to the same verdicts.
"""

from __future__ import annotations

import calendar
import itertools
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter, ValidationError
from pydantic_core import SchemaValidator, core_schema
from shipped import shipped

_wire_formats = shipped("_wire_formats")

_YEARS = ["0000", "0001", "1900", "1999", "2000", "2023", "2024", "2100", "9999"]
_DAYS = ["01", "28", "29", "30", "31", "32", "00"]
_FRACTIONS = ["", ".0", ".5", ".123", ".999999", ".1234567", ".99999999", ".123456789"]
_OFFSETS = ["Z", "+00:00", "-00:00", "+05:30", "-23:59", "+14:00"]


def _texts() -> list[str]:
    dates = [f"{y}-{m:02d}-{d}" for y, m, d in itertools.product(_YEARS, range(1, 13), _DAYS)]
    texts = [f"{d}T23:59:59Z" for d in dates]
    texts += [f"2024-02-29T10:20:30{f}{o}" for f, o in itertools.product(_FRACTIONS, _OFFSETS)]
    texts += [f"9999-12-31T23:59:59.999999{o}" for o in _OFFSETS] + [f"0001-01-01T00:00:00{o}" for o in _OFFSETS]
    return texts


_GRAMMAR = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))"
)


def _reference(text: str) -> Any:
    """RFC 3339 §5.6 read by hand: the datetime a text of the wire grammar names, or None when the calendar lacks its
    day or year (the fields' other ranges are the grammar's, which every text here meets or fails as a whole)."""
    match = _GRAMMAR.fullmatch(text)
    assert match is not None, text
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zulu, sign, off_h, off_m = match.groups()[6:]
    if not 1 <= month <= 12:
        return "grammar"
    if year == 0 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    offset = timedelta(0) if zulu else (1 if sign == "+" else -1) * timedelta(hours=int(off_h), minutes=int(off_m))
    micro = int((fraction or "").ljust(6, "0")[:6])
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone(offset))


def _outcome(validator: SchemaValidator, text: str) -> Any:
    try:
        return validator.validate_json(json.dumps(text))
    except ValidationError as exc:
        return [e["type"] for e in exc.errors()]


def test_the_date_time_step_gives_the_calendar_verdict_and_the_exact_value() -> None:
    step = SchemaValidator(_wire_formats.date_time_text())
    checked = accepted = 0
    for text in _texts():
        want = _reference(text)
        if want == "grammar":
            continue
        got = _outcome(step, text)
        checked += 1
        if want is None:
            assert got == ["format"], text
            continue
        accepted += 1
        assert isinstance(got, datetime), (text, got)
        # The same instant, wall-clock fields, microsecond (truncated) and offset.
        assert (got, got.replace(tzinfo=None), got.utcoffset()) == (want, want.replace(tzinfo=None), want.utcoffset()), text
    assert checked > 600 and accepted > 400


@pytest.mark.parametrize("text", ["2024-02-29T10:20:30Z", "2024-02-29T10:20:30.123456789+05:30", "2000-02-29T00:00:00-00:00"])
def test_the_value_is_the_one_pydantics_parser_gave(text: str) -> None:
    # The step that fromisoformat replaced read the same texts as the same instant, wall clock and offset.
    former = SchemaValidator(
        core_schema.chain_schema(
            [core_schema.str_schema(strict=True, pattern=_wire_formats.RFC3339_RE), core_schema.datetime_schema(strict=False, tz_constraint="aware")]
        )
    )
    now, before = _outcome(SchemaValidator(_wire_formats.date_time_text()), text), _outcome(former, text)
    assert (now, now.replace(tzinfo=None), now.utcoffset()) == (before, before.replace(tzinfo=None), before.utcoffset())


def test_the_dump_of_a_parsed_value_writes_utc_as_z() -> None:
    # Z is read as timezone.utc; the wire writes it back as Z (DateTimeFormat's serializer), any other offset as ±HH:MM.
    adapter = TypeAdapter(Annotated[datetime, _wire_formats.DateTimeFormat])
    for text, written in [("2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00.500000Z"), ("2024-05-01T10:00:00-00:00", "2024-05-01T10:00:00Z"),
                          ("2024-05-01T10:00:00+05:30", "2024-05-01T10:00:00+05:30")]:
        assert adapter.dump_json(adapter.validate_json(json.dumps(text))).decode() == json.dumps(written)
