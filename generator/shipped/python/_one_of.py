"""``oneOf`` whose branches can overlap (JSON Schema 2020-12 §10.2.1.3), counted as the TS validator counts them."""

from __future__ import annotations

from typing import Any

from pydantic import GetCoreSchemaHandler, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError, core_schema

from ._model import strict_adapter

__all__ = ["OneOf"]


class OneOf:
    """``oneOf`` whose branches can overlap: exactly one branch may match.

    pydantic's union accepts a value that matches any branch. After it, this counts
    the branches the value itself matches (each a strict validator, built on first
    use) and fails as ``one_of`` when two or more do, as the TS validator's oneOf.
    Used only where the generator cannot prove the branches exclusive.
    """

    __slots__ = ("branches", "_adapters")

    def __init__(self, *branches: Any) -> None:
        self.branches = branches
        self._adapters: list[TypeAdapter[Any]] | None = None

    def passing(self, value: Any) -> list[int]:
        """The indices of the branches `value` is valid against, up to the second one."""
        if self._adapters is None:
            self._adapters = [strict_adapter(b) for b in self.branches]
        found: list[int] = []
        for i, adapter in enumerate(self._adapters):
            try:
                adapter.validate_python(value)
            except ValidationError:
                continue
            found.append(i)
            if len(found) == 2:
                break
        return found

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """The union, wrapped by the count of passing branches (a ``one_of`` error when two or more pass)."""

        def exactly_one(value: Any, union: core_schema.ValidatorFunctionWrapHandler) -> Any:
            result = union(value)
            passing = self.passing(value)
            if len(passing) > 1:
                raise PydanticCustomError("one_of", "must match exactly one schema in oneOf", {"passingSchemas": passing})
            return result

        return core_schema.no_info_wrap_validator_function(exactly_one, handler(source))
