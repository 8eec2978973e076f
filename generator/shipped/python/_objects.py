"""The object keywords pydantic has no field for (JSON Schema 2020-12 §10.3.2, §6.5), checked on the object as it arrives."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError, SchemaValidator, core_schema

from ._model import WireModel, strict_adapter

__all__ = ["ObjectRules", "RuledModel"]

_Built = tuple[list[tuple[SchemaValidator, TypeAdapter[Any] | None]], TypeAdapter[Any] | None, TypeAdapter[Any] | None]


def _object_error(keyword: str, message: str, at: str | None = None, inner: dict[str, Any] | None = None, **params: Any) -> PydanticCustomError:
    """An object keyword's failure. ``at``: the key whose value failed; ``inner``: that value's first
    error (loc relative to it), which the issue reports in its place, as the TS validator does."""
    return PydanticCustomError("wsgen_object", message, {"keyword": keyword, "at": at, "inner": inner, "params": params})


class ObjectRules:
    """The rules of one object type beyond its declared fields.

    ``declared``: the wire names of the properties. ``additional``: the type of every other key's
    value that matches no pattern (``Any``: an open object; ``None``: closed). ``patterns``: pairs of a
    pattern (searched with pydantic-core's regex engine, as field patterns are) and the type of the
    value of every key it matches, declared keys included. ``names``: the type every key must have.
    """

    __slots__ = ("declared", "additional", "patterns", "names", "min_properties", "max_properties", "dependent_required", "_built")

    def __init__(
        self,
        *,
        declared: tuple[str, ...] = (),
        additional: Any = None,
        patterns: tuple[tuple[str, Any], ...] = (),
        names: Any = None,
        min_properties: int | None = None,
        max_properties: int | None = None,
        dependent_required: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ) -> None:
        self.declared = frozenset(declared)
        self.additional = additional
        self.patterns = patterns
        self.names = names
        self.min_properties = min_properties
        self.max_properties = max_properties
        self.dependent_required = dependent_required
        self._built: _Built | None = None

    def _validators(self) -> _Built:
        if self._built is None:

            def value(t: Any) -> TypeAdapter[Any] | None:
                return None if t is Any or t is None else strict_adapter(t)

            patterns = [(SchemaValidator(core_schema.str_schema(pattern=p)), value(t)) for p, t in self.patterns]
            self._built = (patterns, value(self.additional), value(self.names))
        return self._built

    def check(self, data: dict[str, Any]) -> None:
        """Raises the first broken rule of `data` (a JSON object as parsed) as a ``wsgen_object`` error."""
        count = len(data)
        if self.min_properties is not None and count < self.min_properties:
            raise _object_error("minProperties", f"must NOT have fewer than {self.min_properties} properties", limit=self.min_properties)
        if self.max_properties is not None and count > self.max_properties:
            raise _object_error("maxProperties", f"must NOT have more than {self.max_properties} properties", limit=self.max_properties)
        for key, needed in self.dependent_required:
            if key in data:
                for other in needed:
                    if other not in data:
                        raise _object_error(
                            "dependentRequired",
                            f"must have propert{'y' if len(needed) == 1 else 'ies'} {', '.join(needed)} when property {key} is present",
                            property=key, missingProperty=other, depsCount=len(needed), deps=", ".join(needed),
                        )
        patterns, additional, names = self._validators()
        for key, item in data.items():
            if names is not None and _first_error(names, key) is not None:
                raise _object_error("propertyNames", "property name must be valid", propertyName=key)
            matched = False
            for matcher, adapter in patterns:
                if matcher.isinstance_python(key):
                    matched = True
                    inner = None if adapter is None else _first_error(adapter, item)
                    if inner is not None:
                        raise _object_error("patternProperties", "must match the schema of its pattern", key, inner)
            if matched or key in self.declared:
                continue
            if self.additional is None:
                raise _object_error("additionalProperties", "must NOT have additional properties", None, additionalProperty=key)
            inner = None if additional is None else _first_error(additional, item)
            if inner is not None:
                raise _object_error("additionalProperties", "must match the schema of additionalProperties", key, inner)


def _first_error(adapter: TypeAdapter[Any], value: Any) -> dict[str, Any] | None:
    """The first error of `value` against `adapter` (loc relative to the value), or None when it is valid."""
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        return {"type": first["type"], "loc": tuple(first["loc"]), "msg": first["msg"], "ctx": first.get("ctx") or {}}
    return None


class RuledModel(WireModel):
    """A model whose object keywords beyond its fields are checked by its ``__wire_rules__`` before its fields."""

    __wire_rules__: ClassVar[ObjectRules] = ObjectRules()

    @model_validator(mode="before")
    @classmethod
    def _object_rules(cls, data: Any) -> Any:
        if isinstance(data, dict):
            cls.__wire_rules__.check(data)
        return data
