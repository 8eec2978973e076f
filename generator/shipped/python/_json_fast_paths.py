"""Fast forms of field schemas for parse_message's JSON validator, each exact or sent back to the exact validator.

A fast form accepts only JSON values its field's own schema accepts, and gives the same Python value; where
telling *which* issue a value has (or reading a rare valid form) would cost the common values a step, the fast
form fails with the one error ``REREAD`` instead, and the caller reads the message again through the union's own
validator, whose verdict and issues are the exact ones (``_parser.MessageParser``). Read from Python, a field is
unchanged.

- ``format: date-time`` beside a pattern that only limits the fraction to N digits (the bundled protocol's wire
  profile: ``^[^.]*(\\.[0-9]{0,N}([^0-9.][^.]*)?)*$``): one regular expression, the date-time grammar with at most
  N fraction digits, instead of the pattern, the grammar and the steps around them (``fraction_pattern``).
- ``maxLength`` of a text field, for message texts no longer than it (``short_text_limit``): a string holds no more
  code points (what JSON Schema's maxLength and pydantic-core count) than the JSON text it is read from, which
  writes each code point with one character at least (an escape with several); pydantic-core counts the
  characters of every string it bounds, a 4 KB text field costing thousands of instructions.
- ``integer`` with bounds (``Integral``): a JSON int within the bounds and 64 bits, in one step instead of
  INTEGER's union and the chained bounds (a JSON ``1.0``, which INTEGER reads as 1, goes to the exact validator).
- ``format: uuid`` (``UuidFormat``): one str step with the UUID grammar instead of a str step, then a second str
  step holding the grammar inside the ``format`` error (the value is the same str).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic_core import core_schema

from ._integers import INTEGER
from ._wire_formats import (
    UUID_RE,
    date_time_text,
    parsed_date_time,
    rfc3339_re,
    uuid_text,
)

__all__ = ["REREAD", "fast_field_schema", "fraction_pattern", "short_text_limit"]

#: The error type of a value a fast form refused: the message is read again by the exact validator.
REREAD: Final = "wsgen_reread"


def fraction_pattern(digits: int) -> str:
    """The pattern that fails only a run of more than ``digits`` (0 to 9) digits after a dot (JSON Schema ``pattern``).

    On a text of the date-time grammar (one dot at most, the fraction's) it holds exactly when the fraction has at
    most ``digits`` digits: after the dot, ``[0-9]{0,N}`` must be followed by the end or by a character that is
    neither a digit nor a dot, so every digit of the fraction is among the N."""
    return f"^[^.]*(\\.[0-9]{{0,{digits}}}([^0-9.][^.]*)?)*$"


#: The least maxLength worth a validator of its own for the texts no longer than it (a shorter string is cheap to count).
_LONG_TEXT: Final = 1024

#: The fraction-limit patterns by their digit count.
_FRACTION_DIGITS: Final = {fraction_pattern(n): n for n in range(10)}


def _reread(schema: core_schema.CoreSchema) -> core_schema.CoreSchema:
    return core_schema.custom_error_schema(schema, custom_error_type=REREAD, custom_error_message="read again by the exact validator")


def _fast_date_time(json_schema: dict[str, Any]) -> core_schema.CoreSchema | None:
    """The fast form of a JSON chain ``[str with a fraction-limit pattern, date_time_text()]`` (TextPattern beside
    DateTimeFormat), else None.

    A text passes the pattern and the grammar exactly when it matches the grammar with at most N fraction digits
    (``fraction_pattern``); the parse is the same (``parsed_date_time``), so the value is too."""
    if json_schema.get("type") != "chain" or len(json_schema["steps"]) != 2:
        return None
    text, rest = json_schema["steps"]
    digits = _FRACTION_DIGITS.get(text.get("pattern", ""))
    if digits is None or text != core_schema.str_schema(strict=True, pattern=fraction_pattern(digits)) or rest != date_time_text():
        return None
    return _reread(parsed_date_time(rfc3339_re(digits)))


def _fast_uuid(schema: dict[str, Any]) -> core_schema.CoreSchema | None:
    """The fast form of ``UuidFormat``'s chain ``[strict str, format error around a str with UUID_RE]``, else None.

    A JSON value passes the chain exactly when it is a string matching UUID_RE, which the chain's output leaves as it
    was: one strict str step with that pattern accepts the same values and gives the same str."""
    if schema != uuid_text():
        return None
    return _reread(core_schema.str_schema(strict=True, pattern=UUID_RE))


#: The bounds an int schema of a fast form may carry, and the range pydantic-core compares as machine integers.
_BOUNDS: Final = ("ge", "le", "gt", "lt")
_INT64: Final = range(-(2**63), 2**63)


def _fast_integer(schema: dict[str, Any]) -> core_schema.CoreSchema | None:
    """The fast form of ``Integral``'s chain ``[INTEGER, int bounds]`` (bounds within 64 bits), else None.

    A JSON int passing the bounds (and within 64 bits) passes INTEGER's first branch as the same int, then the
    bounds; any other value (a float, a bigger int, a value out of bounds) is read again the exact way."""
    if schema.get("type") != "chain" or len(schema["steps"]) != 2 or schema["steps"][0] != INTEGER:
        return None
    bounds = schema["steps"][1]
    if set(bounds) - {"type", "strict", *_BOUNDS} or bounds.get("type") != "int" or bounds.get("strict") is not True:
        return None
    limits = {k: bounds[k] for k in _BOUNDS if bounds.get(k) is not None}
    if not all(type(v) is int and v in _INT64 for v in limits.values()):
        return None
    # Within 64 bits, as INTEGER's first branch (a longer int is read again).
    limits.setdefault("ge", _INT64.start)
    limits.setdefault("le", _INT64.stop - 1)
    return _reread(core_schema.int_schema(strict=True, **limits))


def _text_field(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a model field without its ``default`` wrapper."""
    inner: dict[str, Any] = schema["schema"] if schema.get("type") == "default" else schema
    return inner


def short_text_limit(union: Mapping[str, Any]) -> int | None:
    """The largest maxLength (1024 or more) of a text field of a tagged union's inline models, or None.

    A message text of at most that many characters (or bytes) cannot hold a longer string, so a validator for
    those texts may leave out every maxLength of that size (``fast_field_schema(..., short_text=limit)``)."""
    if union.get("type") != "tagged-union":
        return None
    found = [
        inner["max_length"]
        for model in union["choices"].values()
        if isinstance(model, dict) and model.get("type") == "model" and model["schema"].get("type") == "model-fields"
        for field in model["schema"]["fields"].values()
        if (inner := _text_field(field["schema"])).get("type") == "str" and isinstance(inner.get("max_length"), int)
    ]
    limit = max(found, default=0)
    return limit if limit >= _LONG_TEXT else None


def fast_field_schema(schema: dict[str, Any], short_text: int | None = None) -> dict[str, Any] | None:
    """The fast form of a model field's schema (a ``default`` wrapper kept), or None when it has none.

    ``short_text``: the validator reads only message texts of at most this many characters (``short_text_limit``);
    a text field's maxLength of that size or more is left out."""
    inner = _text_field(schema)
    fast: dict[str, Any]
    if inner.get("type") == "str" and short_text is not None and inner.get("max_length", -1) >= short_text:
        fast = {k: v for k, v in inner.items() if k != "max_length"}
    elif inner.get("type") == "json-or-python" and (fast_json := _fast_date_time(inner["json_schema"])) is not None:
        fast = {**inner, "json_schema": fast_json}
    elif (fast_uuid := _fast_uuid(inner)) is not None:
        fast = {**core_schema.json_or_python_schema(json_schema=fast_uuid, python_schema=core_schema.any_schema()), "python_schema": inner}
    elif (fast_int := _fast_integer(inner)) is not None:
        fast = {**core_schema.json_or_python_schema(json_schema=fast_int, python_schema=core_schema.any_schema()), "python_schema": inner}
    else:
        return None
    return {**schema, "schema": fast} if inner is not schema else fast
