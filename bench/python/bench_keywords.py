#!/usr/bin/env python3
"""Microseconds per check of wsgen's keyword checker (generator/shipped/python/_keywords.py) on typical
checked-JSON subschemas: is_valid on a valid value, and errors() on an invalid one (best of several rounds,
process CPU time: the machine may be shared), beside json.loads of the valid value's JSON text in the same
run (the machine's yardstick: ratio = is_valid / loads).

    .venv/bin/python bench/python/bench_keywords.py [--rounds 5] [--number 20000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True
sys.path.insert(0, str(ROOT / "test" / "python"))

SHAPE = {
    "oneOf": [
        {"type": "object", "properties": {"kind": {"const": "circle"}, "r": {"type": "number", "exclusiveMinimum": 0}}, "required": ["kind", "r"]},
        {
            "type": "object",
            "properties": {"kind": {"const": "rect"}, "w": {"type": "number"}, "h": {"type": "number"}},
            "required": ["kind", "w", "h"],
        },
        {
            "type": "object",
            "properties": {
                "kind": {"const": "path"},
                "points": {"type": "array", "items": {"prefixItems": [{"type": "number"}, {"type": "number"}], "items": False}},
            },
        },
    ]
}
ITEM = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "email": {"type": "string", "format": "email"},
        "price": {"type": "number", "multipleOf": 0.01, "minimum": 0},
        "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}, "uniqueItems": True, "maxItems": 8},
    },
    "required": ["id", "price"],
    "additionalProperties": False,
}
TREE = {
    "type": "object",
    "properties": {"name": {"type": "string", "minLength": 1}, "children": {"type": "array", "items": {"$ref": "#/$defs/tree"}}},
    "required": ["name"],
    "unevaluatedProperties": False,
}
RULE = {
    "allOf": [{"properties": {"mode": {"enum": ["a", "b", None]}}}],
    "if": {"properties": {"mode": {"const": "a"}}},
    "then": {"required": ["a"]},
    "else": {"required": ["b"]},
    "unevaluatedProperties": {"type": ["integer", "string", "null"]},
}
UUID = "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60"


def _tree(depth: int) -> dict[str, Any]:
    return {"name": f"n{depth}", "children": [_tree(depth - 1), _tree(depth - 1)] if depth else []}


#: (name, key, valid value, invalid value)
WORKLOADS: list[tuple[str, str, Any, Any]] = [
    ("oneOf of 3 shapes", "shape", {"kind": "rect", "w": 2, "h": 3.5}, {"kind": "rect", "w": 2}),
    ("closed object, formats", "item", {"id": UUID, "email": "a@b.co", "price": 19.99, "tags": ["x", "y-1"]}, {"id": UUID, "price": 0.001, "z": 1}),
    ("tree of 63 nodes ($ref)", "tree", _tree(5), {**_tree(5), "extra": 1}),
    ("allOf+if/then/else+unevaluated", "rule", {"mode": "a", "a": 1, "n": 2}, {"mode": "b", "a": 1, "n": 2.5}),
]


def _best(fn: Callable[[], object], number: int, rounds: int) -> float:
    """Best CPU microseconds per call over ``rounds`` rounds of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=rounds, timer=time.process_time)) / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--number", type=int, default=20000)
    args = parser.parse_args()
    from keywords_support import keywords_module

    checker = keywords_module().KeywordSchemas({"$defs": {"shape": SHAPE, "item": ITEM, "tree": TREE, "rule": RULE}})
    for name, key, valid, invalid in WORKLOADS:
        assert checker.is_valid(key, valid) and not checker.is_valid(key, invalid) and checker.errors(key, invalid), name
        number = max(args.number // (50 if key == "tree" else 1), 100)
        text = json.dumps(valid)
        ok = _best(lambda k=key, v=valid: checker.is_valid(k, v), number, args.rounds)
        bad = _best(lambda k=key, v=invalid: checker.errors(k, v), number, args.rounds)
        loads = _best(lambda t=text: json.loads(t), number, args.rounds)
        print(f"{name:32} is_valid {ok:8.2f} us  errors(invalid) {bad:8.2f} us  json.loads {loads:7.2f} us  ratio {ok / loads:5.1f}")


if __name__ == "__main__":
    main()
