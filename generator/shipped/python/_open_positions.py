"""The open values of a validated model at any depth, walked as the TypeScript side walks them (open-fields.js).

An open value (any JSON, a record, an array, a checked value) can sit below a message's own fields: a property of a
nested object, of the branch a tagged union selected, the value of a key an open object does not declare. The
generator lists, per model class, these positions in schema order (``Positions``, in parse.py); a walk of them
finds the first open value nesting deeper than MAX_DEPTH (counted from the message root), else the first holding a
number beyond ±(2^53 - 1), NaN or ±Infinity, each at the JSON pointer of its open value. Only fields the message
set are walked (a default the parser filled in is not on the wire), and the keys not declared in code-unit order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final, TypeAlias

from pydantic import BaseModel

from ._depth import exceeds_depth, unsafe_number

__all__ = ["EXTRA", "OBJECT", "OPEN", "Positions", "first_deep", "first_unsafe"]

#: A row ``(OPEN, attribute, wire name)``: the field holds an open value.
OPEN: Final = 0
#: A row ``(OBJECT, attribute, wire name)``: the field holds a model (an object, or a tagged union's branch) to walk.
OBJECT: Final = 1
#: A row ``(EXTRA,)``: the values of the keys the model does not declare are open values.
EXTRA: Final = 3

#: By model class name, the rows of its open positions in schema order.
Positions: TypeAlias = Mapping[str, tuple[tuple[Any, ...], ...]]


def _code_units(key: str) -> bytes:
    """A key as its UTF-16 code units, so keys sort as JavaScript sorts them."""
    return key.encode("utf-16-be", "surrogatepass")


def open_values(value: BaseModel, table: Positions, path: tuple[str, ...] = (), depth: int = 0) -> Iterator[tuple[tuple[str, ...], Any, int]]:
    """Each open value set in ``value`` (a model at ``path``, at ``depth``): its path (wire names), the value and its depth."""
    rows = table.get(type(value).__name__)
    if rows is None:
        return
    fields_set = value.__pydantic_fields_set__
    for row in rows:
        kind = row[0]
        if kind == EXTRA:
            extra = value.__pydantic_extra__ or {}
            for key in sorted(extra, key=_code_units):
                yield (*path, key), extra[key], depth + 1
            continue
        attr, wire = row[1], row[2]
        if attr not in fields_set:
            continue
        x = value.__dict__[attr]
        if kind == OPEN:
            yield (*path, wire), x, depth + 1
        elif isinstance(x, BaseModel):
            yield from open_values(x, table, (*path, wire), depth + 1)


def first_deep(value: BaseModel, table: Positions) -> tuple[str, ...] | None:
    """The path of the first open value of ``value`` nesting deeper than MAX_DEPTH, if any."""
    for path, x, depth in open_values(value, table):
        if exceeds_depth(x, depth):
            return path
    return None


def first_unsafe(value: BaseModel, table: Positions) -> tuple[str, ...] | None:
    """The path of the first open value of ``value`` holding a number beyond ±(2^53 - 1), NaN or ±Infinity, if any."""
    for path, x, _depth in open_values(value, table):
        if x is not None and type(x) is not str and unsafe_number(x):
            return path
    return None
