"""The results of parse_message and validate_message, and numbers written as JavaScript writes them.

Issues have the shape of the TypeScript ``parseMessage`` issues (a JSON pointer,
the JSON Schema keyword, a message, the keyword's parameters), so an error_message
reply reads the same whichever side wrote it.
"""

from __future__ import annotations

import math
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

__all__ = ["ParseError", "ParseOk", "ParsedOk", "ValidationIssue", "js_value", "number_text", "pointer"]

#: The type of a valid message (the schema's tagged union of models).
M = TypeVar("M", bound=BaseModel)
#: The type of a valid value: a message model, or any root type (an enum, a list, a string...).
V = TypeVar("V")


class ValidationIssue:
    """One problem of a message: JSON pointer, JSON Schema keyword, message and keyword parameters."""

    __slots__ = ("path", "keyword", "message", "params")

    def __init__(self, path: str, keyword: str, message: str, params: dict[str, Any] | None = None) -> None:
        self.path = path
        self.keyword = keyword
        self.message = message
        self.params: dict[str, Any] = params if params is not None else {}

    def to_dict(self) -> dict[str, Any]:
        """The issue as the wire carries it in error_details.errors."""
        return {"path": self.path, "keyword": self.keyword, "message": self.message, "params": self.params}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValidationIssue) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.path, self.keyword, self.message))

    def __repr__(self) -> str:
        return f"ValidationIssue(path={self.path!r}, keyword={self.keyword!r}, message={self.message!r}, params={self.params!r})"


class ParseOk(Generic[V]):
    """A valid message: ``value`` is the model of its type (or the value of a root type that is no tagged union)."""

    __slots__ = ("value",)
    ok: Literal[True] = True

    def __init__(self, value: V) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"ParseOk({self.value!r})"


class ParsedOk(ParseOk[V]):
    """The ParseOk that parse_message returns: the same slot, attributes and methods (an instance of ParseOk).

    Its ``__init__`` is ``object.__init__``: it is made by a call of the class with no arguments, with no Python
    frame and no argument tuple (``ParseOk(value)`` runs a Python ``__init__``, ``object.__new__(ParseOk)`` packs
    its argument), and its ``value`` is set after.
    """

    __slots__ = ()
    __init__ = object.__init__


class ParseError:
    """An invalid message (or text that is not JSON): ``errors`` says why."""

    __slots__ = ("errors",)
    ok: Literal[False] = False

    def __init__(self, errors: list[ValidationIssue]) -> None:
        self.errors = errors

    def __repr__(self) -> str:
        return f"ParseError({self.errors!r})"


def number_text(value: float) -> str:
    """The text ECMAScript's Number::toString gives a number (ECMA-262 §6.1.6.1.20).

    JSON.stringify and the TS validators' messages write numbers so: the shortest
    digits that read back as the same double (Python's ``repr`` finds the same digits),
    plain notation from 1e-6 up to 1e21, ``1e+21`` and ``1e-7`` beyond, ``-0`` as ``0``.
    Issue messages of both targets thus read alike (``must be <= 0.000025``).
    """
    x = float(value)
    if x != x:
        return "NaN"
    if x in (math.inf, -math.inf):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    mantissa, _, exp = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).rstrip("0")
    n = len(whole) + (int(exp) if exp else 0)
    stripped = digits.lstrip("0")
    n -= len(digits) - len(stripped)
    digits = stripped
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e >= 0 else "e-") + str(abs(e))


def js_value(value: Any) -> Any:
    """A number as JavaScript holds it, for issue params: an int where JavaScript prints no
    fraction or exponent (below 1e21), a float otherwise (``2.5e-05``, ``1e+21``)."""
    if type(value) is float and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if type(value) is int and abs(value) >= 10**21:
        return float(value)
    return value


def pointer(loc: tuple[int | str, ...]) -> str:
    """The JSON pointer (RFC 6901) of a path of keys and indices: ``~`` written ``~0``, ``/`` written ``~1``."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in loc)
