"""Walks of JSON-like values: nesting depth and numbers beyond what every target reads exactly (I-JSON, RFC 7493 §2.2)."""

from __future__ import annotations

import re
from typing import Any, Final

from pydantic import BaseModel

from ._integers import MAX_SAFE_INTEGER
from ._limits import MAX_DEPTH

__all__ = ["exceeds_depth", "model_values", "shallow_text", "unsafe_number"]

#: A JSON string (skipped whole) or a bracket of an array or object.
_STRUCTURE: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def shallow_text(text: str, keep: int) -> str:
    """The JSON ``text`` with every array or object that opens deeper than ``keep`` levels written as ``0``: a text
    ``json.loads`` reads without reaching its recursion limit whatever the nesting, and whose values nest past
    ``keep`` where the text's do (``keep`` > MAX_DEPTH keeps every depth issue). No iteration depends on the nesting
    but the scan itself, which holds one counter."""
    out: list[str] = []
    depth, start, done = 0, -1, 0
    for token in _STRUCTURE.finditer(text):
        mark = token.group()
        if mark[0] == '"':
            continue
        depth += 1 if mark in "[{" else -1
        if mark in "[{" and depth == keep + 1:
            start = token.start()
        elif mark in "]}" and depth == keep and start >= 0:
            out += (text[done:start], "0")
            done, start = token.end(), -1
    return "".join(out) + text[done:] if start < 0 else text


def exceeds_depth(value: Any, depth: int) -> bool:
    """Whether a JSON-like value nests deeper than MAX_DEPTH, `value` sitting at `depth` (the message is depth 0)."""
    if depth > MAX_DEPTH:
        return True
    if isinstance(value, dict):
        return any(exceeds_depth(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(exceeds_depth(v, depth + 1) for v in value)
    if isinstance(value, BaseModel):
        return any(exceeds_depth(v, depth + 1) for v in model_values(value))
    return False


def model_values(value: BaseModel) -> list[Any]:
    """The values of a model inside an open value, as its JSON object holds them: the fields it set and its undeclared keys."""
    fields = value.__dict__
    return [fields[name] for name in value.__pydantic_fields_set__ if name in fields] + list((value.__pydantic_extra__ or {}).values())


def unsafe_number(value: Any) -> bool:
    """Whether a JSON-like value holds a number beyond ±MAX_SAFE_INTEGER, ±inf or NaN, at any depth.

    A model (an object of an array or record) counts by the values its JSON object holds (``model_values``).
    ``bool`` is not a number here (JSON ``true`` is not). Recursive: callers pass values within
    the depth limit (the JSON parser enforces it; validate_message checks it first). Strings and
    nulls, the common leaves, are passed over without a call.
    """
    t = type(value)
    if t is dict:
        values = value.values()
    elif t is list or t is tuple:
        values = value
    elif t is int or t is float:
        return not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    elif isinstance(value, BaseModel):
        # A model inside an open value (an array or record of objects): its JSON object's values.
        values = model_values(value)
    else:
        return False
    for x in values:
        tx = type(x)
        if tx is str or x is None or tx is bool:
            continue
        if tx is int or tx is float:
            if not -MAX_SAFE_INTEGER <= x <= MAX_SAFE_INTEGER:
                return True
        elif unsafe_number(x):
            return True
    return False
