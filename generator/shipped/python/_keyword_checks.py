"""The checks of wsgen's JSON Schema 2020-12 keyword checker (``_keywords.py``), one builder per keyword family.

A subschema compiles to a :class:`Node`: checks that apply to any value (type, enum, const, the in-place
applicators, ``$ref``) and checks by the value's Python type (strings, numbers, arrays, objects). A check is
``check(value, path, sink, seen) -> bool``: ``path`` is the value's JSON pointer (kept only when ``sink``
collects errors), ``sink`` is None when only the verdict matters (stop at the first failure), and ``seen``
collects the annotations ``unevaluatedProperties``/``unevaluatedItems`` read (JSON Schema 2020-12 §11),
None when no keyword above needs them. Errors read as ajv's: keyword, params and message.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple

from ._keyword_values import (
    FORMATS,
    compile_pattern,
    freeze,
    js_number,
    number_limit,
    pointer_token,
    python_types,
)
from ._numbers import decimal_multiple

__all__ = [
    "Check",
    "Compile",
    "Evaluated",
    "KeywordError",
    "Node",
    "number_checks",
    "schema_list",
    "schema_map",
    "size",
    "string_checks",
    "type_checks",
]


class KeywordError(NamedTuple):
    """One keyword a value fails: ``instance_path`` (RFC 6901 JSON pointer into the value), ``keyword``,
    ``params`` and ``message`` as ajv writes them (e.g. ``"/a/0"``, ``"minimum"``,
    ``{"comparison": ">=", "limit": 1}``, ``"must be >= 1"``)."""

    instance_path: str
    keyword: str
    params: dict[str, Any]
    message: str


Sink = list[KeywordError]


class Evaluated:
    """The annotations of one instance location that ``unevaluated*`` read (JSON Schema 2020-12 §11.2, §11.3):
    property names evaluated, item indices evaluated (``prefix`` first items, ``indices``, or all)."""

    __slots__ = ("all_items", "all_names", "indices", "names", "prefix")

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.all_names = False
        self.prefix = 0
        self.indices: set[int] = set()
        self.all_items = False

    def merge(self, other: Evaluated) -> None:
        """Adds the annotations of a successful subschema at the same location."""
        self.names |= other.names
        self.all_names |= other.all_names
        self.prefix = max(self.prefix, other.prefix)
        self.indices |= other.indices
        self.all_items |= other.all_items


Check = Callable[[Any, str, Sink | None, Evaluated | None], bool]


#: The group of each Python type, in ajv's order of its typed keyword groups (number, string, array, object):
#: ajv checks the keywords of no type first, then each group in this order (ajv/lib/compile/rules.ts).
GROUP_OF: Final[dict[type, int]] = {int: 0, float: 0, str: 1, list: 2, dict: 3}


class Node:
    """A compiled subschema, checking in ajv's order so that the errors (the first above all) come as ajv's do:
    ``type`` first, or, when it names one of the groups number/string/array/object and the subschema has keywords of
    that group (``deferred``: the group's index), at that group's place (ajv reports it in the group's else branch);
    then the ``generic`` checks for any value (``$ref``, ``const``, ``enum``, ``not``, ``anyOf``, ``oneOf``,
    ``allOf``, ``if``); then the ``specific`` ones of the value's type. They are joined per type in ``by_type``
    so that a value runs one tuple of checks (without the ``type`` check for the Python types in ``typed``,
    which pass it outright)."""

    __slots__ = ("by_type", "deferred", "generic", "sequence", "specific", "type_check", "typed", "unevaluated")

    def __init__(
        self,
        generic: list[Check],
        specific: dict[type, list[Check]],
        unevaluated: bool,
        typed: frozenset[type] = frozenset(),
        type_check: Check | None = None,
        deferred: int | None = None,
    ) -> None:
        self.specific = {kind: tuple(checks) for kind, checks in specific.items()}
        self.typed = typed
        self.type_check = type_check
        self.deferred = deferred
        self.set_generic(tuple(generic))
        #: Whether the subschema has unevaluatedProperties/unevaluatedItems (then it collects its own annotations).
        self.unevaluated = unevaluated

    def _joined(self, kind: type | None) -> tuple[Check, ...]:
        """The checks a value of Python type ``kind`` runs (None: a type with no specific checks and not in ``typed``)."""
        own = self.specific.get(kind, ()) if kind is not None else ()
        if self.type_check is None or kind in self.typed:
            return self.generic + own
        if self.deferred is None:
            return (self.type_check, *self.generic, *own)
        group = GROUP_OF.get(kind, -1) if kind is not None else -1
        if group < self.deferred:
            return (*self.generic, *own, self.type_check)
        return (*self.generic, self.type_check, *own)

    def set_generic(self, generic: tuple[Check, ...]) -> None:
        """Sets the checks for any value (and the joined tuples)."""
        self.generic = generic
        kinds = {kind for kind, checks in self.specific.items() if checks} | self.typed
        self.by_type = {kind: self._joined(kind) for kind in kinds}
        #: What a value of any other type runs.
        self.sequence = self._joined(None)

    def become(self, other: Node) -> None:
        """Makes this node check what ``other`` checks (a subschema that is a ``$ref`` alone)."""
        self.generic, self.specific, self.by_type, self.unevaluated = other.generic, other.specific, other.by_type, other.unevaluated
        self.typed, self.type_check, self.deferred, self.sequence = other.typed, other.type_check, other.deferred, other.sequence

    def run(self, value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        """Whether ``value`` is valid; errors go to ``sink``, annotations (when valid) to ``seen``."""
        own = Evaluated() if self.unevaluated else seen
        ok = True
        for check in self.by_type.get(type(value), self.sequence):
            if not check(value, path, sink, own):
                if sink is None:
                    return False
                ok = False
        if ok and own is not seen and own is not None and seen is not None:
            seen.merge(own)
        return ok


Compile = Callable[[Any, str], Node]


def fail(sink: Sink | None, path: str, keyword: str, params: dict[str, Any], message: str) -> bool:
    """Records one error (when errors are collected) and returns False."""
    if sink is not None:
        sink.append(KeywordError(path, keyword, params, message))
    return False


def child(path: str, sink: Sink | None, token: str | int) -> str:
    """The JSON pointer of a member or item, built only when errors are collected."""
    return f"{path}/{pointer_token(token)}" if sink is not None else path


def count(schema: Mapping[str, Any], keyword: str, pointer: str) -> int | None:
    """A non-negative integer keyword value (1.0 allowed), None when absent; ValueError otherwise."""
    if keyword not in schema:
        return None
    value = schema[keyword]
    if type(value) not in (int, float) or value < 0 or not float(value).is_integer():
        raise ValueError(f"{pointer}/{keyword}: must be a non-negative integer, not {value!r}")
    return int(value)


def number(schema: Mapping[str, Any], keyword: str, pointer: str) -> int | float | None:
    """A number keyword value, None when absent; ValueError otherwise."""
    value = schema.get(keyword)
    if keyword in schema and type(value) not in (int, float):
        raise ValueError(f"{pointer}/{keyword}: must be a number, not {value!r}")
    return value


def schema_list(schema: Mapping[str, Any], keyword: str, pointer: str, compile: Compile) -> list[Node]:
    """A non-empty array of subschemas, compiled."""
    value = schema[keyword]
    if type(value) is not list or not value:
        raise ValueError(f"{pointer}/{keyword}: must be a non-empty array of schemas")
    return [compile(sub, f"{pointer}/{keyword}/{i}") for i, sub in enumerate(value)]


def schema_map(schema: Mapping[str, Any], keyword: str, pointer: str, compile: Compile) -> dict[str, Node]:
    """An object of subschemas by name, compiled."""
    value = schema[keyword]
    if type(value) is not dict:
        raise ValueError(f"{pointer}/{keyword}: must be an object of schemas")
    return {name: compile(sub, f"{pointer}/{keyword}/{pointer_token(name)}") for name, sub in value.items()}


_TYPES: Final = frozenset(("array", "boolean", "integer", "null", "number", "object", "string"))


#: The keywords of each typed group of ajv (number, string, array, object: GROUP_OF), by which ajv defers a one-name
#: ``type`` to its group's place when the subschema has one of them (ajv's coerceAndCheckDataType, schemaHasRulesForType).
_GROUP_KEYWORDS: Final[dict[str, tuple[int, frozenset[str]]]] = {
    "number": (0, frozenset(("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "format"))),
    "string": (1, frozenset(("maxLength", "minLength", "pattern", "format"))),
    "array": (
        2,
        frozenset(("maxItems", "minItems", "uniqueItems", "prefixItems", "items", "contains", "minContains", "maxContains", "unevaluatedItems")),
    ),
    "object": (
        3,
        frozenset(
            (
                "maxProperties",
                "minProperties",
                "required",
                "propertyNames",
                "additionalProperties",
                "dependencies",
                "properties",
                "patternProperties",
                "dependentRequired",
                "dependentSchemas",
                "unevaluatedProperties",
                "discriminator",
            )
        ),
    ),
}


def type_checks(schema: Mapping[str, Any], pointer: str) -> tuple[Check | None, int | None, list[Check], frozenset[type]]:
    """``type`` (one name or a list, §6.1.1), then ``const`` (§6.1.3) and ``enum`` (§6.1.2) with JSON equality, in
    ajv's order: the ``type`` check (None without ``type``), the index of the group it is deferred to (Node; None when
    it comes first), the value checks, and the Python types whose every value passes ``type``."""
    type_check: Check | None = None
    deferred: int | None = None
    checks: list[Check] = []
    exact: frozenset[type] = frozenset()
    if "type" in schema:
        names = schema["type"]
        listed = names if type(names) is list else [names]
        if not listed or any(n not in _TYPES for n in listed) or len(set(listed)) != len(listed):
            raise ValueError(f"{pointer}/type: must be a type name or a list of distinct ones, not {names!r}")
        exact, whole_floats = python_types(listed)
        message = f"must be {','.join(listed)}"

        def check_type(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
            kind = type(value)
            return kind in exact or (whole_floats and kind is float and value.is_integer()) or fail(sink, path, "type", {"type": names}, message)

        type_check = check_type
        group = _GROUP_KEYWORDS.get(listed[0]) if len(listed) == 1 else None
        if group is not None and any(k in schema for k in group[1]):
            deferred = group[0]
    if "const" in schema:
        constant = schema["const"]
        frozen_constant = freeze(constant)

        def check_const(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
            return freeze(value) == frozen_constant or fail(sink, path, "const", {"allowedValue": constant}, "must be equal to constant")

        checks.append(check_const)
    if "enum" in schema:
        allowed_values = schema["enum"]
        if type(allowed_values) is not list:
            raise ValueError(f"{pointer}/enum: must be an array")
        frozen = frozenset(freeze(v) for v in allowed_values)

        def check_enum(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
            return freeze(value) in frozen or fail(
                sink, path, "enum", {"allowedValues": allowed_values}, "must be equal to one of the allowed values"
            )

        checks.append(check_enum)
    return type_check, deferred, checks, exact


_COMPARISONS: Final[dict[str, tuple[str, Callable[[Any, float], Any]]]] = {
    "maximum": ("<=", operator.le),
    "minimum": (">=", operator.ge),
    "exclusiveMaximum": ("<", operator.lt),
    "exclusiveMinimum": (">", operator.gt),
}


def _bound(keyword: str, limit: int | float) -> Check:
    sign, holds = _COMPARISONS[keyword]
    read = number_limit(limit)
    params = {"comparison": sign, "limit": limit}
    message = f"must be {sign} {js_number(limit)}"

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        return bool(holds(value, read)) or fail(sink, path, keyword, params, message)

    return check


def _multiple_of(limit: int | float, pointer: str) -> Check:
    if limit <= 0 or number_limit(limit) in (float("inf"), 0.0):
        raise ValueError(f"{pointer}/multipleOf: must be a positive finite number, not {limit!r}")
    mantissa, _, exp = (str(limit) if type(limit) is int else repr(float(limit))).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits, exponent = int(whole + fraction), int(exp or 0) - len(fraction)
    params = {"multipleOf": limit}
    message = f"must be multiple of {js_number(limit)}"

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        return decimal_multiple(value, digits, exponent) or fail(sink, path, "multipleOf", params, message)

    return check


def number_checks(schema: Mapping[str, Any], pointer: str) -> list[Check]:
    """``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum`` (§6.2, compared as JavaScript
    doubles) and ``multipleOf`` by exact decimal arithmetic (README "Numbers", ``_numbers.decimal_multiple``)."""
    checks = [_bound(k, limit) for k in _COMPARISONS if (limit := number(schema, k, pointer)) is not None]
    multiple = number(schema, "multipleOf", pointer)
    if multiple is not None:
        checks.append(_multiple_of(multiple, pointer))
    return checks


def size(keyword: str, limit: int, unit: str) -> Check:
    """``minLength``/``maxLength`` (code points), ``minItems``/``maxItems``, ``minProperties``/``maxProperties``:
    ``len`` of the value within ``limit``, as ajv's "must NOT have more than 2 items"."""
    at_most = keyword.startswith("max")
    params = {"limit": limit}
    message = f"must NOT have {'more' if at_most else 'fewer'} than {limit} {unit}"

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        n = len(value)
        return (n <= limit if at_most else n >= limit) or fail(sink, path, keyword, params, message)

    return check


def string_checks(schema: Mapping[str, Any], pointer: str) -> list[Check]:
    """``minLength``/``maxLength`` in code points (§6.3.1, as ajv's ``ucs2length``), ``pattern`` (§6.3.3,
    ECMAScript ``u`` semantics) and ``format`` asserted with wsgen's checkers (``_formats.py``)."""
    checks = [size(k, limit, "characters") for k in ("maxLength", "minLength") if (limit := count(schema, k, pointer)) is not None]
    if "pattern" in schema:
        source = schema["pattern"]
        if type(source) is not str:
            raise ValueError(f"{pointer}/pattern: must be a string")
        try:
            regex = compile_pattern(source)
        except ValueError as err:
            raise ValueError(f"{pointer}/pattern: {err}") from None
        pattern_message = f'must match pattern "{source}"'

        def check_pattern(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
            return regex.search(value) is not None or fail(sink, path, "pattern", {"pattern": source}, pattern_message)

        checks.append(check_pattern)
    if "format" in schema:
        name = schema["format"]
        if name not in FORMATS:
            raise ValueError(f"{pointer}/format: {name!r} is not a format wsgen asserts ({', '.join(sorted(FORMATS))})")
        holds = FORMATS[name]
        format_message = f'must match format "{name}"'

        def check_format(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
            return holds(value) or fail(sink, path, "format", {"format": name}, format_message)

        checks.append(check_format)
    return checks
