"""Unit tests of the shipped modules (generator/shipped/python) as modules, imported from their sources.

Each output carries these files unchanged (test/generator/shipped.test.ts checks the copies); here they
run on small models of their own, independent of the bundled schema.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest
from pydantic import Field, TypeAdapter
from shipped import SHIPPED, shipped

_model = shipped("_model")
_integers = shipped("_integers")
_literals = shipped("_literals")
_parser = shipped("_parser")
_errors = shipped("_errors")
_issues = shipped("_issues")
_depth = shipped("_depth")
_objects = shipped("_objects")
_limits = shipped("_limits")


class Note(_model.WireModel):  # type: ignore[misc,name-defined]
    kind: Literal["note"]
    text: str
    extra: Any = None


class Tick(_model.WireModel):  # type: ignore[misc,name-defined]
    kind: Literal["tick"]
    n: Annotated[int, _integers.Integral(ge=0)] = 0


class Count(_model.WireModel):  # type: ignore[misc,name-defined]
    """``extra`` is open in Note, a typed integer here (no range rule for it)."""

    kind: Literal["count"]
    extra: Annotated[int, _integers.Integral()] = 0


Small = Annotated[Note | Tick | Count, Field(discriminator="kind")]

PARSER = _parser.MessageParser(
    TypeAdapter(Small), discriminator="kind", discriminator_attr="kind", tags=("note", "tick", "count"), open_fields={"note": ("extra",)}, deep_fields={"note": ("extra",)}
)


def issues(result: Any) -> list[dict[str, Any]]:
    assert not result.ok
    return [e.to_dict() for e in result.errors]


def test_every_shipped_module_has_a_docstring_and_exports_what_it_names() -> None:
    for path in sorted(SHIPPED.glob("*.py")):
        module = shipped(path.stem)
        assert module.__doc__, path.name
        for name in module.__all__:
            assert hasattr(module, name), (path.name, name)


def test_wire_reexports_each_concern() -> None:
    wire = shipped("_wire")
    assert wire.WireModel is _model.WireModel and wire.Const is _literals.Const and wire.ObjectRules is _objects.ObjectRules
    assert wire.MAX_DEPTH == _limits.MAX_DEPTH and wire.exceeds_depth is _depth.exceeds_depth


def test_parser_parses_a_valid_message_into_its_model() -> None:
    result = PARSER.parse_message('{"kind": "tick", "n": 3}')
    assert result.ok and result.value == Tick(kind="tick", n=3)
    assert PARSER.dump_message(result.value) == '{"kind":"tick","n":3}'
    assert PARSER.validate_message({"kind": "note", "text": "a", "extra": [1, {"b": None}]}).ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"n": 3}', {"path": "", "keyword": "required", "message": "must have required property 'kind'", "params": {"missingProperty": "kind"}}),
        ('{"kind": "tock"}', {"path": "/kind", "keyword": "discriminator", "message": "must be a known message type", "params": {"tag": "kind", "tagValue": "tock"}}),
        ('{"kind": "tick", "n": -1}', {"path": "/n", "keyword": "minimum", "message": "must be >= 0", "params": {"comparison": ">=", "limit": 0}}),
        ('{"kind": "tick", "n": 1, "m": 2}', {"path": "", "keyword": "additionalProperties", "message": "must NOT have additional properties", "params": {"additionalProperty": "m"}}),
        ('{"kind": "note"}', {"path": "", "keyword": "required", "message": "must have required property 'text'", "params": {"missingProperty": "text"}}),
        ('{"kind": "note", "text": 1}', {"path": "/text", "keyword": "type", "message": "must be string", "params": {"type": "string"}}),
        ('{"kind": "note", "text": "a", "extra": [9007199254740992]}', {"path": "/extra", "keyword": "number", "message": "must hold only numbers from -9007199254740991 to 9007199254740991", "params": {"limit": 9007199254740991}}),
        ('{"kind": "note", "text": "a", "extra": NaN}', {"path": "", "keyword": "json", "message": 'must be valid JSON: unexpected "N" at line 1, column 40', "params": {"line": 1, "column": 40}}),
        ('{"kind": "tick", "n": ' + "1" * 5000 + "}", {"path": "/n", "keyword": "type", "message": "must be integer", "params": {"type": "integer"}}),
        ("[" * 300 + "]" * 300, {"path": "", "keyword": "depth", "message": f"must not nest deeper than {_limits.MAX_DEPTH} levels", "params": {"limit": _limits.MAX_DEPTH}}),
        ('{"kind": ', {"path": "", "keyword": "json", "message": "must be valid JSON: the text ends early at line 1, column 10", "params": {"line": 1, "column": 10}}),
        ('{"kind":\n "tick",}', {"path": "", "keyword": "json", "message": 'must be valid JSON: unexpected "}" at line 2, column 9', "params": {"line": 2, "column": 9}}),
    ],
    ids=["no-tag", "unknown-tag", "minimum", "unknown-property", "missing", "type", "unsafe-number", "nan-literal", "long-integer", "depth", "not-json", "not-json-line-2"],
)
def test_parser_reports_the_issue_the_ts_side_reports(text: str, expected: dict[str, Any] | None) -> None:
    found = issues(PARSER.parse_message(text))
    if expected is None:
        assert found[0]["keyword"] == "json" and found[0]["message"].startswith("must be valid JSON: ")
    else:
        assert found[0] == expected


def test_parser_holds_only_this_types_open_fields_to_the_range() -> None:
    """A field open in another message type is not checked here: only the open fields of the message's own type are."""
    assert PARSER.parse_message('{"kind": "count", "extra": 9007199254740993}').ok
    assert not PARSER.parse_message('{"kind": "note", "text": "a", "extra": 9007199254740993}').ok


def test_validate_message_bounds_deep_fields_before_validation() -> None:
    deep: Any = 1
    for _ in range(_limits.MAX_DEPTH):
        deep = [deep]
    assert issues(PARSER.validate_message({"kind": "note", "text": "a", "extra": deep}))[0]["path"] == "/extra"
    assert PARSER.validate_message({"kind": "note", "text": "a", "extra": deep[0]}).ok


def test_exceeds_depth_counts_from_the_given_depth() -> None:
    assert not _depth.exceeds_depth([], _limits.MAX_DEPTH)
    assert _depth.exceeds_depth([[]], _limits.MAX_DEPTH)
    assert _depth.exceeds_depth({"a": ({"b": 1},)}, _limits.MAX_DEPTH - 1)


def test_error_reader_reads_nested_tags_and_object_rules() -> None:
    reader = _errors.ErrorReader("kind", ["note"])
    nested = {"type": "union_tag_invalid", "loc": ("note", "shape"), "msg": "", "ctx": {"discriminator": "'kind_' | 'kind'", "tag": "x"}}
    assert reader.issue(nested).to_dict() == {"path": "/shape", "keyword": "discriminator", "message": 'value of tag "kind" must be in oneOf', "params": {"error": "mapping", "tag": "kind", "tagValue": "x"}}
    inner = {"type": "string_type", "loc": (0,), "msg": "", "ctx": {}}
    rule = {"type": "wsgen_object", "loc": ("note", "map"), "msg": "", "ctx": {"keyword": "patternProperties", "at": "a/b", "inner": inner, "params": {}}}
    assert reader.issue(rule).to_dict() == {"path": "/map/a~1b/0", "keyword": "type", "message": "must be string", "params": {"type": "string"}}
    limit = {"type": "less_than_equal", "loc": ("note", "x"), "msg": "", "ctx": {"le": 2.5e-05}}
    assert reader.issue(limit).to_dict() == {"path": "/x", "keyword": "maximum", "message": "must be <= 0.000025", "params": {"comparison": "<=", "limit": 2.5e-05}}


def test_object_rules_report_the_first_broken_rule() -> None:
    rules = _objects.ObjectRules(declared=("a",), patterns=(("^x-", int),), min_properties=1, max_properties=3, dependent_required=(("a", ("b",)),), additional=Any)
    rules.check({"x-1": 1, "other": "anything"})
    for data, keyword in (({}, "minProperties"), ({"a": 1, "b": 2, "c": 3, "d": 4}, "maxProperties"), ({"a": 1}, "dependentRequired"), ({"x-1": "s"}, "patternProperties")):
        with pytest.raises(Exception) as caught:
            rules.check(data)
        assert caught.value.context["keyword"] == keyword  # type: ignore[attr-defined]


def test_issue_results_compare_and_print() -> None:
    issue = _issues.ValidationIssue("/a", "type", "must be string", {"type": "string"})
    assert issue == _issues.ValidationIssue("/a", "type", "must be string", {"type": "string"}) and hash(issue) == hash(_issues.ValidationIssue("/a", "type", "must be string"))
    assert repr(_issues.ParseError([issue])).startswith("ParseError([ValidationIssue(path='/a'")
    assert _issues.ParseOk(1).ok and not _issues.ParseError([]).ok
    assert _issues.pointer(("a/b", "c~d", 0)) == "/a~1b/c~0d/0"
