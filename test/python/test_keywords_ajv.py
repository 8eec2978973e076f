"""Agreement of wsgen's keyword checker (generator/shipped/python/_keywords.py) with ajv, as wsgen's TypeScript side
runs it (keywords_ajv.mjs): the same verdict on every (schema, value) of a seeded, bounded sample of random documents
(keywords_samples.py) and of the edge cases where Python and JavaScript read JSON apart."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from keywords_samples import Samples
from keywords_support import ROOT, keywords_module

kw = keywords_module()

#: Edge cases: (schema, values), each value judged by both sides.
EDGES: list[tuple[Any, list[Any]]] = [
    ({"const": 1}, [1, 1.0, True, -0.0 + 1, "1"]),
    ({"enum": [0, {"a": [1, 2]}]}, [0, -0.0, False, {"a": [1.0, 2]}, {"a": [2, 1]}]),
    ({"type": "integer"}, [1, 1.0, 1.5, True, -0.0, 1e300]),
    ({"type": "number"}, [True, False, 0, -0.0]),
    ({"maxLength": 1}, ["\U0001f409", "a\U0001f409", "\ud83d", "\n"]),
    ({"minLength": 2}, ["\U0001f409", "\U0001f409\U0001f409"]),
    ({"pattern": "^abc$"}, ["abc", "abc\n", "\nabc"]),
    ({"pattern": "c$"}, ["abc\n", "abc"]),
    ({"pattern": "^[^]$"}, ["\U0001f409", "\n", "ab"]),
    ({"pattern": "^.$"}, ["a", "\U0001f409", "\u0085", "\n", "\r", "\u2028", "\u2029", "ab"]),
    ({"pattern": "^\\s$"}, [" ", "\u00a0", "\ufeff", "\u2028", "\u3000", "a", "\u0085", "\u200b"]),
    ({"pattern": "^\\S$"}, ["a", "\u0085", " ", "\u00a0"]),
    ({"pattern": "^\\d\\w$"}, ["1a", "0_", "\u0661a", "1\u00e9"]),
    ({"pattern": "\\bab\\b"}, ["ab", "x ab", "abc", "\u00e9ab0"]),
    ({"pattern": "^\\u00e9\\x41\\u{1F409}\\ud83d\\udc09$"}, ["\u00e9A\U0001f409\U0001f409", "\u00e9A\U0001f409"]),
    ({"pattern": "^(?<n>a)(?=b)(?!bc)"}, ["ab", "abd", "abc", "a"]),
    ({"pattern": "^[\\cJ[&&~~||]+$"}, ["\n[&~|", "a"]),
    ({"uniqueItems": True}, [[1, 1.0], [{"a": 1, "b": 2}, {"b": 2, "a": 1}], [0, False], [1, True], [[0], [-0.0]], [None, None], ["a", "a\n"]]),
    ({"multipleOf": 0.01}, [19.99, 0.3, 0.30000000000000004, 1e300, -0.0, 1e-7]),
    ({"multipleOf": 1e-7}, [3e-7, 1e-8, 1]),
    ({"required": ["toString", "__proto__"]}, [{}, {"toString": 1}, {"toString": 1, "__proto__": None}]),
    ({"properties": {"constructor": {"type": "string"}}, "additionalProperties": False}, [{}, {"constructor": 1}, {"constructor": "x"}]),
    ({"maximum": 9007199254740991, "exclusiveMinimum": -0.0}, [9007199254740991, 0, -0.0, 1e-300]),
    ({"format": "date-time"}, ["2024-02-29T23:59:59.123456+05:30", "2023-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "2024-01-01T00:00:00.1234567Z"]),
    ({"prefixItems": [True], "contains": {"type": "string"}}, [[1], [1, "a"], [1, "a", 2], ["a", "b"], []]),
    ({"prefixItems": [True], "items": {"type": "integer"}, "unevaluatedItems": False}, [[1], [1, "a"], [1, 2]]),
    (
        {"allOf": [{"properties": {"a": True}}], "anyOf": [{"properties": {"b": True}}, True], "unevaluatedProperties": False},
        [{"a": 1, "b": 2}, {"c": 1}],
    ),
]

#: Where ajv 8.20 (Ajv2020) leaves JSON Schema 2020-12: (schema, value, the verdict of the standard). The suite
#: groups named are in test_keywords.py's suite run, which the Python checker passes.
AJV_DEVIATIONS: list[tuple[Any, Any, bool]] = [
    # contains is skipped when the array is shorter than a non-trivial prefixItems
    ({"prefixItems": [{"const": "x"}], "contains": {"const": "y"}}, [], False),
    ({"prefixItems": [{"const": "x"}], "items": True, "contains": {"const": "y"}}, [], False),
    # unevaluatedItems.json "unevaluatedItems depends on adjacent contains": contains evaluates only the items it matched
    ({"prefixItems": [True], "contains": {"type": "string"}, "unevaluatedItems": False}, [1, 2, "foo"], False),
    ({"contains": {"type": "string"}, "minContains": 0, "unevaluatedItems": False}, ["foo", "bar"], True),
    # unevaluatedItems.json "unevaluatedItems with nested items": a failed anyOf branch evaluates nothing
    ({"unevaluatedItems": {"type": "boolean"}, "anyOf": [{"items": {"type": "string"}}, True]}, ["yes", False], False),
    # unevaluatedProperties.json "... can see annotations from if without then and else"
    ({"if": {"patternProperties": {"foo": {"type": "string"}}}, "unevaluatedProperties": False}, {"foo": "a"}, True),
    # properties.json "properties whose names are Javascript object property names": a member named __proto__
    ({"properties": {"__proto__": {"type": "number"}}}, {"__proto__": "x"}, False),
    # unevaluatedProperties tracked at run time counts inherited members (toString) as evaluated
    ({"patternProperties": {"^a": True}, "unevaluatedProperties": False}, {"toString": "x"}, False),
    # without allErrors, a missing property named "" passes required and dependentRequired
    ({"required": [""]}, {}, False),
    ({"dependentRequired": {"a": [""]}}, {"a": 1}, False),
    # fast-deep-equal compares `constructor` members by reference and calls `toString` members
    ({"const": {"constructor": {}}}, {"constructor": {}}, True),
    ({"enum": [{"toString": 1}]}, {"toString": 1}, True),
    ({"uniqueItems": True}, [{"valueOf": 1}, {"valueOf": 1}], False),
    # with allErrors, a type error beside patternProperties under a recursive $ref throws a TypeError
    ({"additionalProperties": {"$ref": "#/$defs/s", "patternProperties": {"b$": {}}, "type": "number"}}, {"x": {"b": "c"}}, False),
]

DOCUMENTS = 300  #: random documents (seeds 0..299), 3 keys each
VALUES = 20  #: random values per key


def _cases() -> tuple[list[dict[str, Any]], list[tuple[int, str, Any]]]:
    documents = [{"$defs": {f"e{i}": schema for i, (schema, _) in enumerate(EDGES)}}]
    cases = [(0, f"e{i}", value) for i, (_, values) in enumerate(EDGES) for value in values]
    for seed in range(DOCUMENTS):
        samples = Samples(seed)
        documents.append(samples.document(3))
        cases += [(len(documents) - 1, f"k{k}", samples.value()) for k in range(3) for _ in range(VALUES)]
    return documents, cases


class AjvResult(NamedTuple):
    """ajv's verdict in its default mode (first error), and with allErrors: verdict and errors; None where ajv threw."""

    valid: bool | None
    valid_all: bool | None
    errors: list[Any]


def _ajv(documents: list[dict[str, Any]], cases: list[tuple[int, str, Any]], *flags: str) -> list[AjvResult]:
    """ajv's results on each case; ``--stock-equal`` keeps ajv's own equality (fast-deep-equal)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.json"
        path.write_text(json.dumps({"documents": documents, "cases": cases}))
        script = str(Path(__file__).with_name("keywords_ajv.mjs"))
        out = subprocess.run(["node", script, str(path), *flags], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300)
    return [AjvResult(*result) for result in json.loads(out.stdout)["results"]]


def _number_as_js(value: Any) -> Any:
    """``value`` with every number as JavaScript holds it (``1.0`` is ``1``, ``-0.0`` is ``0`` in JSON text)."""
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if type(value) is list:
        return [_number_as_js(v) for v in value]
    if type(value) is dict:
        return {k: _number_as_js(v) for k, v in value.items()}
    return value


def _error_set(errors: list[Any]) -> set[tuple[str, str, str, str]]:
    return {(path, keyword, json.dumps(_number_as_js(params), sort_keys=True), message) for path, keyword, params, message in errors}


def test_verdicts_agree_with_ajv() -> None:
    """Every verdict is ajv's in both modes (allErrors on and off), but where ajv throws with allErrors
    (AJV_DEVIATIONS), and errors() gives ajv's allErrors set on at least 99% of the invalid cases (10,899 of
    10,916 when written), with ajv's first error first wherever the sets agree; the figures print with -s."""
    documents, cases = _cases()
    checkers = [kw.KeywordSchemas(doc) for doc in documents]
    expected = _ajv(documents, cases)
    disagree, invalid, same_errors, threw, first_apart = [], 0, 0, 0, []
    for (doc, key, value), ajv in zip(cases, expected, strict=True):
        ours = checkers[doc]
        valid, errors = ours.is_valid(key, value), ours.errors(key, value)
        threw += ajv.valid_all is None
        if ajv.valid is not valid or (errors == []) is not valid or ajv.valid_all not in (valid, None):
            disagree.append((documents[doc]["$defs"][key], value, ajv))
        if not ajv.valid and ajv.valid_all is not None:
            invalid += 1
            same = _error_set([tuple(e) for e in errors]) == _error_set(ajv.errors)
            same_errors += same
            # The first error is the one a parse reports (TypeScript: ajv's first, which allErrors lists first too):
            # wherever the error sets agree, the first one does (the checkers check in ajv's order).
            if same and _error_set([tuple(errors[0])]) != _error_set([ajv.errors[0]]):
                first_apart.append((documents[doc]["$defs"][key], value, tuple(errors[0]), ajv.errors[0]))
    print(f"\n{len(cases)} cases on {len(documents)} documents: {invalid} invalid, {len(disagree)} verdicts apart, ajv threw on {threw}")
    print(f"identical error sets (path, keyword, params, message) with ajv's allErrors on {same_errors}/{invalid}")
    assert disagree == [], disagree[:5]
    assert len(cases) > 15000 and 0.3 < invalid / len(cases) < 0.9 and threw < len(cases) / 100
    assert same_errors >= 0.99 * invalid  # the errors read as ajv's (keyword, params, message, instance path)
    assert first_apart == [], first_apart[:5]


def test_ajv_deviations_from_the_standard() -> None:
    """Where stock ajv gives another verdict than JSON Schema 2020-12 (or throws), the Python checker gives the
    standard's; the TypeScript side cannot run stock ajv on these (CHECKED.md)."""
    documents = [{"$defs": {"s": schema}} for schema, _, _ in AJV_DEVIATIONS]
    cases = [(i, "s", value) for i, (_, value, _) in enumerate(AJV_DEVIATIONS)]
    ajv = _ajv(documents, cases, "--stock-equal")
    python = [kw.KeywordSchemas(doc).is_valid("s", value) for doc, (_, value, _) in zip(documents, AJV_DEVIATIONS, strict=True)]
    assert python == [valid for _, _, valid in AJV_DEVIATIONS]
    deviates = [result.valid is not valid or result.valid_all is not valid for result, (_, _, valid) in zip(ajv, AJV_DEVIATIONS, strict=True)]
    assert deviates == [True] * len(ajv), ajv
