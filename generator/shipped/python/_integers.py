"""Integers as JSON Schema reads them (2020-12 §6.2: ``1.0`` is an integer), within what every target reads."""

from __future__ import annotations

import math
from typing import Any, Final

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticKnownError, core_schema

__all__ = ["DOUBLE_OVERFLOW", "INTEGER", "MAX_SAFE_INTEGER", "Integral"]

#: The largest integer every target reads exactly, 2^53 − 1 (I-JSON, RFC 7493 §2.2). A number in
#: an open field must lie within ±MAX_SAFE_INTEGER: JavaScript reads any number beyond as a double
#: that cannot tell neighbouring integers apart (or as ±Infinity), Python reads integers exactly.
MAX_SAFE_INTEGER: Final = 9007199254740991

#: The smallest integer a double cannot hold: 2^1024 − 2^970 and above round to Infinity
#: (IEEE 754 round-half-even), which is how JavaScript reads such a JSON integer.
DOUBLE_OVERFLOW: Final = 2**1024 - 2**970


def _int_from_float(value: float) -> int:
    """The float branch of INTEGER: JSON ``1.0`` or ``1e2`` is an integer to JSON Schema, ``1.5`` is not."""
    if value.is_integer():
        return int(value)
    raise PydanticKnownError("int_type")


#: An integer as JSON Schema reads it: a JSON int, or an integral float (``1.0``, ``1e2``)
#: turned into an int; ``1.5``, ``"1"`` and ``true`` fail as ``int_type``, and so does an int
#: that JavaScript reads as ±Infinity (``1`` and 400 zeros), as the TS validator says of it.
#: An int never leaves pydantic-core; only a float calls back into Python. An int of 64 bits (every
#: JSON int a protocol sends) passes the first branch, whose bounds pydantic-core compares as
#: machine integers; only a longer one meets the branch whose bounds are big integers (about 500
#: instructions more per field, ``bench/python/bench_parse.py --breakdown``). The union's own
#: custom error (one step less than a custom-error wrapper) makes any failure ``int_type``.
INTEGER: core_schema.CoreSchema = core_schema.union_schema(
    [
        core_schema.int_schema(strict=True, ge=-(2**63), le=2**63 - 1),
        core_schema.int_schema(strict=True, lt=DOUBLE_OVERFLOW, gt=-DOUBLE_OVERFLOW),
        core_schema.chain_schema(
            [core_schema.float_schema(strict=True, allow_inf_nan=False), core_schema.no_info_plain_validator_function(_int_from_float)]
        ),
    ],
    mode="left_to_right",
    custom_error_type="int_type",
)


def _int_bounds(bounds: dict[str, int]) -> core_schema.CoreSchema:
    return core_schema.int_schema(strict=True, ge=bounds.get("ge"), le=bounds.get("le"), gt=bounds.get("gt"), lt=bounds.get("lt"))


class Integral:
    """An ``integer`` field: INTEGER, then its bounds, all inside pydantic-core on the int path.

    A fractional bound (``minimum: 0.5``) is checked as the integer bound it amounts
    to (``ge=1``) and reported as the schema wrote it, as the TS validator does.
    """

    __slots__ = ("ge", "le", "gt", "lt")

    def __init__(self, *, ge: float | None = None, le: float | None = None, gt: float | None = None, lt: float | None = None) -> None:
        self.ge, self.le, self.gt, self.lt = ge, le, gt, lt

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """INTEGER chained with the integer bounds, then one custom-error step per fractional bound."""
        steps: list[core_schema.CoreSchema] = [INTEGER]
        exact: dict[str, int] = {}
        for key, bound, rounded, error in (
            ("ge", self.ge, math.ceil, "greater_than_equal"),
            ("le", self.le, math.floor, "less_than_equal"),
            ("gt", self.gt, math.floor, "greater_than"),
            ("lt", self.lt, math.ceil, "less_than"),
        ):
            if bound is None:
                continue
            if float(bound).is_integer():
                exact[key] = int(bound)
            else:
                check = _int_bounds({key: rounded(bound)})
                steps.append(core_schema.custom_error_schema(check, custom_error_type=error, custom_error_context={key: bound}))
        steps.insert(1, _int_bounds(exact))
        return core_schema.chain_schema(steps)

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """``{"type": "integer"}`` with the bounds as the schema wrote them."""
        bounds = {"minimum": self.ge, "maximum": self.le, "exclusiveMinimum": self.gt, "exclusiveMaximum": self.lt}
        return {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}}
