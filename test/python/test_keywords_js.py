"""wsgen's JavaScript keyword checker (generator/shipped/ts/keywords.js, which the TypeScript target runs for the
checked subschemas whose unevaluated* ajv judges apart from JSON Schema 2020-12): the official JSON-Schema-Test-Suite
(draft 2020-12) run directly, the standard's verdict where ajv departs from it, and agreement with the Python checker
(generator/shipped/python/_keywords.py): the same verdict and the same errors on a seeded, bounded sample."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from keywords_samples import Samples
from keywords_support import ROOT, keywords_module, suite_document
from test_keywords import FORMATS, REGEX, TOP
from test_keywords_ajv import AJV_DEVIATIONS, VALUES, _ajv, _cases, _number_as_js

kw = keywords_module()


def _js(documents: list[dict[str, Any]], cases: list[tuple[int, str, Any]]) -> list[tuple[bool | None, list[Any]]]:
    """The JavaScript checker's (verdict, errors) on each case; verdict None where it threw."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.json"
        path.write_text(json.dumps({"documents": documents, "cases": cases}))
        script = str(Path(__file__).with_name("keywords_js.mjs"))
        out = subprocess.run(["node", script, str(path)], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300)
    return [(valid, errors) for valid, errors in json.loads(out.stdout)["results"]]


def test_suite_verdicts() -> None:
    """Every group the Python checker runs (291 top-level, 11 optional/format, 16 ecmascript-regex) gets the
    suite's verdict on every test from the JavaScript checker, from isValid and from errors()."""
    groups = TOP + FORMATS + REGEX
    documents = [suite_document(g["schema"]) for _, _, g in groups]
    cases = [(i, "root", case["data"]) for i, (_, _, g) in enumerate(groups) for case in g["tests"]]
    expected = [case["valid"] for _, _, g in groups for case in g["tests"]]
    results = _js(documents, cases)
    wrong = [(groups[doc][0], value, want) for (doc, _, value), (valid, errors), want in zip(cases, results, expected, strict=True) if valid is not want or (errors == []) is not want]
    assert (len(groups), len(cases)) == (318, 1520)
    assert wrong == []


def test_ajv_deviations_get_the_standard_verdict() -> None:
    """Where ajv 8.20 leaves JSON Schema 2020-12 (test_keywords_ajv.AJV_DEVIATIONS: contains and unevaluatedItems,
    failed branches' items, an if without then/else, __proto__, inherited members), the JavaScript checker gives
    the standard's verdict."""
    documents = [{"$defs": {"s": schema}} for schema, _, _ in AJV_DEVIATIONS]
    cases = [(i, "s", value) for i, (_, value, _) in enumerate(AJV_DEVIATIONS)]
    assert [valid for valid, _ in _js(documents, cases)] == [valid for _, _, valid in AJV_DEVIATIONS]


#: Random documents drawn with everything ajv gets wrong (Samples(full=True)), seeds 10000 on.
FULL_DOCUMENTS = 400


def _full_cases() -> tuple[list[dict[str, Any]], list[tuple[int, str, Any]]]:
    documents: list[dict[str, Any]] = []
    cases: list[tuple[int, str, Any]] = []
    for seed in range(10000, 10000 + FULL_DOCUMENTS):
        samples = Samples(seed, full=True)
        documents.append(samples.document(3))
        cases += [(len(documents) - 1, f"k{k}", samples.value()) for k in range(3) for _ in range(VALUES)]
    return documents, cases


def test_agrees_with_the_python_checker() -> None:
    """On test_keywords_ajv's seeded sample (the edge cases, then 300 random documents of 3 keys, 20 values each)
    and on 400 more drawn with what ajv gets wrong (unevaluatedItems, contains beside prefixItems, if without then
    or else, members named __proto__, toString, constructor, "" in required), both checkers give the same verdict,
    and errors() the same list (path, keyword, params, message, in order) but where JavaScript lists an object's
    integer-like names first (its property order): then the same set."""
    documents, cases = _cases()
    full_documents, full_cases = _full_cases()
    text = json.dumps(full_documents)
    assert all(k in text for k in ('"unevaluatedItems"', '"unevaluatedProperties"', '"__proto__"', '"toString"'))
    assert any("if" in s and ("then" not in s or "else" not in s) for d in full_documents for s in _subschemas(d))
    documents, cases = documents + full_documents, cases + [(doc + len(documents), key, value) for doc, key, value in full_cases]
    python = [kw.KeywordSchemas(doc) for doc in documents]
    results = _js(documents, cases)
    apart, reordered = [], 0
    for (doc, key, value), (valid, errors) in zip(cases, results, strict=True):
        ours = [[e.instance_path, e.keyword, _number_as_js(e.params), e.message] for e in python[doc].errors(key, value, limit=10**6)]
        theirs = [[p, k, _number_as_js(params), m] for p, k, params, m in errors]
        if valid is not python[doc].is_valid(key, value):
            apart.append((documents[doc]["$defs"][key], value, valid))
        elif ours != theirs:
            key_of = lambda e: json.dumps(e, sort_keys=True)  # noqa: E731
            if sorted(map(key_of, ours)) != sorted(map(key_of, theirs)) or not _has_integer_names(value):
                apart.append((documents[doc]["$defs"][key], value, ours, theirs))
            reordered += 1
    print(f"\n{len(cases)} cases: {len(apart)} apart, {reordered} with integer-like names reordered")
    assert len(cases) > 40000
    assert apart == [], apart[:5]


def _has_integer_names(value: Any) -> bool:
    """Whether a value holds an object with a member named like an array index (JavaScript lists those first)."""
    if type(value) is dict:
        return any(k.isdigit() for k in value) or any(_has_integer_names(v) for v in value.values())
    return type(value) is list and any(_has_integer_names(v) for v in value)


def _subschemas(schema: Any) -> list[dict[str, Any]]:
    """Every object reachable in a document (subschemas and values alike: enough to find a keyword's subschema)."""
    if type(schema) is dict:
        return [schema, *(s for v in schema.values() for s in _subschemas(v))]
    return [s for v in schema for s in _subschemas(v)] if type(schema) is list else []


#: ``uniqueItems`` with and without scalar ``items`` types: ajv checks the first with a hash-map loop (from the last
#: item down, wrong-typed items skipped, ``j`` above ``i``) and the second pairwise (``j`` below ``i``).
UNIQUE_CASES: list[tuple[dict[str, Any], Any]] = [
    ({"uniqueItems": True, "items": {"type": "string"}}, ["a", "b", "a", "b"]),
    ({"uniqueItems": True}, ["a", "b", "a", "b"]),
    ({"uniqueItems": True, "items": {"type": "string"}}, ["a", "b", "a"]),
    (
        {"uniqueItems": True, "items": {"type": ["integer", "string"]}},
        [1, "1", 1.0, "x"],
    ),
    ({"uniqueItems": True, "items": {"type": "number"}}, [0, -0.0]),
    ({"uniqueItems": True, "items": {"type": "integer"}}, [2, 1.5, 2.0]),
    ({"uniqueItems": True, "items": {"type": "string"}}, [1, 1, "a"]),
    (
        {"uniqueItems": True, "items": {"type": ["boolean", "null", "string"]}},
        [True, "true", None, "null", True],
    ),
    ({"uniqueItems": True, "items": {"type": "object"}}, [{}, {"a": 1}, {}]),
    (
        {"uniqueItems": True, "items": {"type": ["string", "array"]}},
        ["a", [1], "a", [1]],
    ),
    (
        {
            "uniqueItems": True,
            "prefixItems": [{"type": "string"}],
            "items": {"type": "string"},
        },
        ["a", "b", "a"],
    ),
    ({"uniqueItems": True, "items": {"type": "string"}}, ["x", "y"]),
]


def test_unique_items_names_ajvs_pair_on_both_checkers() -> None:
    """The ``uniqueItems`` error names the pair ajv names, with scalar-typed ``items`` (ajv's hash-map loop) and
    without (its pairwise loop), on the Python and the JavaScript checker alike: errors equal ajv's allErrors list."""
    documents = [{"$defs": {"s": schema}} for schema, _ in UNIQUE_CASES]
    cases = [(i, "s", value) for i, (_, value) in enumerate(UNIQUE_CASES)]
    expected = [_number_as_js(result.errors) for result in _ajv(documents, cases)]
    python = [
        [list(e) for e in kw.KeywordSchemas(doc).errors("s", value)]
        for doc, (_, value) in zip(documents, UNIQUE_CASES, strict=True)
    ]
    javascript = [errors for _, errors in _js(documents, cases)]
    assert [_number_as_js(p) for p in python] == expected
    assert [_number_as_js(j) for j in javascript] == expected


#: A tagged oneOf as the generator writes it in a checked document (generator/checked.ts): the discriminator, with
#: "type": "object" and the tag required beside it, and branches that each fix the tag.
TAGGED: dict[str, Any] = {
    "$defs": {
        "s": {
            "type": "object",
            "required": ["kind"],
            "discriminator": {"propertyName": "kind"},
            "oneOf": [{"$ref": "#/$defs/g"}, {"$ref": "#/$defs/l"}],
        },
        "g": {"type": "object", "properties": {"kind": {"const": "g"}, "n": {"type": "integer"}}, "required": ["kind", "n"], "additionalProperties": False},
        "l": {"type": "object", "properties": {"kind": {"enum": ["l", "leaf"]}}, "required": ["kind"], "additionalProperties": False},
    }
}


def test_discriminator_on_both_checkers() -> None:
    """The tag picks the branch on both checkers, with ajv's errors (its discriminator option): the fault in the branch
    the tag names, else the tag's own error; the oneOf is not checked beside it. The same list in the same order."""
    values: list[Any] = [{"kind": "g", "n": 1}, {"kind": "leaf"}, {"kind": "l", "x": 1}, {"kind": "g"}, {"kind": "z"}, {"kind": 3}, {}, 4]
    python = kw.KeywordSchemas(TAGGED)
    ours = [[list(e) for e in python.errors("s", v)] for v in values]
    theirs = [errors for _, errors in _js([TAGGED], [(0, "s", v) for v in values])]
    assert [_number_as_js(e) for e in ours] == [_number_as_js(e) for e in theirs]
    assert [e[0][:3] if e else None for e in ours] == [
        None,
        None,
        ["", "additionalProperties", {"additionalProperty": "x"}],
        ["", "required", {"missingProperty": "n"}],
        ["", "discriminator", {"error": "mapping", "tag": "kind", "tagValue": "z"}],
        ["", "discriminator", {"error": "tag", "tag": "kind", "tagValue": 3}],
        ["", "required", {"missingProperty": "kind"}],
        ["", "type", {"type": "object"}],
    ]
