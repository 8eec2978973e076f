"""JSON values as JSON Schema 2020-12 reads them, for wsgen's keyword checker (``_keywords.py``).

A value is what wsgen's wire parser produces from a JSON text: ``dict``, ``list``, ``str``, ``int``,
``float``, ``bool`` or ``None``. Here: the JSON type names a value has (§6.1.1, "integer" is any number
with a zero fractional part, ``True`` is never a number), JSON equality (§4.2.2: ``1 == 1.0``,
``True != 1``, objects regardless of key order, arrays elementwise), the ECMAScript ``u``-flag
regular expressions of ``pattern`` translated to Python ``re``, and the ``format`` checkers.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from typing import Any, Final

from ._formats import FORMAT_CHECKS

__all__ = ["FORMATS", "compile_pattern", "freeze", "js_number", "number_limit", "pointer_token", "portable_pattern_fault", "python_types"]


class _Boolean:
    """A JSON boolean inside a frozen value: never equal to a number (Python's ``True == 1``)."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "true" if self.value else "false"


_TRUE: Final = _Boolean(True)
_FALSE: Final = _Boolean(False)


def freeze(value: Any) -> Any:
    """A hashable stand-in for a JSON value, equal (``==``, same hash) to another exactly when the two
    values are equal by JSON Schema 2020-12 §4.2.2: numbers by value (``1`` and ``1.0``, ``0`` and ``-0``),
    strings by code points, booleans and null by themselves, arrays elementwise (tuples),
    objects as sets of (name, value) pairs (frozensets)."""
    kind = type(value)
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is list:
        return tuple(freeze(v) for v in value)
    if kind is dict:
        return frozenset((k, freeze(v)) for k, v in value.items())
    return value


_PYTHON_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
    "number": (int, float),
    "integer": (int,),
}


def python_types(names: list[str]) -> tuple[frozenset[type], bool]:
    """The Python types of the parsed JSON values that have one of the JSON Schema types ``names`` (§6.1.1), and
    whether a float with a zero fractional part (``1.0``, ``-0.0``) has one too: "integer" is any number with a zero
    fractional part, as ajv's ``Number.isInteger`` reads it; ``bool`` is never a number."""
    return frozenset(t for name in names for t in _PYTHON_TYPES[name]), "integer" in names


def number_limit(limit: int | float) -> float:
    """A schema's number as JavaScript reads it (a double; beyond its range ±Infinity), so that a
    comparison with a value gives ajv's verdict."""
    try:
        return float(limit)
    except OverflowError:
        return math.inf if limit > 0 else -math.inf


def js_number(value: int | float) -> str:
    """``value`` as ECMAScript's Number::toString writes it (ajv's messages): ``1`` for ``1.0``,
    ``1e+21``, ``1e-7``, ``0.000001``."""
    number = number_limit(value)
    if not math.isfinite(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    text = repr(number)
    mantissa, _, exp = text.partition("e")
    if exp and -7 < int(exp) < 21:
        digits = mantissa.replace("-", "").replace(".", "")
        zeros = "0" * (-int(exp) - 1)
        return ("-" if number < 0 else "") + "0." + zeros + digits
    if exp:
        return f"{mantissa}e{'+' if int(exp) > 0 else '-'}{abs(int(exp))}"
    return text


def pointer_token(name: str | int) -> str:
    """One reference token of a JSON pointer (RFC 6901 §3: ``~`` as ``~0``, ``/`` as ``~1``)."""
    return str(name).replace("~", "~0").replace("/", "~1")


# --- pattern: the portable subset of ECMAScript regexes (generator/pattern.ts) -------------------

_REFUSED_ESCAPES: Final = frozenset("dDwWsSbB123456789kpPux")


def portable_pattern_fault(pattern: str) -> str | None:
    """Why ``pattern`` is outside the portable subset that generator/pattern.ts ``checkPortablePattern``
    allows (``\\d``, ``\\w``, ``\\s``, ``\\b``, backreferences, ``\\p``, ``\\u``, ``\\x``, ``.`` outside a class,
    ``(?`` other than ``(?:``), or None when it is inside."""
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if pattern[i + 1 : i + 2] in _REFUSED_ESCAPES:
                return f"the escape \\{pattern[i + 1]}"
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == ".":
            return '"." outside a character class'
        elif c == "(" and pattern[i + 1 : i + 2] == "?" and pattern[i + 2 : i + 3] != ":":
            return 'a group modifier "(?"'
        i += 1
    return None


def _translate(pattern: str) -> str:
    """The Python ``re`` source that matches what ``new RegExp(pattern, "u")`` matches, for a portable
    pattern: ``$`` becomes ``\\Z`` (Python's ``$`` also matches before a final newline), ``[]`` never
    matches, ``[^]`` matches any character, ``\\cX`` is the control character, and ``[`` inside a class
    is a literal (ECMAScript has no nested classes)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if pattern[i + 1 : i + 2] == "c":
                out.append(f"\\x{ord(pattern[i + 2]) % 32:02x}")
                i += 3
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append("\\" + c if c in "[&~|" else c)
        elif c == "[" and pattern.startswith("[]", i):
            out.append("(?!)")
            i += 1
        elif c == "[" and pattern.startswith("[^]", i):
            out.append("[\\s\\S]")
            i += 2
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern.startswith("[^", i):
                out.append("^")
                i += 1
        else:
            out.append("\\Z" if c == "$" else c)
        i += 1
    return "".join(out)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A compiled Python regex whose ``search`` gives ``new RegExp(pattern, "u").test(s)``'s verdict
    on every string; ``ValueError`` when ``pattern`` is not portable or not a regex."""
    fault = portable_pattern_fault(pattern)
    if fault is not None:
        raise ValueError(f"pattern {pattern!r} uses {fault}, which JavaScript and Python read differently")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        try:
            return re.compile(_translate(pattern))
        except re.error as err:
            raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {err}") from err


# --- format --------------------------------------------------------------------------------------

_DATE_TIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


def _date_time(s: str) -> bool:
    """RFC 3339 date-time as wsgen's wire rule narrows it (runtime.js ``isDateTime``, _wire.RFC3339_RE):
    ``YYYY-MM-DDTHH:MM:SS[.1-6 digits](Z|+HH:MM|-HH:MM)``, uppercase T and Z, year 0001-9999,
    a calendar day, no leap second."""
    return _DATE_TIME.fullmatch(s) is not None and s[:4] != "0000" and FORMAT_CHECKS["date"](s[:10])


#: The string formats wsgen asserts (generator/formats.ts STRING_FORMATS), by name.
FORMATS: Final[dict[str, Callable[[str], bool]]] = {"date-time": _date_time, **FORMAT_CHECKS}
