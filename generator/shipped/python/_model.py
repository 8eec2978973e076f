"""The base of every generated model, and the strict validators the other wire rules build on.

Every rule runs inside pydantic-core (no Python call on the hot path) unless noted,
and narrows pydantic to exactly what the TypeScript validators accept, so both
targets give the same verdict on every message.
"""

from __future__ import annotations

from typing import Annotated, Any, Self, get_args, get_origin

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, TypeAdapter
from pydantic_core import core_schema

__all__ = ["NotNull", "WireModel", "strict_adapter"]


class WireModel(BaseModel):
    """Base of every generated model: strict types, unknown fields rejected, no inf/nan, assignments validated.

    A property whose wire name is not a Python name (``from``, ``class``, ``x-y``) is the
    attribute ``from_``, ``class_``, ``x_y``: Python code constructs a model by attribute
    name (``Msg(from_="a")``) or by wire name (``Msg(**{"from": "a"})``), and dumps use
    wire names. Validation of wire data (``model_validate``, ``model_validate_json``,
    ``parse_message``) reads wire names only, as the TypeScript validators do: a key
    ``from_`` in a message is an unknown property.
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        allow_inf_nan=False,
        frozen=False,
        validate_assignment=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validates wire data (a dict of wire names) into this model; ``by_name`` defaults to False."""
        kwargs.setdefault("by_name", False)
        return super().model_validate(obj, **kwargs)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Validates a JSON text (wire names) into this model; ``by_name`` defaults to False."""
        kwargs.setdefault("by_name", False)
        return super().model_validate_json(json_data, **kwargs)


class NotNull:
    """Marker for optional fields: absent means None, but an explicit JSON null is rejected.

    ``Annotated[T | None, NotNull] = None`` keeps the ``T | None`` type for mypy and
    drops the nullable wrapper from the core schema, so null fails like any wrong type.
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """The core schema of ``source`` without its nullable wrapper."""
        schema = handler(source)
        if schema["type"] == "nullable":
            inner: core_schema.CoreSchema = schema["schema"]
            return inner
        return schema


def strict_adapter(branch: Any) -> TypeAdapter[Any]:
    """A validator of one type (a union branch, a pattern's value type) with the rules of a WireModel
    field: strict, no inf/nan. A model keeps its own config."""
    bare = get_args(branch)[0] if get_origin(branch) is Annotated else branch
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return TypeAdapter(branch)
    return TypeAdapter(branch, config=ConfigDict(strict=True, allow_inf_nan=False))
