"""The JSON validator of parse_message: the union's core schema with every open field's JSON values bounded.

An open field (a value the schema leaves open: any JSON, or an object of any JSON) must hold only
numbers within ±(2^53 − 1) and no ``NaN`` or ``Infinity`` literal (I-JSON, RFC 7493 §2.2; pydantic-core's
parser reads those literals). ``bounded_union`` gives those fields, when read from JSON, a recursive
JSON-value schema that checks this inside pydantic-core, so a valid message needs no walk of its
values in Python. A value out of range fails as the error type ``UNSAFE_NUMBER`` and nothing else;
the caller then reads the message again the exact way (the union's own validator, then the walk).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic_core import SchemaValidator, core_schema

from ._integers import MAX_SAFE_INTEGER
from ._json_fast_paths import fast_field_schema

__all__ = ["UNSAFE_NUMBER", "bounded_union", "bounded_validator"]

#: The error type of an open field's value that holds a number beyond ±(2^53 − 1), NaN or ±Infinity.
UNSAFE_NUMBER: Final = "wsgen_unsafe_number"

_REF: Final = "wsgen-bounded-json-value"


def _json_value() -> core_schema.CoreSchema:
    """Any JSON value whose numbers lie within ±MAX_SAFE_INTEGER, at any depth (the parser bounds the depth).

    Strict branches take disjoint JSON types but for the float branch, which also takes an int (as a float): the int
    branch stays before it, so an int stays an int, as ``Any`` keeps it. Otherwise the order changes no verdict and
    no value; it is chosen for cost. Each branch a value fails first costs pydantic-core an error that holds a copy of
    the value, and the copy of an object or array is deep (one allocation per member): objects and arrays go first,
    so that no container fails a scalar branch; strings, then numbers follow.
    """
    ref = core_schema.definition_reference_schema(_REF)
    return core_schema.union_schema(
        [
            core_schema.dict_schema(core_schema.str_schema(strict=True), ref, strict=True),
            core_schema.list_schema(ref, strict=True),
            core_schema.str_schema(strict=True),
            core_schema.int_schema(strict=True, ge=-MAX_SAFE_INTEGER, le=MAX_SAFE_INTEGER),
            core_schema.float_schema(strict=True, allow_inf_nan=False, ge=-MAX_SAFE_INTEGER, le=MAX_SAFE_INTEGER),
            core_schema.bool_schema(strict=True),
            core_schema.none_schema(),
        ],
        mode="left_to_right",
        custom_error_type=UNSAFE_NUMBER,
        custom_error_message="must hold only numbers within the interoperable range",
        ref=_REF,
    )


def _bounded_field(field: dict[str, Any]) -> dict[str, Any] | None:
    """A model field whose JSON value is bounded; None when its schema is not an open value (any, or dict of any)."""
    outer: dict[str, Any] = field["schema"]
    inner = outer["schema"] if outer["type"] == "default" else outer
    ref = core_schema.definition_reference_schema(_REF)
    if inner == {"type": "any"}:
        json_schema: core_schema.CoreSchema = ref
    elif inner == {"type": "dict", "keys_schema": {"type": "str"}, "values_schema": {"type": "any"}}:
        json_schema = {**inner, "values_schema": ref}
    else:
        return None
    bounded: core_schema.CoreSchema = core_schema.json_or_python_schema(json_schema=json_schema, python_schema=inner)
    return {**field, "schema": {**outer, "schema": bounded} if outer is not inner else bounded}


def _bounded_model(model: dict[str, Any], names: tuple[str, ...], short_text: int | None) -> dict[str, Any] | None:
    """A model schema (inline, fields read directly) with the fields ``names`` bounded and every other field in its
    fast form where it has one (``_json_fast_paths``, ``short_text`` as there); None when it has another shape or an
    open field cannot be bounded."""
    if model.get("type") != "model" or model["schema"].get("type") != "model-fields":
        return None
    fields = dict(model["schema"]["fields"])
    for name, field in fields.items():
        if name in names:
            continue
        fast = fast_field_schema(field["schema"], short_text)
        if fast is not None:
            fields[name] = {**field, "schema": fast}
    for name in names:
        field = fields.get(name)
        bounded = _bounded_field(field) if field is not None else None
        if bounded is None:
            return None
        fields[name] = bounded
    return {**model, "schema": {**model["schema"], "fields": fields}}


def bounded_union(
    schema: core_schema.CoreSchema, open_fields: Mapping[str, tuple[str, ...]], short_text: int | None = None
) -> core_schema.CoreSchema | None:
    """A copy of a tagged union's core schema in which every open field (by tag: ``open_fields``), read from
    JSON, holds only JSON values within ±(2^53 − 1), and every other field has its fast form where it has one
    (``_json_fast_paths``: a value the fast form refuses fails as ``REREAD``; ``short_text``: the validator reads
    only texts of at most that many characters, ``short_text_limit``); read from Python it is unchanged.
    Only the copied path is new (the model classes are the same, so values are instances of the generated models).

    None unless every tag's model is an inline model schema whose open fields are ``Any`` or ``dict[str, Any]``
    (then the caller keeps the walk in Python).
    """
    union: dict[str, Any] = dict(schema)
    if union.get("type") != "tagged-union":
        return None
    choices = dict(union["choices"])
    for tag, choice in choices.items():
        names = open_fields.get(tag, ())
        bounded = _bounded_model(choice, names, short_text) if isinstance(choice, dict) else None
        if bounded is None and names:
            return None
        if bounded is not None:
            choices[tag] = bounded
    union["choices"] = choices
    return core_schema.definitions_schema(union, [_json_value()])


def bounded_validator(
    schema: core_schema.CoreSchema, open_fields: Mapping[str, tuple[str, ...]], short_text: int | None = None
) -> SchemaValidator | None:
    """The validator of ``bounded_union(schema, open_fields, short_text)``, or None when there is none.

    pydantic-core builds a model schema whose class is complete from the class's own validator (its
    "prebuilt" validator, which reads open fields as ``Any``) instead of the schema given. While this
    validator is built, each rewritten model's class is marked incomplete (``__pydantic_complete__``,
    which only schema building reads), so its copied schema is the one built; the mark is restored after.
    """
    bounded = bounded_union(schema, open_fields, short_text)
    if bounded is None:
        return None
    choices = bounded["schema"]["choices"]
    classes = [choice["cls"] for choice in choices.values() if isinstance(choice, dict) and choice.get("type") == "model"]
    flipped = [cls for cls in classes if cls.__dict__.get("__pydantic_complete__") is True]
    try:
        for cls in flipped:
            type.__setattr__(cls, "__pydantic_complete__", False)
        return SchemaValidator(bounded)
    finally:
        for cls in flipped:
            type.__setattr__(cls, "__pydantic_complete__", True)
