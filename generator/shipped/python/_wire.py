"""Wire-level building blocks of the generated models, in one namespace (the modules of each concern re-exported).

Every rule narrows pydantic to exactly what the TypeScript validators accept, so both
targets give the same verdict on every message: ``_model`` (WireModel, NotNull),
``_integers`` (INTEGER, Integral), ``_numbers`` (MultipleOf), ``_literals`` (Const, WireEnum),
``_one_of`` (OneOf), ``_objects`` (ObjectRules, RuledModel), ``_wire_formats`` (DateTimeFormat,
UuidFormat), ``_formats`` (WireFormat, TextPattern), ``_depth`` (exceeds_depth, unsafe_number), ``_limits`` (MAX_DEPTH).
"""

from __future__ import annotations

from ._depth import exceeds_depth, unsafe_number
from ._formats import TextPattern, WireFormat
from ._integers import DOUBLE_OVERFLOW, INTEGER, MAX_SAFE_INTEGER, Integral
from ._limits import MAX_DEPTH
from ._literals import Const, WireEnum
from ._model import NotNull, WireModel
from ._numbers import MultipleOf, decimal_multiple
from ._objects import ObjectRules, RuledModel
from ._one_of import OneOf
from ._wire_formats import RFC3339_RE, UUID_RE, DateTimeFormat, UuidFormat

__all__ = [
    "DOUBLE_OVERFLOW",
    "INTEGER",
    "MAX_DEPTH",
    "MAX_SAFE_INTEGER",
    "RFC3339_RE",
    "UUID_RE",
    "Const",
    "DateTimeFormat",
    "Integral",
    "MultipleOf",
    "NotNull",
    "ObjectRules",
    "OneOf",
    "RuledModel",
    "TextPattern",
    "UuidFormat",
    "WireEnum",
    "WireFormat",
    "WireModel",
    "decimal_multiple",
    "exceeds_depth",
    "unsafe_number",
]
