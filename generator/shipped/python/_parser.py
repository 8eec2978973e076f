"""parse_message, validate_message and dump_message of one tagged union of models.

``parse_message`` is one call into pydantic-core (JSON parsing and validation in
Rust). Its validator bounds the values of open fields to numbers within ±(2^53 − 1)
with no ``NaN`` or ``Infinity`` literal (I-JSON, RFC 7493 §2.2; ``_open_json``), so a
valid message costs no Python beyond the call and its result; some fields have a faster
form there (``_json_fast_paths``). A message that fails on such a number, or that a fast
form refuses, is read again the exact way: the union's own validator, then a walk of
the open fields' values (``_depth.unsafe_number``), which gives the issue. A schema
whose open fields that validator cannot bound keeps the walk on every message.
Errors are converted to JSON-Schema-style issues only on failure, in the same shape
the TypeScript ``parseMessage`` returns.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Collection, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Final, Generic

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, SchemaValidator

from ._depth import exceeds_depth, shallow_text, unsafe_number
from ._errors import DEPTH_MESSAGE, ErrorReader, text_syntax_issue
from ._integers import MAX_SAFE_INTEGER
from ._issues import M, ParsedOk, ParseError, ParseOk, ValidationIssue, pointer
from ._json_fast_paths import REREAD, short_text_limit
from ._json_numbers import js_numbers
from ._limits import MAX_DEPTH
from ._open_json import UNSAFE_NUMBER, bounded_validator
from ._open_positions import Positions, first_deep, first_unsafe

if TYPE_CHECKING:
    # The type of TypeAdapter.validator beside SchemaValidator.
    from pydantic.plugin._schema_validator import PluggableSchemaValidator

__all__ = ["MessageParser"]

#: Integer literals longer than this are read as ±10**400 by the fallback parse: beyond the
#: double range, as JavaScript reads them (±Infinity), and under Python's 4,300-digit limit.
_LONG_INTEGER_DIGITS: Final = 400
_HUGE: Final = 10**400

#: The message of a number beyond the interoperable range, as the TypeScript side words it.
_UNSAFE_NUMBER_MESSAGE: Final = f"must hold only numbers from -{MAX_SAFE_INTEGER} to {MAX_SAFE_INTEGER}"


def _read_int(text: str) -> int:
    digits = len(text) - (text[0] == "-")
    if digits <= _LONG_INTEGER_DIGITS:
        return int(text)
    return -_HUGE if text[0] == "-" else _HUGE


def _without_long_integers(data: bytes | str) -> str | None:
    """The JSON text again, every integer literal of more than 400 digits written as ±10**400.

    pydantic-core's parser refuses integers of more than 4,300 digits ("number out of range")
    before any field is known; JavaScript reads them as ±Infinity and judges the field. Read
    again this way, the text gets the issue the TypeScript side reports. None when the text
    does not parse (the parser's first issue stands).
    """
    try:
        return json.dumps(json.loads(data, parse_int=_read_int))
    except (ValueError, RecursionError):
        return None


def _has_nonfinite_literal(data: bytes | str) -> bool:
    """Whether JSON text holds a NaN or Infinity literal (not inside a string).

    Those literals are not JSON: the TypeScript side's parser refuses them, pydantic-core's
    reads them. json.loads calls parse_constant for the literals only.
    """
    literals: list[str] = []
    try:
        json.loads(data, parse_constant=literals.append)
    except ValueError:
        return False
    return bool(literals)


def _names_an_alias(schema: object) -> bool:
    """Whether a core schema (its dicts and lists, definitions included) gives any field a validation alias.

    Only then can a key be a field's attribute name without being its wire name, and only then does
    ``by_name=False`` change what validation accepts (a keyword argument costs every call).
    """
    if isinstance(schema, dict):
        return "validation_alias" in schema or any(_names_an_alias(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_names_an_alias(v) for v in schema)
    return False


def _depth_error(field: str) -> ParseError:
    return ParseError([ValidationIssue(pointer((field,)), "depth", DEPTH_MESSAGE, {"limit": MAX_DEPTH})])


class MessageParser(Generic[M]):
    """The parse functions of one tagged union ``M`` of models.

    ``adapter``: the union's TypeAdapter. ``discriminator`` / ``discriminator_attr``: the wire name
    and the attribute of the property that selects the message type. ``tags``: its values.
    ``open_fields``: by tag, the attributes whose values the schema leaves open (any JSON; only
    these can hold a number beyond ±(2^53 − 1)). ``deep_fields``: by tag, the wire names of the
    fields that can hold a recursive type (their nesting is bounded before validation). ``open_positions``: by model
    class name, the open positions of the message types whose open values can sit below their own fields, and of
    the models they hold (``_open_positions``); a message of such a type is checked by a walk of them.
    """

    __slots__ = (
        "_validator",
        "_json_validator",
        "_short_text",
        "_wire_keys_only",
        "_reader",
        "_attr",
        "_open",
        "_deep",
        "_positions",
        "_walk_parse",
        "parse_message",
    )

    #: Parses one message from JSON text (str, or UTF-8 bytes) and validates it (``_parse_function``).
    parse_message: Callable[[bytes | str], ParseOk[M] | ParseError]

    def __init__(
        self,
        adapter: TypeAdapter[M],
        *,
        discriminator: str,
        discriminator_attr: str,
        tags: Collection[str],
        open_fields: Mapping[str, tuple[str, ...]],
        deep_fields: Mapping[str, tuple[str, ...]],
        open_positions: Positions | None = None,
    ) -> None:
        # The adapter's pydantic-core validator, called directly: TypeAdapter.validate_json is a
        # Python wrapper that forwards its keyword arguments on every call.
        self._validator = adapter.validator
        # Whether some field's wire name differs from its attribute (then keys are read by wire name only).
        self._wire_keys_only = _names_an_alias(adapter.core_schema)
        self._reader = ErrorReader(discriminator, tags)
        self._attr = discriminator_attr
        self._open = dict(open_fields)
        self._deep = dict(deep_fields)
        self._positions: Positions = dict(open_positions or {})
        # The union with its open fields bounded from JSON (None: the walk stays on every message).
        self._json_validator = bounded_validator(adapter.core_schema, self._open)
        # For texts of at most ``limit`` characters, the same without the maxLength checks that cannot fail there.
        limit = short_text_limit(adapter.core_schema) if self._json_validator is not None else None
        short = bounded_validator(adapter.core_schema, self._open, limit) if limit is not None else None
        self._short_text = (limit, short) if limit is not None and short is not None else None
        # The exact reference: the union's own validator, then the walk of open fields.
        self._walk_parse = self._parse_function(self._validator)
        self.parse_message = self._walk_parse if self._json_validator is None else self._bounded_parse_function(self._json_validator)

    def _bounded_parse_function(self, validator: SchemaValidator) -> Callable[[bytes | str], ParseOk[M] | ParseError]:
        """parse_message through the validator of ``bounded_union``: a valid message is one call into pydantic-core.

        A message whose open field holds a number out of range (an ``UNSAFE_NUMBER`` error) or whose field a fast
        form refused (``REREAD``, ``_json_fast_paths``) is read again by the walking parse, whose verdict and issues
        are the exact ones; any other failure has the issues it has there, since the two validators differ only in
        the values of open fields and in the fields with a fast form, whose every failure is ``REREAD``."""

        def reader(v: SchemaValidator) -> Callable[[bytes | str], M]:
            return partial(v.validate_json, by_name=False) if self._wire_keys_only else v.validate_json

        validate_json = reader(validator)
        # Texts no longer than ``limit`` go to the validator without the maxLength checks they cannot fail.
        limit, validate_short = (self._short_text[0], reader(self._short_text[1])) if self._short_text else (sys.maxsize, validate_json)
        # A result made without a Python frame (ParsedOk: object.__init__).
        ok_class: Callable[[], Any] = ParsedOk
        failed, walk_parse = self._failed, self._walk_parse
        # The errors that only the fast paths give: the message is read again the exact way.
        read_again = (UNSAFE_NUMBER, REREAD)
        # Message types whose open values can sit below their own fields: their valid messages are walked (_open_positions).
        positions, nested_issue = self._positions, self._nested_number_issue

        def parse_message(data: bytes | str) -> ParseOk[M] | ParseError:
            """Parses one message from JSON text (str, or UTF-8 bytes) and validates it.

            Never raises: a ParseError with structured issues comes back instead, ready
            for an error_message reply. Nesting deeper than MAX_DEPTH fails in the parser.
            Every number in an open field must lie within ±(2^53 − 1) (I-JSON, RFC 7493 §2.2).
            """
            try:
                value: M = validate_short(data) if len(data) <= limit else validate_json(data)
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
                for error in errors:
                    if error["type"] in read_again:
                        return walk_parse(data)
                return failed(errors, data)
            if positions and type(value).__name__ in positions:
                issue = nested_issue(value, data)
                if issue is not None:
                    return ParseError([issue])
            ok: ParseOk[M] = ok_class()
            ok.value = value
            return ok

        return parse_message

    def _parse_function(self, validator: SchemaValidator | PluggableSchemaValidator) -> Callable[[bytes | str], ParseOk[M] | ParseError]:
        """parse_message through ``validator`` (the union's own) and a walk of the open fields' values."""
        validate = validator.validate_json
        # by_name=False reads keys by wire name only; without aliases every wire name is the attribute's.
        validate_json: Callable[[bytes | str], M] = partial(validate, by_name=False) if self._wire_keys_only else validate
        # The fields that can hold untyped JSON (in any message type).
        open_names = frozenset(name for names in self._open.values() for name in names)
        no_open_field = open_names.isdisjoint
        # A result made without a Python frame (ParsedOk: object.__init__).
        ok_class: Callable[[], Any] = ParsedOk
        failed, unsafe_number_issue = self._failed, self._unsafe_number_issue
        positions = self._positions

        def parse_message(data: bytes | str) -> ParseOk[M] | ParseError:
            """Parses one message from JSON text (str, or UTF-8 bytes) and validates it.

            Never raises: a ParseError with structured issues comes back instead, ready
            for an error_message reply. Nesting deeper than MAX_DEPTH fails in the parser.
            Every number in an open field must lie within ±(2^53 − 1) (I-JSON, RFC 7493 §2.2).
            """
            try:
                value: M = validate_json(data)
            except ValidationError as exc:
                return failed(exc.errors(include_url=False), data)
            # Once validation passed, only an open field can hold a number out of range or a NaN or
            # Infinity literal (a typed number field refuses them): one walk of the values the message
            # sets of fields open in some message type, and only when it sets one. A number found
            # there is judged by _unsafe_number_issue (this type's open fields, in schema order).
            if positions and type(value).__name__ in positions:
                issue = unsafe_number_issue(value, data)
                if issue is not None:
                    return ParseError([issue])
            elif not no_open_field(value.__pydantic_fields_set__):
                fields = value.__dict__
                for name in open_names.intersection(value.__pydantic_fields_set__):
                    x = fields[name]
                    if x is not None and type(x) is not str and unsafe_number(x):
                        issue = unsafe_number_issue(value, data)
                        if issue is not None:
                            return ParseError([issue])
                        break
            ok: ParseOk[M] = ok_class()
            ok.value = value
            return ok

        return parse_message

    def _failed(self, errors: list[ErrorDetails], data: bytes | str) -> ParseOk[M] | ParseError:
        """The result of a text that failed validation with ``errors``: its issues, or, when pydantic-core's parser
        refused an integer of more than 4,300 digits, the result of the text read again (``_without_long_integers``);
        a text refused as nested too deep is judged as a value for the pointer of its depth issue (``_text_depth_error``)."""
        first = errors[0]
        detail = str((first.get("ctx") or {}).get("error", "")) if first["type"] == "json_invalid" else ""
        if "number out of range" in detail:
            again = _without_long_integers(data)
            if again is not None:
                return self.parse_message(again)
        if "recursion limit exceeded" in detail:
            deep = self._text_depth_error(data)
            if deep is not None:
                return deep
        return self._reader.parse_errors(errors, data)

    def _text_depth_error(self, data: bytes | str) -> ParseError | None:
        """The ``depth`` issue of a text pydantic-core's parser refused as nested too deep, at the pointer the
        TypeScript side names (the open or recursive field that holds the nesting): the text, its containers deeper
        than MAX_DEPTH + 2 levels cut (``_depth.shallow_text``, so ``json.loads`` never meets its recursion limit), is
        read and judged by ``validate_message``, whose depth checks name that field. None (the parser's issue at
        ``""`` stands) when the value has another issue first, as the TypeScript side then says ``""`` too, or when
        the text does not read."""
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            value = json.loads(shallow_text(text, MAX_DEPTH + 2))
        except (ValueError, RecursionError):
            return None
        judged = self.validate_message(value)
        if isinstance(judged, ParseError) and judged.errors and judged.errors[0].keyword == "depth":
            return judged
        return None

    def validate_message(self, obj: object) -> ParseOk[M] | ParseError:
        """Validates an already-parsed JSON-like value (dicts, lists, str, int, float, bool, None).

        Enum values may be given as their wire strings or as members; date-times as
        wire strings or aware datetimes. Open fields (any JSON) must not nest deeper than MAX_DEPTH.
        """
        if self._deep and isinstance(obj, dict):
            tag = obj.get(self._reader.discriminator)
            if isinstance(tag, str):
                for name in self._deep.get(tag, ()):
                    if exceeds_depth(obj.get(name), 1):
                        return _depth_error(name)
        try:
            value: M = self._validator.validate_python(obj, by_name=False)
        except ValidationError as exc:
            return self._reader.parse_error(exc, obj)
        except RecursionError:
            return ParseError([ValidationIssue("", "depth", DEPTH_MESSAGE, {"limit": MAX_DEPTH})])
        if type(value).__name__ in self._positions:
            deep = first_deep(value, self._positions)
            if deep is not None:
                return ParseError([ValidationIssue(pointer(deep), "depth", DEPTH_MESSAGE, {"limit": MAX_DEPTH})])
        else:
            for name in self._open.get(getattr(value, self._attr), ()):
                if exceeds_depth(getattr(value, name), 1):
                    return _depth_error(_wire_name(value, name))
        issue = self._unsafe_number_issue(value, None)
        return ParseOk(value) if issue is None else ParseError([issue])

    def dump_message(self, msg: M) -> str:
        """The JSON text of a message: fields that were never set are left out (never written as null), and
        numbers are written as JavaScript's JSON.stringify writes them (``1``, not ``1.0``: _json_numbers)."""
        return js_numbers(msg.model_dump_json(exclude_unset=True, by_alias=True))

    def _unsafe_number_issue(self, value: M, data: bytes | str | None) -> ValidationIssue | None:
        """The issue of an open field holding a number beyond ±(2^53 − 1) (or a NaN/Infinity literal), if any.

        Fields are checked in schema order, as the TypeScript side does. ``data``: the JSON text the
        value came from, to tell a NaN or Infinity literal (not JSON) from a number out of range.
        """
        if type(value).__name__ in self._positions:
            return self._nested_number_issue(value, data)
        for name in self._open.get(getattr(value, self._attr), ()):
            field_value = getattr(value, name)
            if field_value is not None and unsafe_number(field_value):
                if data is not None and _has_nonfinite_literal(data):
                    return text_syntax_issue(data) or ValidationIssue("", "json", "must be valid JSON: NaN and Infinity are not JSON numbers")
                return ValidationIssue(pointer((_wire_name(value, name),)), "number", _UNSAFE_NUMBER_MESSAGE, {"limit": MAX_SAFE_INTEGER})
        return None

    def _nested_number_issue(self, value: M, data: bytes | str | None) -> ValidationIssue | None:
        """``_unsafe_number_issue`` of a message type whose open values can sit below its own fields: the walk of its
        open positions (``_open_positions.first_unsafe``), the issue at the pointer of the open value."""
        found = first_unsafe(value, self._positions)
        if found is None:
            return None
        if data is not None and _has_nonfinite_literal(data):
            return text_syntax_issue(data) or ValidationIssue("", "json", "must be valid JSON: NaN and Infinity are not JSON numbers")
        return ValidationIssue(pointer(found), "number", _UNSAFE_NUMBER_MESSAGE, {"limit": MAX_SAFE_INTEGER})


def _wire_name(value: BaseModel, attr: str) -> str:
    """The wire name of a model's attribute (its alias, if any)."""
    return type(value).model_fields[attr].alias or attr
