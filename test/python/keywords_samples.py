"""Seeded random checked-JSON documents and values for the agreement test of wsgen's keyword checker with ajv
(test_keywords_ajv.py): schemas drawn from every keyword the contract allows (CHECKED.md), values drawn from pools
that hit the places where Python and JavaScript read JSON apart (1 and 1.0, True and 1, -0, astral characters,
a final newline).

Left out, because ajv 8 gets them wrong (test_keywords_ajv.AJV_DEVIATIONS): ``unevaluatedItems``, ``contains``
beside ``prefixItems``, ``if`` without both ``then`` and ``else``, and members named as Object.prototype's
(``__proto__``, ``toString``, ``valueOf``, ``constructor``), ``""`` in ``required`` or ``dependentRequired``; all of
them, and names such as ``"0"`` (JavaScript lists them first in an object), are drawn too with ``full=True``, for the agreement of the Python and JavaScript checkers (test_keywords_js.py)."""

from __future__ import annotations

import random
from typing import Any

#: Member names: short ones the schemas use too, plus names JavaScript objects inherit.
NAMES = ["a", "b", "c", "ab", "x1", "\U0001f409", "a/b", "~", "B", ""]  # "" last
STRINGS = [
    "", "a", "ab", "abc", "a\n", "ab\n", "\n", "b", "B", "\U0001f409", "a\U0001f409", "\U0001f409\U0001f409", "x1", "aaa", "123", "12a",
    "2024-02-29", "2023-02-29", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00.1234567Z", "2024-05-01t10:00:00z", "10:00:00Z", "23:59:60Z",
    "P1D", "PT1.5S", "a@b.co", "a@", "127.0.0.1", "256.0.0.1", "::1", "1::2::3", "https://x.example/a?b#c", "//x", "a b",
    "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60", "3f1c2a9e8b7d4c6e9f0a1b2c3d4e5f60", "/a/~1b", "/a~", "0#", "1/a",
    "\u2028", "\u00a0", "\u00e9", "a\rb", "\ufeff", "\u0085", "A", "x ab", "1a", "\u0661",
]  # fmt: skip
NUMBERS = [0, -0.0, 1, 1.0, -1, 2, 2.0, 3, 1.5, 2.5, 10, 100, 0.1, 0.3, 0.30000000000000004, 19.99, 4.5, 1e-7, 2e-7, 1e300, 9007199254740991, -3.5]
SCALARS: list[Any] = [*NUMBERS, *STRINGS, True, False, None]
PATTERNS = [
    "^a", "a$", "^[a-c]+$", "^$", "[0-9]", "^\U0001f409", "^[^a]*$", "^(?:ab|c)*$", "a{2,}", "^[^]$", "^\\cJ$", "b$", "^[ab]?$", "^(a|x)1?$",
    "^.$", "a.c", "\\d+", "^\\w+$", "\\s", "^\\S+$", "\\bab", "\\Bb", "^[\\s\\d]$", "\\u00e9", "\\u{1F409}", "\\ud83d\\udc09",
    "(?=a)a", "^(?!b)", "^(?<n>a)", "\\x41", "[\\d\\W]", "^[^\\s]*$",
]  # fmt: skip
FORMATS = ["date-time", "date", "time", "duration", "email", "ipv4", "ipv6", "uri", "uri-reference", "uuid", "json-pointer", "relative-json-pointer"]
TYPES = ["null", "boolean", "integer", "number", "string", "array", "object"]


class Samples:
    """One seeded source of documents and values."""

    def __init__(self, seed: int, *, full: bool = False) -> None:
        self.rng = random.Random(seed)
        #: Whether to draw what ajv gets wrong too (the module docstring's list).
        self.full = full
        self.names = [*NAMES, "__proto__", "toString", "constructor", "0", "10"] if full else NAMES

    def value(self, depth: int = 2) -> Any:
        """A JSON value, mostly small, with members named from NAMES."""
        rng = self.rng
        roll = rng.random()
        if depth <= 0 or roll < 0.55:
            return rng.choice(SCALARS)
        if roll < 0.78:
            return [self.value(depth - 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice(self.names): self.value(depth - 1) for _ in range(rng.randint(0, 4))}

    def document(self, keys: int) -> dict[str, Any]:
        """``{"$defs": {"k0": …, "k1": …}}``; a ``$ref`` to a later key only under a keyword that descends into the value."""
        return {"$defs": {f"k{i}": self.schema(2, i, keys, in_place=True) for i in range(keys)}}

    def schema(self, depth: int, key: int, keys: int, in_place: bool) -> Any:
        """A subschema with one to three keyword families."""
        rng = self.rng
        if rng.random() < 0.08:
            return rng.random() < 0.7
        out: dict[str, Any] = {}
        families = [self._type, self._number, self._string, self._values]
        if depth > 0:
            families += [self._array, self._object, self._composition, self._ref]
        for family in rng.sample(families, rng.randint(1, 3)):
            family(out, depth, key, keys, in_place)
        return out

    def _sub(self, depth: int, key: int, keys: int, in_place: bool) -> Any:
        return self.schema(depth - 1, key, keys, in_place)

    def _type(self, out: dict[str, Any], *_: Any) -> None:
        types = self.rng.sample(TYPES, self.rng.choice([1, 1, 2, 3]))
        out["type"] = types[0] if len(types) == 1 and self.rng.random() < 0.5 else types

    def _number(self, out: dict[str, Any], *_: Any) -> None:
        rng = self.rng
        for keyword in rng.sample(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"], rng.randint(1, 2)):
            out[keyword] = rng.choice([0.01, 0.1, 2, 1.5, 1e-7, 3]) if keyword == "multipleOf" else rng.choice([0, 1, 1.0, 2, 2.5, -1, 10, 0.3])

    def _string(self, out: dict[str, Any], *_: Any) -> None:
        rng = self.rng
        for keyword in rng.sample(["minLength", "maxLength", "pattern", "format"], rng.randint(1, 2)):
            out[keyword] = rng.choice(PATTERNS) if keyword == "pattern" else rng.choice(FORMATS) if keyword == "format" else rng.randint(0, 3)

    def _values(self, out: dict[str, Any], *_: Any) -> None:
        if self.rng.random() < 0.5:
            out["const"] = self.value(1)
        else:
            out["enum"] = [self.value(1) for _ in range(self.rng.randint(1, 4))]

    def _array(self, out: dict[str, Any], depth: int, key: int, keys: int, in_place: bool) -> None:
        rng = self.rng
        keywords = rng.sample(
            ["prefixItems", "items", "contains", "minItems", "maxItems", "uniqueItems", "minContains", "maxContains", *(["unevaluatedItems"] if self.full else [])],
            rng.randint(1, 3),
        )
        for keyword in keywords:
            if keyword == "contains" and "prefixItems" in keywords and not self.full:
                continue
            if keyword == "prefixItems":
                out[keyword] = [self._sub(depth, key, keys, False) for _ in range(rng.randint(1, 2))]
            elif keyword in ("items", "contains", "unevaluatedItems"):
                out[keyword] = self._sub(depth, key, keys, False)
            else:
                out[keyword] = rng.random() < 0.8 if keyword == "uniqueItems" else rng.randint(0, 3)

    def _object(self, out: dict[str, Any], depth: int, key: int, keys: int, in_place: bool) -> None:
        rng = self.rng
        keywords = ["properties", "patternProperties", "additionalProperties", "propertyNames", "required", "dependentRequired", "dependentSchemas"]
        for keyword in rng.sample([*keywords, "minProperties", "maxProperties", "unevaluatedProperties"], rng.randint(1, 3)):
            if keyword in ("properties", "dependentSchemas"):
                schema_in_place = keyword == "dependentSchemas" and in_place
                out[keyword] = {rng.choice(self.names): self._sub(depth, key, keys, schema_in_place) for _ in range(rng.randint(1, 3))}
            elif keyword == "patternProperties":
                out[keyword] = {rng.choice(PATTERNS): self._sub(depth, key, keys, False)}
            elif keyword in ("additionalProperties", "propertyNames", "unevaluatedProperties"):
                out[keyword] = self._sub(depth, key, keys, False)
            elif keyword == "required":
                out[keyword] = rng.sample(self.names if self.full else NAMES[:-1], rng.randint(0, 2))  # "" only in full: ajv's first-error mode misses it
            elif keyword == "dependentRequired":
                out[keyword] = {rng.choice(self.names): rng.sample(self.names if self.full else NAMES[:-1], rng.randint(0, 2))}
            else:
                out[keyword] = rng.randint(0, 3)

    def _composition(self, out: dict[str, Any], depth: int, key: int, keys: int, in_place: bool) -> None:
        rng = self.rng
        keyword = rng.choice(["allOf", "anyOf", "oneOf", "not", "if"])
        if keyword == "not":
            out[keyword] = self._sub(depth, key, keys, in_place)
        elif keyword == "if":
            for branch in ("if", "then", "else"):
                if branch == "if" or not self.full or rng.random() < 0.6:
                    out[branch] = self._sub(depth, key, keys, in_place)
        else:
            out[keyword] = [self._sub(depth, key, keys, in_place) for _ in range(rng.randint(1, 3))]

    def _ref(self, out: dict[str, Any], depth: int, key: int, keys: int, in_place: bool) -> None:
        """A ``$ref`` to an earlier key anywhere, to any key (recursion) only where the value has been descended into."""
        targets = range(keys) if not in_place else range(key)
        if targets:
            out["$ref"] = f"#/$defs/k{self.rng.choice(list(targets))}"
