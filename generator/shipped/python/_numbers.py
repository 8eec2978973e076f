"""``multipleOf`` by exact decimal arithmetic, the rule the generated TypeScript applies
(runtime.js ``decimalMultiple``; generator/decimal-multiple.ts; README "Numbers")."""

from __future__ import annotations

import math
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from ._integers import MAX_SAFE_INTEGER

__all__ = ["MultipleOf", "decimal_multiple"]


def decimal_multiple(value: float, digits: int, exponent: int) -> bool:
    """Whether the decimal of ``value``'s shortest round-trip text (``repr``, the digits JavaScript's
    ``String`` writes) divided by ``digits * 10**exponent`` is an integer (README "Numbers")."""
    try:
        safe = type(value) is int and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
        text = str(value) if safe else repr(float(value))
    except OverflowError:
        return False
    mantissa, _, exp = text.lstrip("-").partition("e")
    if not math.isfinite(float(mantissa)):
        return False
    whole, _, fraction = mantissa.partition(".")
    number = int(whole + fraction)
    if number == 0:
        return True
    k = int(exp or 0) - len(fraction) - exponent
    scale = int(10 ** abs(k))
    return (number * scale) % digits == 0 if k >= 0 else number % (digits * scale) == 0


class MultipleOf:
    """``multipleOf`` by exact decimal arithmetic (decimal_multiple), after the type and bounds.

    ``digits * 10**exponent`` is the schema's multipleOf; the issue reads as ajv's:
    keyword ``multipleOf``, ``params: {"multipleOf": limit}``, ``must be multiple of <limit>``.
    """

    __slots__ = ("digits", "exponent", "limit", "text")

    def __init__(self, digits: int, exponent: int, limit: float, text: str) -> None:
        self.digits, self.exponent, self.limit, self.text = digits, exponent, limit, text

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        digits, exponent = self.digits, self.exponent
        context = {"keyword": "multipleOf", "params": {"multipleOf": self.limit}}
        message = f"must be multiple of {self.text}"

        def validate(value: Any) -> Any:
            if not decimal_multiple(value, digits, exponent):
                raise PydanticCustomError("wsgen_object", message, context)
            return value

        return core_schema.no_info_after_validator_function(validate, handler(source))
