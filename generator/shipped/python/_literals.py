"""``const`` and ``enum`` (JSON Schema 2020-12 §6.1.2, §6.1.3) with the exact JSON type and the TS validator's errors."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from ._integers import INTEGER

__all__ = ["Const", "WireEnum"]


class Const:
    """A ``const``: the exact JSON type, then the value (``Literal[True]`` alone accepts 1), any failure reported as a const error."""

    __slots__ = ("value",)

    def __init__(self, value: bool | int | str) -> None:
        self.value = value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """The JSON type of the value, then the literal, inside one ``wsgen_const`` custom error."""
        value = self.value
        base: core_schema.CoreSchema
        if isinstance(value, bool):
            base = core_schema.bool_schema(strict=True)
        elif isinstance(value, int):
            base = INTEGER
        else:
            base = core_schema.str_schema(strict=True)
        # Any failure is a const error carrying the value, as the TS validator reports it.
        return core_schema.custom_error_schema(
            core_schema.chain_schema([base, core_schema.literal_schema([value])]),
            custom_error_type="wsgen_const",
            custom_error_message="must be equal to constant",
            custom_error_context={"allowedValue": value},
        )


class WireEnum:
    """An enum field: the value on the wire (and from JSON-like Python values), the member in Python."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """The wire value (an INTEGER or a str) to its member, inside one ``wsgen_enum`` custom error.

        Raises TypeError when ``source`` is not an Enum class."""
        if not (isinstance(source, type) and issubclass(source, Enum)):
            raise TypeError(f"WireEnum needs an Enum class, got {source!r}")
        members = list(source.__members__.values())
        schema: core_schema.CoreSchema
        if issubclass(source, int):
            strict = core_schema.enum_schema(source, members, sub_type="int", strict=True)
            lax = core_schema.enum_schema(source, members, sub_type="int", strict=False)
            schema = core_schema.json_or_python_schema(
                json_schema=core_schema.chain_schema([INTEGER, strict]),
                python_schema=core_schema.chain_schema([INTEGER, lax]),
            )
        else:
            strict = core_schema.enum_schema(source, members, sub_type="str", strict=True)
            lax = core_schema.enum_schema(source, members, sub_type="str", strict=False)
            schema = core_schema.json_or_python_schema(
                json_schema=strict,
                python_schema=core_schema.chain_schema([core_schema.str_schema(strict=True), lax]),
            )
        # Any failure is an enum error listing the wire values, as the TS validator reports it.
        return core_schema.custom_error_schema(
            schema,
            custom_error_type="wsgen_enum",
            custom_error_message="must be equal to one of the allowed values",
            custom_error_context={"allowedValues": [m.value for m in members]},
        )
