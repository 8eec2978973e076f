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

__all__ = ["FORMATS", "compile_pattern", "freeze", "js_number", "number_limit", "pattern_fault", "pointer_token", "python_types"]


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
    strings by code points, booleans and null by themselves, arrays (a list, or a tuple: the JSON array it is sent
    as) elementwise (tuples), objects as sets of (name, value) pairs (frozensets)."""
    kind = type(value)
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is list or kind is tuple:
        return tuple(freeze(v) for v in value)
    if kind is dict:
        return frozenset((k, freeze(v)) for k, v in value.items())
    return value


_PYTHON_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list, tuple),  # a tuple: a value built in Python, sent as a JSON array
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


# --- pattern: ECMAScript regexes with the u flag, translated to Python re ------------------------

#: ECMAScript's \s: WhiteSpace and LineTerminator code points (ECMA-262 §22.2.2.9, CharacterClassEscape).
_JS_SPACE: Final = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
#: What ECMAScript's "." (without the s flag) does not match: the LineTerminator code points.
_JS_DOT: Final = "[^\\n\\r\\u2028\\u2029]"
#: Escapes this translation refuses: backreferences (a group not yet matched matches "" in ECMAScript, fails in
#: Python) and Unicode property escapes (Python's re has none).
_REFUSED_ESCAPES: Final = frozenset("123456789kpP")


def pattern_fault(pattern: str) -> str | None:
    """Why ``pattern`` is outside what :func:`compile_pattern` reads exactly (a backreference, ``\\p{…}``, or
    ``\\S`` inside a class), or None. Every regex that generator/pattern.ts ``checkPortablePattern`` passes is inside."""
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped in _REFUSED_ESCAPES or (in_class and escaped == "S"):
                return f"the escape \\{escaped}" + (" inside a class" if escaped == "S" else "")
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        i += 1
    return None


def _code_point(code: int) -> str:
    return f"\\U{code:08x}"


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """The Python source of the escape at ``pattern[i]`` (a backslash) and the index after it: ``\\cX``, ``\\xHH``,
    ``\\uHHHH`` (a surrogate pair of them is one code point, as the u flag reads it), ``\\u{H…}`` as code points,
    ``\\s``/``\\S`` as ECMAScript's set; the rest (``\\d``, ``\\w``, ``\\b`` read as ASCII, control and syntax
    characters) as they are."""
    escaped = pattern[i + 1]
    if escaped == "c":
        return _code_point(ord(pattern[i + 2]) % 32), i + 3
    if escaped == "x":
        return _code_point(int(pattern[i + 2 : i + 4], 16)), i + 4
    if escaped == "u" and pattern[i + 2] == "{":
        end = pattern.index("}", i)
        return _code_point(int(pattern[i + 3 : end], 16)), end + 1
    if escaped == "u":
        code, end = int(pattern[i + 2 : i + 6], 16), i + 6
        if 0xD800 <= code < 0xDC00 and pattern.startswith("\\u", end) and pattern[end + 2 : end + 3] != "{":
            low = int(pattern[end + 2 : end + 6], 16)
            if 0xDC00 <= low < 0xE000:
                return _code_point(0x10000 + (code - 0xD800) * 0x400 + low - 0xDC00), end + 6
        return _code_point(code), end
    if escaped == "s":
        return (_JS_SPACE if in_class else f"[{_JS_SPACE}]"), i + 2
    if escaped == "S":
        return f"[^{_JS_SPACE}]", i + 2
    return pattern[i : i + 2], i + 2


def _translate(pattern: str) -> str:
    """The Python ``re`` source (compiled with ``re.ASCII``) that matches what ``new RegExp(pattern, "u")`` matches:
    ``$`` becomes ``\\Z`` (Python's ``$`` also matches before a final newline), ``.`` excludes ECMAScript's line
    terminators, ``[]`` never matches, ``[^]`` matches any character, ``[`` inside a class is a literal (ECMAScript
    has no nested classes), ``(?<name>`` is ``(?P<name>``, escapes as :func:`_escape` writes them."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            source, i = _escape(pattern, i, in_class)
            out.append(source)
            continue
        if in_class:
            in_class = c != "]"
            out.append("\\" + c if c in "[&~|" else c)
        elif pattern.startswith(("[]", "[^]"), i):
            out.append("(?!)" if pattern[i + 1] == "]" else "[\\s\\S]")
            i += 1 if pattern[i + 1] == "]" else 2
        elif c == "[":
            in_class = True
            out.append("[^" if pattern.startswith("[^", i) else "[")
            i += pattern.startswith("[^", i)
        elif pattern.startswith("(?<", i) and pattern[i + 3 : i + 4] not in ("=", "!"):
            out.append("(?P<")
            i += 2
        else:
            out.append({"$": "\\Z", ".": _JS_DOT}.get(c, c))
        i += 1
    return "".join(out)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A compiled Python regex whose ``search`` gives ``new RegExp(pattern, "u").test(s)``'s verdict on every
    string; ``ValueError`` when :func:`pattern_fault` names a construct, or Python's ``re`` cannot read the
    translation (a lookbehind of variable length, a group name that is not a Python identifier)."""
    fault = pattern_fault(pattern)
    if fault is not None:
        raise ValueError(f"pattern {pattern!r} uses {fault}, which Python's re cannot read as ECMAScript does")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        try:
            return re.compile(_translate(pattern), re.ASCII)
        except re.error as err:
            raise ValueError(f"pattern {pattern!r} is not a regular expression Python's re reads as ECMAScript does: {err}") from err


# --- format --------------------------------------------------------------------------------------

_DATE_TIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


def _date_time(s: str) -> bool:
    """RFC 3339 date-time as wsgen's wire rule narrows it (runtime.js ``isDateTime``, _wire.RFC3339_RE):
    ``YYYY-MM-DDTHH:MM:SS[.1-9 digits](Z|+HH:MM|-HH:MM)``, uppercase T and Z, year 0001-9999,
    a calendar day, no leap second."""
    return _DATE_TIME.fullmatch(s) is not None and s[:4] != "0000" and FORMAT_CHECKS["date"](s[:10])


#: The string formats wsgen asserts (generator/formats.ts STRING_FORMATS), by name.
FORMATS: Final[dict[str, Callable[[str], bool]]] = {"date-time": _date_time, **FORMAT_CHECKS}
