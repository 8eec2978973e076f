"""parse_message, validate_message and dump_message of a root type that is no tagged union.

A schema whose root is one object, an untagged ``oneOf``/``anyOf``, an array, a
primitive or a checked subschema has one type for every message: one call into
pydantic-core validates it. The limits are the tagged union's (``_parser``): nesting
deeper than MAX_DEPTH fails first (in the JSON parser for text; before validation for a
value), and after validation every number in an open value (the whole value of an open
root, or the open fields of an object root) must lie within ±(2^53 − 1) (I-JSON,
RFC 7493 §2.2), a ``NaN`` or ``Infinity`` literal being no JSON at all.
"""

from __future__ import annotations

import json
from typing import Any, Final, Generic

from pydantic import TypeAdapter, ValidationError

from ._depth import exceeds_depth, unsafe_number
from ._errors import DEPTH_MESSAGE, ErrorReader, text_syntax_issue
from ._integers import MAX_SAFE_INTEGER
from ._issues import ParseError, ParseOk, V, ValidationIssue, pointer
from ._json_numbers import js_numbers
from ._limits import MAX_DEPTH
from ._open_positions import Positions, first_unsafe
from ._parser import _has_nonfinite_literal, _without_long_integers

__all__ = ["RootParser"]

#: The message of a number beyond the interoperable range, as the TypeScript side words it.
_UNSAFE_NUMBER_MESSAGE: Final = f"must hold only numbers from -{MAX_SAFE_INTEGER} to {MAX_SAFE_INTEGER}"


class _RootErrorReader(ErrorReader):
    """The error reader of a root type. pydantic labels union branches in an error's loc; the reader tells
    labels from keys by walking a message's dict, so the root value is read as the field ``""`` of a dict
    (a union at the root is then an inline one, reported as ajv reports it) and the field taken off again."""

    __slots__ = ()

    def value_error(self, exc: ValidationError, value: object) -> ParseError:
        """The issues of a value that failed validation."""
        wrapped = {"": value}
        found = [issue for e in exc.errors(include_url=False) for issue in self.issues({**e, "loc": ("", *e["loc"])}, wrapped)]
        for issue in found:
            if issue.path.startswith("/"):
                issue.path = issue.path[1:]
        return ParseError(found)

    def text_error(self, exc: ValidationError, text: bytes | str) -> ParseError:
        """The issues of a JSON text that failed validation (or parsing)."""
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return self.parse_error(exc, text)
        return self.value_error(exc, value)


class RootParser(Generic[V]):
    """The parse functions of one root type ``V`` that is no tagged union.

    ``adapter``: the root type's TypeAdapter. ``open_fields``: attributes of an object root
    whose values the schema leaves open. ``open_whole``: whether the whole value is open
    (any JSON, an array, a record...), so that every number in it is checked. ``open_positions``: when an object
    root's open values can sit below its own fields, the open positions of it and of the models it holds, by class
    name (``_open_positions``): they are walked instead of ``open_fields``.
    """

    __slots__ = ("_adapter", "_validator", "_reader", "_open_fields", "_open_whole", "_positions")

    def __init__(
        self, adapter: TypeAdapter[V], *, open_fields: tuple[str, ...] = (), open_whole: bool = False, open_positions: Positions | None = None
    ) -> None:
        self._adapter = adapter
        self._validator = adapter.validator
        self._reader = _RootErrorReader("", ())
        self._open_fields = open_fields
        self._open_whole = open_whole
        self._positions: Positions = dict(open_positions or {})

    def parse_message(self, data: bytes | str) -> ParseOk[V] | ParseError:
        """Parses one message from JSON text (str, or UTF-8 bytes) and validates it.

        Never raises: a ParseError with structured issues comes back instead. Nesting deeper
        than MAX_DEPTH fails in the parser; every number in an open value must lie within ±(2^53 − 1).
        """
        try:
            value: V = self._validator.validate_json(data, by_name=False)
        except ValidationError as exc:
            return self._failed(exc, data)
        issue = self._number_issue(value, data)
        return ParseOk(value) if issue is None else ParseError([issue])

    def validate_message(self, obj: object) -> ParseOk[V] | ParseError:
        """Validates an already-parsed JSON-like value (dicts, lists, str, int, float, bool, None).

        Nesting deeper than MAX_DEPTH anywhere in it fails first, as the JSON parser fails a text.
        """
        if exceeds_depth(obj, 0):
            return ParseError([ValidationIssue("", "depth", DEPTH_MESSAGE, {"limit": MAX_DEPTH})])
        try:
            value: V = self._validator.validate_python(obj, by_name=False)
        except ValidationError as exc:
            return self._reader.value_error(exc, obj)
        issue = self._number_issue(value, None, obj)
        return ParseOk(value) if issue is None else ParseError([issue])

    def dump_message(self, msg: V) -> str:
        """The JSON text of a value: fields of models that were never set are left out (never written as null), and
        numbers are written as JavaScript's JSON.stringify writes them (``1``, not ``1.0``: _json_numbers)."""
        return js_numbers(self._adapter.dump_json(msg, exclude_unset=True, by_alias=True).decode())

    def _failed(self, exc: ValidationError, data: bytes | str) -> ParseOk[V] | ParseError:
        """The result of a text that failed validation; an integer of more than 4,300 digits is read again
        as ±10**400 (``_parser._without_long_integers``), as JavaScript reads it as ±Infinity."""
        first = exc.errors(include_url=False)[0]
        if first["type"] == "json_invalid" and "number out of range" in str((first.get("ctx") or {}).get("error", "")):
            again = _without_long_integers(data)
            if again is not None:
                return self.parse_message(again)
        return self._reader.text_error(exc, data)

    def _number_issue(self, value: V, data: bytes | str | None, obj: object = None) -> ValidationIssue | None:
        """The issue of an open value holding a number beyond ±(2^53 − 1) (or a NaN/Infinity literal), if any.

        ``data``: the JSON text the value came from (the whole value is read from it again: a model's
        fields are no dicts); ``obj``: the value validate_message was given.
        """
        found: str | None = None
        if self._open_whole:
            raw = json.loads(data) if data is not None else obj
            if unsafe_number(raw):
                found = ""
        elif type(value).__name__ in self._positions:
            path = first_unsafe(value, self._positions)  # type: ignore[arg-type]
            found = None if path is None else pointer(path)
        else:
            for name in self._open_fields:
                field_value = getattr(value, name)
                if field_value is not None and unsafe_number(field_value):
                    found = pointer((_wire_name(value, name),))
                    break
        if found is None:
            return None
        if data is not None and _has_nonfinite_literal(data):
            return text_syntax_issue(data) or ValidationIssue("", "json", "must be valid JSON: NaN and Infinity are not JSON numbers")
        return ValidationIssue(found, "number", _UNSAFE_NUMBER_MESSAGE, {"limit": MAX_SAFE_INTEGER})


def _wire_name(value: Any, attr: str) -> str:
    """The wire name of a model's attribute (its alias, if any)."""
    field = type(value).model_fields[attr]
    return field.alias or attr
