"""wsgen's JSON Schema 2020-12 keyword checker (generator/shipped/python/_keywords.py, CHECKED.md): the official
JSON-Schema-Test-Suite (draft 2020-12) run directly, and the rules where Python and JSON Schema read values apart
(JSON equality, integers, code points, ECMAScript regexes), ajv's error shapes, and documents outside the contract."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from keywords_support import MODULES, SHIPPED, Unsupported, keywords_module, suite_document, suite_groups, top_level_files

kw = keywords_module()


def _collect(files: list[str]) -> tuple[list[tuple[str, Any, dict[str, Any]]], dict[str, str]]:
    """(id, checker, group) of every group whose schema fits the contract, and the reason of every other one."""
    runnable: list[tuple[str, Any, dict[str, Any]]] = []
    left_out: dict[str, str] = {}
    for name, group in suite_groups(*files):
        try:
            runnable.append((name, kw.KeywordSchemas(suite_document(group["schema"])), group))
        except (Unsupported, ValueError) as err:
            left_out[name] = f"{type(err).__name__}: {err}"
    return runnable, left_out


TOP, TOP_LEFT_OUT = _collect(top_level_files())
#: wsgen's formats in optional/format (hostname and the idn/iri/uri-template formats are not wsgen formats).
FORMAT_FILES = [
    f"optional/format/{n}.json"
    for n in ("date", "time", "duration", "email", "ipv4", "ipv6", "uri", "uri-reference", "uuid", "json-pointer", "relative-json-pointer")
]
FORMATS, FORMATS_LEFT_OUT = _collect(FORMAT_FILES)
REGEX, REGEX_LEFT_OUT = _collect(["optional/ecmascript-regex.json"])


@pytest.mark.parametrize(("name", "checker", "group"), TOP, ids=[t[0] for t in TOP])
def test_suite_group_verdicts(name: str, checker: Any, group: dict[str, Any]) -> None:
    """Every test of a group that fits the contract gets the suite's verdict, from is_valid and from errors()."""
    for case in group["tests"]:
        assert checker.is_valid("root", case["data"]) is case["valid"], case["description"]
        assert (checker.errors("root", case["data"]) == []) is case["valid"], case["description"]


@pytest.mark.parametrize(("name", "checker", "group"), FORMATS + REGEX, ids=[t[0] for t in FORMATS + REGEX])
def test_suite_format_and_regex_verdicts(name: str, checker: Any, group: dict[str, Any]) -> None:
    for case in group["tests"]:
        assert checker.is_valid("root", case["data"]) is case["valid"], case["description"]


def test_suite_coverage_does_not_shrink() -> None:
    """291 of the 364 groups of the top-level files but format.json run (1,003 tests); the rest need remote
    documents, $id bases, anchors or $dynamicRef (left out by the test's preprocessing, which the generator does
    instead), content* annotations, or \\p{…} in patterns (refused with the pointer). optional/ecmascript-regex.json:
    16 of 20 groups (the other 4 use \\p{…})."""
    assert (len(TOP), sum(len(g["tests"]) for _, _, g in TOP), len(TOP) + len(TOP_LEFT_OUT)) == (291, 1003, 364)
    refused = sorted(r for r in TOP_LEFT_OUT.values() if r.startswith("ValueError"))
    assert all("#/$defs/root/" in r and ("content" in r or "\\p" in r) for r in refused), refused
    assert (len(REGEX), sum(len(g["tests"]) for _, _, g in REGEX), len(REGEX_LEFT_OUT)) == (16, 60, 4)
    assert (len(FORMATS), sum(len(g["tests"]) for _, _, g in FORMATS), len(FORMATS_LEFT_OUT)) == (11, 457, 0)


#: The suite's date-time tests that wsgen's wire rule (PROTOCOL.md; runtime.js isDateTime) narrows on purpose.
DATE_TIME_NARROWED = {
    "a valid date-time with a leap second, UTC",
    "a valid date-time with a leap second, with minus offset",
    "case-insensitive T and Z",
    "a second fraction of fifteen nines is valid",
}


def test_suite_date_time_but_the_wire_rule() -> None:
    """optional/format/date-time.json: every verdict is the suite's but the wire rule's narrowings (no leap second,
    uppercase T and Z, at most 6 fraction digits), which the TypeScript side makes too."""
    ((_, checker, group),), _ = _collect(["optional/format/date-time.json"])
    wrong = {case["description"] for case in group["tests"] if checker.is_valid("root", case["data"]) is not case["valid"]}
    assert wrong == DATE_TIME_NARROWED


# --- JSON equality and types -----------------------------------------------------------------------


def _check(schema: Any, value: Any) -> bool:
    return bool(kw.KeywordSchemas({"$defs": {"s": schema}}).is_valid("s", value))


@pytest.mark.parametrize(
    ("schema", "valid", "invalid"),
    [
        ({"const": 1}, [1, 1.0, -0.0 + 1], [True, "1", [1]]),
        ({"const": 0}, [0, -0.0, 0.0], [False, None]),
        ({"const": True}, [True], [1, 1.0]),
        ({"const": {"a": 1, "b": [2, {"c": 3.0}]}}, [{"b": [2.0, {"c": 3}], "a": 1.0}], [{"a": 1, "b": [{"c": 3}, 2]}, {"a": 1}]),
        ({"enum": [[0], {"x": False}, None]}, [[0.0], {"x": False}, None], [[False], {"x": 0}, [], {}]),
        (
            {"uniqueItems": True},
            [[1, "1", True], [[1], [True]], [{"a": 1}, {"a": 2}], [0, False]],
            [[1, 1.0], [{"a": 1, "b": 2}, {"b": 2, "a": 1}], [[0], [-0.0]]],
        ),
        ({"type": "integer"}, [1, 1.0, -0.0, 1e300], [True, 1.5, "1"]),
        ({"type": "number"}, [1, 1.5, -0.0], [True, False, None]),
        ({"type": ["string", "null"]}, ["", None], [0, True, [], {}]),
        ({"type": "boolean"}, [True, False], [0, 1]),
    ],
)
def test_json_equality_and_types(schema: dict[str, Any], valid: list[Any], invalid: list[Any]) -> None:
    """1 and 1.0 are one number, True is not 1, objects compare regardless of key order (§4.2.2, §6.1.1)."""
    assert [_check(schema, v) for v in valid] == [True] * len(valid)
    assert [_check(schema, v) for v in invalid] == [False] * len(invalid)


def test_lengths_count_code_points() -> None:
    """minLength/maxLength count code points (§6.3.1): an astral character is one, as ajv's ucs2length reads it."""
    assert _check({"maxLength": 1}, "\U0001f409") and not _check({"minLength": 2}, "\U0001f409")
    assert _check({"minLength": 2, "maxLength": 2}, "a\U0001f409")


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        ("^abc$", ["abc"], ["abc\n", "\nabc"]),
        ("a$", ["xa"], ["a\n"]),
        ("^[^]$", ["\n", "\U0001f409"], ["", "ab"]),
        ("^[]", [], ["", "a", "]"]),
        ("^\\cJ$", ["\n"], ["cJ", "J"]),
        ("^[\\cJ]$", ["\n"], ["c"]),
        ("^[[a]+$", ["[a["], ["b"]),
        ("^[a&&b]$", ["&", "a"], ["c"]),
        ("^[^a]$", ["\U0001f409", "\n"], ["a", "\U0001f409\U0001f409"]),
        ("^\U0001f409{2}$", ["\U0001f409\U0001f409"], ["\U0001f409"]),
        ("[0-9]{3}", ["x123y"], ["12"]),
        ("^[$]$", ["$"], ["", "\n"]),
        ("^.$", ["a", "\U0001f409", "\u0085"], ["\n", "\r", "\u2028", "\u2029", "ab"]),
        ("^\\s$", [" ", "\u00a0", "\ufeff", "\u2028", "\u3000"], ["a", "\u0085", "\u200b"]),
        ("^\\S$", ["a", "\u0085"], [" ", "\u00a0"]),
        ("^\\d\\w$", ["1a", "0_"], ["\u0661a", "1\u00e9"]),
        ("\\bab\\b", ["ab", "x ab"], ["abc", "\u00e9ab0"]),
        ("^\\u00e9\\x41\\u{1F409}\\ud83d\\udc09$", ["\u00e9A\U0001f409\U0001f409"], ["\u00e9A\U0001f409"]),
        ("^(?<n>a)(?=b)(?!bc)", ["ab", "abd"], ["abc", "a"]),
    ],
)
def test_patterns_read_as_ecmascript_u(pattern: str, matches: list[str], misses: list[str]) -> None:
    """``pattern`` gives ``new RegExp(p, "u").test(s)``'s verdict where Python's ``re`` reads the source apart:
    ``$`` never before a final newline, ``[]``/``[^]``, ``\\cX``, ``[`` inside a class, astral characters, ``.`` and
    ``\\s`` as ECMAScript's sets, ``\\d``/``\\w``/``\\b`` ASCII, ``\\u`` escapes and surrogate pairs, named groups."""
    assert [_check({"pattern": pattern}, s) for s in matches] == [True] * len(matches)
    assert [_check({"pattern": pattern}, s) for s in misses] == [False] * len(misses)


def test_formats_and_numbers() -> None:
    assert _check({"format": "date-time"}, "2024-02-29T23:59:59.123456+05:30")
    assert _check({"format": "date-time"}, "2024-01-01T00:00:00.123456789Z")
    assert not any(
        _check({"format": "date-time"}, s)
        for s in ("2023-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "2024-01-01T00:00:00.1234567890Z", "2024-01-01t00:00:00Z")
    )
    assert _check({"format": "uuid"}, 5) and not _check({"format": "uuid"}, "x")
    assert _check({"multipleOf": 0.01}, 19.99) and not _check({"multipleOf": 0.01}, 0.30000000000000004)
    assert _check({"maximum": 9007199254740993}, 9007199254740992)  # the limit read as a double, as ajv reads it
    assert _check({"exclusiveMinimum": -1e400}, -1e308)


# --- errors --------------------------------------------------------------------------------------


def _errors(schema: Any, value: Any, **defs: Any) -> list[tuple[str, str, dict[str, Any], str]]:
    return [tuple(e) for e in kw.KeywordSchemas({"$defs": {"s": schema, **defs}}).errors("s", value)]


def test_errors_read_as_ajv() -> None:
    schema = {"type": "object", "properties": {"a/b": {"type": "array", "items": {"minimum": 1}}}, "required": ["c"], "additionalProperties": False}
    # In ajv's order (allErrors): required, additionalProperties, then properties.
    assert _errors(schema, {"a/b": [1, 0], "x": 1}) == [
        ("", "required", {"missingProperty": "c"}, "must have required property 'c'"),
        ("", "additionalProperties", {"additionalProperty": "x"}, "must NOT have additional properties"),
        ("/a~1b/1", "minimum", {"comparison": ">=", "limit": 1}, "must be >= 1"),
    ]
    assert _errors({"type": ["string", "null"]}, 1) == [("", "type", {"type": ["string", "null"]}, "must be string,null")]
    assert _errors({"uniqueItems": True}, [1, 2, 1.0, 2]) == [
        ("", "uniqueItems", {"i": 3, "j": 1}, "must NOT have duplicate items (items ## 1 and 3 are identical)")
    ]
    assert _errors({"multipleOf": 1e-7}, 1e-8)[0][3] == "must be multiple of 1e-7"
    assert _errors({"oneOf": [{}, True]}, 0) == [("", "oneOf", {"passingSchemas": [0, 1]}, "must match exactly one schema in oneOf")]
    assert _errors({"if": {"type": "string"}, "then": {"minLength": 2}}, "a")[-1] == (
        "",
        "if",
        {"failingKeyword": "then"},
        'must match "then" schema',
    )
    assert _errors(False, 0) == [("", "false schema", {}, "boolean schema is false")]
    assert _errors({"contains": {"type": "string"}}, [1]) == [
        ("/0", "type", {"type": "string"}, "must be string"),
        ("", "contains", {"minContains": 1}, "must contain at least 1 valid item(s)"),
    ]
    assert _errors({"propertyNames": {"maxLength": 1}}, {"ab": 1}) == [
        ("", "maxLength", {"limit": 1}, "must NOT have more than 1 characters"),
        ("", "propertyNames", {"propertyName": "ab"}, "property name must be valid"),
    ]
    assert _errors({"unevaluatedProperties": False, "allOf": [{"properties": {"a": True}}]}, {"a": 1, "b": 2}) == [
        ("", "unevaluatedProperties", {"unevaluatedProperty": "b"}, "must NOT have unevaluated properties"),
    ]


def test_errors_limit() -> None:
    checker = kw.KeywordSchemas({"$defs": {"s": {"items": {"type": "string"}}}})
    assert len(checker.errors("s", list(range(80)))) == 50 and len(checker.errors("s", list(range(80)), limit=3)) == 3


# --- references and the contract ----------------------------------------------------------------


def test_recursion_through_refs_to_the_wire_depth() -> None:
    """A recursive tree 200 levels deep (the wire depth limit) checks without exhausting Python's stack."""
    tree = {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}, "unevaluatedProperties": False}
    checker = kw.KeywordSchemas({"$defs": {"tree": tree}})
    value: dict[str, Any] = {}
    for _ in range(200):
        value = {"kids": [value]}
    assert checker.is_valid("tree", value)
    leaf = value
    while "kids" in leaf:
        leaf = leaf["kids"][0]
    leaf["x"] = 1
    assert not checker.is_valid("tree", value)
    assert checker.errors("tree", value) == [
        ("/kids/0" * 200, "unevaluatedProperties", {"unevaluatedProperty": "x"}, "must NOT have unevaluated properties")
    ]


def test_recursion_through_in_place_chains_in_a_thread() -> None:
    """Each level of the value passes through anyOf, allOf and oneOf before the $ref: 200 levels still check,
    in a worker thread too (KeywordSchemas raised the recursion limit for its longest in-place chain)."""
    nested = {"anyOf": [{"type": "null"}, {"allOf": [{"oneOf": [{"type": "array", "items": {"$ref": "#/$defs/t"}}]}]}]}
    checker = kw.KeywordSchemas({"$defs": {"t": nested}})
    value: Any = None
    for _ in range(200):
        value = [value]
    results: list[tuple[bool, int]] = []
    worker = threading.Thread(target=lambda: results.append((checker.is_valid("t", value), len(checker.errors("t", [value, 1])))))
    worker.start()
    worker.join()
    assert results == [(True, 7)]


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ({"$defs": {"a": {"$ref": "#/definitions/a"}}}, "#/$defs/a/$ref"),
        ({"$defs": {"a": {"properties": {"x": {"$ref": "#/$defs/b"}}}}}, "#/$defs/a/properties/x/$ref"),
        ({"$defs": {"a": {"items": {"format": "hostname"}}}}, "#/$defs/a/items/format"),
        ({"$defs": {"a": {"pattern": "\\p{L}"}}}, "#/$defs/a/pattern"),
        ({"$defs": {"a": {"pattern": "[\\S]"}}}, "#/$defs/a/pattern"),
        ({"$defs": {"a": {"pattern": "(?<=a+)b"}}}, "#/$defs/a/pattern"),
        ({"$defs": {"a": {"patternProperties": {"(a)\\1": True}}}}, "#/$defs/a/patternProperties"),
        ({"$defs": {"a": {"$dynamicRef": "#x"}}}, "#/$defs/a/$dynamicRef"),
        ({"$defs": {"a": {"anyOf": [{"dependencies": {}}]}}}, "#/$defs/a/anyOf/0/dependencies"),
        ({"$defs": {"a": {"minLength": -1}}}, "#/$defs/a/minLength"),
        ({"$defs": {"a": {"type": "float"}}}, "#/$defs/a/type"),
        ({"$defs": {"a": {"multipleOf": 0}}}, "#/$defs/a/multipleOf"),
        ({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"not": {"$ref": "#/$defs/a"}}}}, "#/$defs/a: $ref cycle a → b → a"),
        ({"$defs": {"a b": True}}, "#/$defs/a b"),
        ({"$defs": {"a": 1}}, "#/$defs/a: a schema must be"),
        ({"$defs": {}, "$id": "x"}, "#: the document"),
    ],
)
def test_documents_outside_the_contract_are_refused(document: dict[str, Any], pointer: str) -> None:
    with pytest.raises(ValueError) as raised:
        kw.KeywordSchemas(document)
    assert str(raised.value).startswith(pointer), str(raised.value)


def test_annotations_and_ignored_keywords() -> None:
    doc = {"$defs": {"s": {"title": "t", "x-note": 1, "$comment": "c", "default": 3, "examples": [1], "deprecated": True, "type": "integer"}}}
    assert kw.KeywordSchemas(doc).is_valid("s", 1)
    assert json.loads(json.dumps(doc)) == doc


def test_shipped_modules_pass_mypy_strict_and_ruff() -> None:
    """The modules as the generated package holds them (beside the other shipped modules and the generated _formats.py) pass mypy --strict and
    ruff with the generated package's rules (test/generator/differential.ts) and the project's line length."""
    package = Path(kw.__file__).parent
    python = [sys.executable, "-m"]
    cwd = package.parent
    with tempfile.TemporaryDirectory() as cache:
        mypy = subprocess.run([*python, "mypy", "--strict", "--cache-dir", cache, package.name], cwd=cwd, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout
    rules = ["--select", "E,W,F,I,UP,B,RUF", "--ignore", "E501", "--target-version", "py311"]
    ruff = subprocess.run(
        [*python, "ruff", "check", "--no-cache", "--preview", *rules, *(str(SHIPPED / m) for m in MODULES)], capture_output=True, text=True
    )
    assert ruff.returncode == 0, ruff.stdout
