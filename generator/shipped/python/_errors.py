"""pydantic's validation errors as JSON-Schema-style issues, in the shape and words of the TS validators (ajv)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ._issues import ParseError, ValidationIssue, js_value, number_text, pointer
from ._json_syntax import syntax_error_offset, syntax_issue
from ._limits import MAX_DEPTH

__all__ = ["ErrorReader", "ajv_order", "text_syntax_issue"]

#: Keywords ajv checks at an object before its members (JSON Schema validation keywords, then the
#: applicators that read only the member names): their issues go before the members' issues.
_BEFORE_MEMBERS: Final[frozenset[str]] = frozenset({"required", "additionalProperties", "minProperties", "maxProperties", "dependentRequired", "propertyNames"})


def _parent(path: str) -> str:
    return path[: path.rindex("/")]


def ajv_order(units: list[list[ValidationIssue]]) -> list[ValidationIssue]:
    """The issues of pydantic's errors (a unit each: one issue, or a checked value's whole list, already in
    ajv's order) in the order the TS validators (ajv) find them, so both targets give the same first issue.

    pydantic reports a model's fields in order, a missing one where the field stands, and unknown
    properties (``extra_forbidden``) last, while ajv checks an object's ``required``,
    ``additionalProperties`` and the like before it descends into its members. So such an issue goes
    before every issue below its JSON pointer; everything else keeps pydantic's order, members in the
    schema's property order as in ajv. The sort is stable, keyed by, for each prefix of a unit's
    pointer, the first position any unit below that prefix had."""
    if len(units) < 2:
        return [issue for unit in units for issue in unit]
    first: dict[str, int] = {}
    for i, unit in enumerate(units):
        path = unit[0].path
        while True:
            first.setdefault(path, i)
            if path == "":
                break
            path = _parent(path)

    def key(i: int) -> tuple[int, ...]:
        issue = units[i][0]
        path = issue.path
        steps: list[int] = []
        while path != "":
            steps.append(first[path])
            path = _parent(path)
        steps.reverse()
        # An object's own check stands before its members; any other issue stands where pydantic put it.
        return tuple(steps) if len(units[i]) == 1 and issue.keyword in _BEFORE_MEMBERS else (*steps, i)

    return [issue for i in sorted(range(len(units)), key=key) for issue in units[i]]


_TYPE_NAMES: Final[dict[str, str]] = {
    "string_type": "string",
    "string_unicode": "string",
    "int_type": "integer",
    "int_from_float": "integer",
    "int_parsing": "integer",
    "float_type": "number",
    "finite_number": "number",
    "bool_type": "boolean",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "list_type": "array",
    "none_required": "null",
}

_LIMITS: Final[dict[str, tuple[str, str, str, str]]] = {
    # pydantic error type: (keyword, ctx key, comparison, message template)
    "string_too_short": ("minLength", "min_length", "", "must NOT have fewer than {} characters"),
    "string_too_long": ("maxLength", "max_length", "", "must NOT have more than {} characters"),
    "too_short": ("minItems", "min_length", "", "must NOT have fewer than {} items"),
    "too_long": ("maxItems", "max_length", "", "must NOT have more than {} items"),
    "greater_than_equal": ("minimum", "ge", ">=", "must be >= {}"),
    "less_than_equal": ("maximum", "le", "<=", "must be <= {}"),
    "greater_than": ("exclusiveMinimum", "gt", ">", "must be > {}"),
    "less_than": ("exclusiveMaximum", "lt", "<", "must be < {}"),
}

#: The issue of a message nesting deeper than MAX_DEPTH, without its path.
DEPTH_MESSAGE: Final = f"must not nest deeper than {MAX_DEPTH} levels"


def _data_loc(loc: tuple[int | str, ...], data: Any, keep_last: bool) -> tuple[int | str, ...]:
    """``loc`` as a JSON pointer sees it: the labels pydantic adds for union branches (a tag, a
    branch's type) left out. Walks the message along ``loc``: a segment that is no key or index of
    the value it applies to is a label. ``keep_last``: the last segment names a missing property."""
    out: list[int | str] = []
    last = len(loc) - 1
    for i, seg in enumerate(loc):
        if isinstance(data, dict) and isinstance(seg, str) and seg in data:
            data = data[seg]
        elif isinstance(data, list) and isinstance(seg, int) and 0 <= seg < len(data):
            data = data[seg]
        elif not (keep_last and i == last):
            continue
        out.append(seg)
    return tuple(out)


def text_syntax_issue(data: bytes | str) -> ValidationIssue | None:
    """The ``json`` issue of a text that is not JSON (RFC 8259), in the words, line and column of the TypeScript side
    (_json_syntax.py, json-syntax.js); None when the text is JSON or its bytes are no UTF-8."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        return None
    if syntax_error_offset(text) == -1:
        return None
    message, params = syntax_issue(text)
    return ValidationIssue("", "json", message, params)


def _json_issue(detail: str, data: Any = None) -> ValidationIssue:
    """The issue of a text pydantic-core's JSON parser refused (``json_invalid``); ``data``: that text, whose
    syntax error is then described as the TypeScript side describes it (pydantic-core's own words differ)."""
    if "recursion limit exceeded" in detail:
        return ValidationIssue("", "depth", DEPTH_MESSAGE, {"limit": MAX_DEPTH})
    if "surrogate" in detail or "hex escape" in detail:
        return ValidationIssue("", "unicode", "must not contain a lone UTF-16 surrogate escape")
    found = text_syntax_issue(data) if isinstance(data, (bytes, str)) else None
    return found or ValidationIssue("", "json", "must be valid JSON: " + detail)


def _keyword_issue(kind: str, path: str, msg: str, ctx: dict[str, Any]) -> ValidationIssue:
    """The issue of an error of a value's own keyword (no union label, no nested error)."""
    if kind == "string_pattern_mismatch":
        return ValidationIssue(path, "pattern", f'must match pattern "{ctx.get("pattern")}"', {"pattern": ctx.get("pattern")})
    if kind == "format":
        return ValidationIssue(path, "format", msg, {"format": ctx.get("format")})
    if kind == "wsgen_checked":
        first = ctx["errors"][0]
        return ValidationIssue(path + first["pointer"], first["keyword"], first["message"], dict(first["params"]))
    if kind == "one_of":
        return ValidationIssue(path, "oneOf", "must match exactly one schema in oneOf", {"passingSchemas": ctx.get("passingSchemas")})
    if kind == "wsgen_const":
        return ValidationIssue(path, "const", "must be equal to constant", {"allowedValue": ctx.get("allowedValue")})
    if kind == "wsgen_enum":
        return ValidationIssue(path, "enum", "must be equal to one of the allowed values", {"allowedValues": ctx.get("allowedValues")})
    if kind == "literal_error":
        return ValidationIssue(path, "const", "must be equal to constant", {"allowedValue": ctx.get("expected")})
    if kind == "enum":
        return ValidationIssue(path, "enum", "must be equal to one of the allowed values", {"allowedValues": ctx.get("expected")})
    limit = _LIMITS.get(kind)
    if limit is not None:
        keyword, key, comparison, template = limit
        value = js_value(ctx.get(key))
        params: dict[str, Any] = {"comparison": comparison, "limit": value} if comparison else {"limit": value}
        return ValidationIssue(path, keyword, template.format(number_text(value)), params)
    type_name = _TYPE_NAMES.get(kind)
    if type_name is not None:
        return ValidationIssue(path, "type", f"must be {type_name}", {"type": type_name})
    return ValidationIssue(path, kind, msg, dict(ctx))


class ErrorReader:
    """Reads the errors of one tagged union's validator as issues.

    ``discriminator``: the wire name of the property that selects the message type;
    ``tags``: its values (pydantic puts the tag first in an error's loc inside a variant).
    """

    __slots__ = ("discriminator", "tags")

    def __init__(self, discriminator: str, tags: Collection[str]) -> None:
        self.discriminator = discriminator
        self.tags = frozenset(tags)

    def issue(self, err: Any, data: Any = None) -> ValidationIssue:
        """The issue of one pydantic error (an item of ``ValidationError.errors()``); ``data``: the
        message as parsed, to tell the keys of a path from pydantic's union labels."""
        kind: str = err["type"]
        loc: tuple[int | str, ...] = tuple(err["loc"])
        ctx: dict[str, Any] = err.get("ctx") or {}
        msg: str = err["msg"]
        if kind == "json_invalid":
            return _json_issue(str(ctx.get("error", msg)), data)
        if not loc and kind in ("union_tag_not_found", "union_tag_invalid"):
            return self._tag_issue(kind, err, ctx)
        # Inside a variant, pydantic puts the tag first in loc; JSON pointers do not have it.
        if loc and loc[0] in self.tags:
            loc = loc[1:]
        if isinstance(data, dict):
            loc = _data_loc(loc, data, kind == "missing")
        if kind == "missing":
            return ValidationIssue(pointer(loc[:-1]), "required", f"must have required property '{loc[-1]}'", {"missingProperty": loc[-1]})
        if kind == "extra_forbidden":
            return ValidationIssue(pointer(loc[:-1]), "additionalProperties", "must NOT have additional properties", {"additionalProperty": loc[-1]})
        path = pointer(loc)
        if kind in ("union_tag_not_found", "union_tag_invalid"):
            # A tagged union inside a message, as ajv's discriminator keyword reports it.
            # pydantic names the property "'attr' | 'wire name'" when they differ: the wire name is the last.
            tag = str(ctx.get("discriminator", "")).split(" | ")[-1].strip("'")
            if kind == "union_tag_not_found":
                return ValidationIssue(path, "required", f"must have required property '{tag}'", {"missingProperty": tag})
            return ValidationIssue(path, "discriminator", f'value of tag "{tag}" must be in oneOf', {"error": "mapping", "tag": tag, "tagValue": ctx.get("tag")})
        if kind == "string_unicode" and not loc:
            return ValidationIssue("", "unicode", "must be valid Unicode text (no lone surrogates)")
        if kind == "wsgen_object":
            at = ctx.get("at")
            inner = ctx.get("inner")
            if inner is not None:
                return self.issue({**inner, "loc": (*loc, at, *inner["loc"])})
            return ValidationIssue(path + (pointer((at,)) if at is not None else ""), str(ctx.get("keyword")), msg, dict(ctx.get("params") or {}))
        return _keyword_issue(kind, path, msg, ctx)

    def _tag_issue(self, kind: str, err: Any, ctx: dict[str, Any]) -> ValidationIssue:
        """The issue of a message whose discriminator is missing or names no message type."""
        if kind == "union_tag_not_found":
            return ValidationIssue("", "required", f"must have required property '{self.discriminator}'", {"missingProperty": self.discriminator})
        data = err.get("input")
        tag_value = data.get(self.discriminator) if isinstance(data, dict) else ctx.get("tag")
        return ValidationIssue(
            pointer((self.discriminator,)),
            "discriminator",
            "must be a known message type",
            {"tag": self.discriminator, "tagValue": tag_value},
        )

    def parse_error(self, exc: ValidationError, data: Any = None) -> ParseError:
        """The issues of a failed validation; ``data``: the message as parsed (JSON text or a value), to tell paths from union labels."""
        return self.parse_errors(exc.errors(include_url=False), data)

    def parse_errors(self, errors: list[ErrorDetails], data: Any = None) -> ParseError:
        """The issues of the errors of a failed validation (``ValidationError.errors(include_url=False)``); ``data`` as in parse_error."""
        if errors and errors[0]["type"] == "json_invalid":
            return ParseError([self.issue(errors[0], data)])
        if isinstance(data, (bytes, str)):
            # Only a path below the message's own fields can hold a label.
            try:
                data = json.loads(data) if any(len(e["loc"]) > 2 for e in errors) else None
            except (ValueError, RecursionError):
                data = None
        return ParseError(ajv_order([self.issues(e, data) for e in errors]))

    def issues(self, err: Any, data: Any = None) -> list[ValidationIssue]:
        """The issues of one pydantic error: one, or every error a checked value's subschema reports (as ajv lists them)."""
        issue = self.issue(err, data)
        if err["type"] != "wsgen_checked":
            return [issue]
        found: list[dict[str, Any]] = (err.get("ctx") or {})["errors"]
        base = issue.path[: len(issue.path) - len(found[0]["pointer"])]
        return [ValidationIssue(base + e["pointer"], e["keyword"], e["message"], dict(e["params"])) for e in found]
