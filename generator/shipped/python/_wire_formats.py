"""``date-time`` and ``uuid`` as the wire profile narrows them (RFC 3339 §5.6, RFC 9562 §4), with the TS validator's errors.

The general format grammars shared with the TypeScript target are in ``_formats.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

__all__ = ["RFC3339_RE", "UUID_RE", "DateTimeFormat", "UuidFormat", "date_time_text", "parsed_date_time", "rfc3339_re", "uuid_text"]


def rfc3339_re(max_fraction_digits: int = 9) -> str:
    """The wire grammar of date-time with at most ``max_fraction_digits`` (0 to 9) fraction digits: RFC3339_RE
    when 9, no fraction at all when 0. Raises ValueError for another count."""
    if not 0 <= max_fraction_digits <= 9:
        raise ValueError(f"max_fraction_digits must be 0 to 9, got {max_fraction_digits}")
    fraction = rf"(\.[0-9]{{1,{max_fraction_digits}}})?" if max_fraction_digits else ""
    return (
        r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
        rf"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]{fraction}"
        r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
    )


#: The wire grammar of date-time: YYYY-MM-DDTHH:MM:SS[.1-9 digits](Z|+HH:MM|-HH:MM), uppercase T and Z.
#: Calendar checks (month lengths, leap years, year 0000) are left to ``datetime.fromisoformat``,
#: which keeps microseconds: digits 7 to 9 are truncated, never rounded.
RFC3339_RE: Final = rfc3339_re()

#: A UUID in its 8-4-4-4-12 hex form, any case, no braces or urn prefix.
UUID_RE: Final = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def _whole_minute_offset(value: datetime) -> datetime:
    offset = value.utcoffset()
    if offset is None or offset % timedelta(minutes=1):
        raise PydanticCustomError("format", 'must match format "date-time"', {"format": "date-time"})
    return value


def _format_error(schema: core_schema.CoreSchema, fmt: str) -> core_schema.CoreSchema:
    return core_schema.custom_error_schema(
        schema, custom_error_type="format", custom_error_message=f'must match format "{fmt}"', custom_error_context={"format": fmt}
    )


def _dump_datetime(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parsed_date_time(grammar: str) -> core_schema.CoreSchema:
    """A str matching ``grammar`` (a date-time grammar whose offset is mandatory: RFC3339_RE, ``rfc3339_re(n)``), parsed
    to an aware datetime by ``datetime.fromisoformat``; any failure a ``ValueError`` (pydantic-core's value_error).

    fromisoformat (Python 3.11+) reads every text of the grammar (``Z`` as ``timezone.utc``, ``±HH:MM`` as a fixed
    ``timezone``), refuses the days a month lacks and year 0000, and truncates fraction digits 7 to 9, never rounding.
    It is called from pydantic-core with no Python frame, cheaper than pydantic's datetime parser after a str step."""
    return core_schema.no_info_after_validator_function(datetime.fromisoformat, core_schema.str_schema(strict=True, pattern=grammar))


def date_time_text(grammar: str = RFC3339_RE) -> core_schema.CoreSchema:
    """The step of DateTimeFormat's JSON chain after its strict str: ``parsed_date_time(grammar)``, any failure a
    ``format`` error naming date-time."""
    return _format_error(parsed_date_time(grammar), "date-time")


class DateTimeFormat:
    """``format: date-time`` as wsgen's wire rule narrows RFC 3339; the value is an aware datetime.

    JSON: a string matching RFC3339_RE, then ``datetime.fromisoformat`` (rejects Feb 30 and
    year 0000; keeps microseconds, truncating fraction digits 7 to 9; ``Z`` is ``timezone.utc``). Python values
    may also be aware datetimes with a whole-minute offset. Serialized as ISO 8601 with ``Z``
    for UTC (6 fraction digits, none when the microsecond is 0), which matches the grammar again.
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """A str of the grammar parsed to an aware datetime (JSON); an aware datetime or such a str (Python)."""
        from_text = core_schema.chain_schema([core_schema.str_schema(strict=True), date_time_text()])
        instance = core_schema.no_info_after_validator_function(
            _whole_minute_offset, core_schema.datetime_schema(strict=True, tz_constraint="aware")
        )
        return core_schema.json_or_python_schema(
            json_schema=from_text,
            python_schema=core_schema.union_schema([instance, from_text], mode="left_to_right"),
            serialization=core_schema.plain_serializer_function_ser_schema(_dump_datetime, when_used="json"),
        )


def uuid_text() -> core_schema.CoreSchema:
    """UuidFormat's schema: a strict str (else a ``type`` error), then UUID_RE inside a ``format`` error naming uuid."""
    return core_schema.chain_schema([core_schema.str_schema(strict=True), _format_error(core_schema.str_schema(pattern=UUID_RE), "uuid")])


class UuidFormat:
    """``format: uuid``: the 8-4-4-4-12 hex form only (pydantic's UUID type accepts more forms); the value stays a str."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """A strict str, then UUID_RE inside a ``format`` custom error (``uuid_text``)."""
        return uuid_text()
