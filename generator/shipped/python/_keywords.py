"""wsgen's JSON Schema 2020-12 keyword checker: the exact validity of a value under a subschema that wsgen
cannot map to a precise type ("checked JSON", issue 9), with the verdict ajv gives on the TypeScript side.

The document is ``{"$defs": {"<key>": <subschema>, ...}}``, self-contained: every ``$ref`` is exactly
``"#/$defs/<key>"``, ``pattern``s are ECMAScript regexes read with the u flag (_keyword_values.compile_pattern:
all but backreferences and ``\\p{…}``), ``format``s are wsgen's asserted formats (generator/formats.ts).
Each subschema compiles once to a tree of small checks (``_keyword_checks``, ``_keyword_applicators``);
values are what wsgen's wire parser produces.
Keywords: type, enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf (exact
decimal), minLength, maxLength, pattern, format, prefixItems, items, contains, minContains, maxContains,
minItems, maxItems, uniqueItems, properties, patternProperties, additionalProperties, propertyNames,
required, dependentRequired, dependentSchemas, minProperties, maxProperties, allOf, anyOf, oneOf, not,
if/then/else, $ref, unevaluatedProperties, unevaluatedItems, and boolean schemas; annotations
($comment, title, description, examples, default, deprecated, readOnly, writeOnly, x-*) are ignored.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any, Final

from ._keyword_applicators import array_checks, object_checks, unevaluated_checks
from ._keyword_checks import (
    Check,
    Compile,
    Evaluated,
    KeywordError,
    Node,
    Sink,
    fail,
    number_checks,
    schema_list,
    string_checks,
    type_checks,
)

__all__ = ["KeywordError", "KeywordSchemas"]

_VALIDATING: Final = frozenset(
    (
        "$ref", "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "pattern", "format", "prefixItems", "items", "contains", "minContains", "maxContains",
        "minItems", "maxItems", "uniqueItems", "properties", "patternProperties", "additionalProperties", "propertyNames",
        "required", "dependentRequired", "dependentSchemas", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf",
        "not", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems", "discriminator",
    )
)  # fmt: skip
#: Keywords that carry no assertion (JSON Schema 2020-12 §8.3, §9; Validation §9) and nested $defs (reached only through the document's keys).
_IGNORED: Final = frozenset(("$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly", "$defs"))
_KEY: Final = re.compile(r"[A-Za-z0-9_.\-]+")
_REF: Final = "#/$defs/"
#: The applicators whose subschemas apply to the same value (a ``$ref`` cycle through them alone never ends).
_IN_PLACE: Final = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas")
#: Every applicator keyword; those of _SCHEMA_MAPS hold an object of subschemas.
_APPLICATORS: Final = (
    *_IN_PLACE,
    "prefixItems",
    "items",
    "contains",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
)
_SCHEMA_MAPS: Final = frozenset(("properties", "patternProperties", "dependentSchemas"))
#: Deepest nesting of a value the wire parser lets through (_wire.MAX_DEPTH: no value inside more than 200 arrays or objects).
MAX_DEPTH: Final = 200
#: Frames left for the code that calls the checker.
_CALLER_FRAMES: Final = 1000


def _false(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
    """The ``false`` schema (§4.3.2): no value is valid."""
    return fail(sink, path, "false schema", {}, "boolean schema is false")


def _unlinked(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
    """A ``$ref`` not yet linked to its target's ``run`` (never runs: linking replaces it)."""
    raise AssertionError("unlinked $ref")


class _Compiler:
    """Compiles the subschemas of one document; each ``$ref`` then becomes its target's ``run`` itself."""

    def __init__(self, defs: Mapping[str, Any]) -> None:
        self.defs = defs
        self.nodes: dict[str, Node] = {}
        self.refs: list[tuple[Node, str, bool]] = []
        for key, schema in defs.items():
            if type(key) is not str or _KEY.fullmatch(key) is None:
                raise ValueError(f"#/$defs/{key}: a key must match ^[A-Za-z0-9_.\\-]+$")
            self.nodes[key] = self.compile(schema, f"#/$defs/{key}")

    def compile(self, schema: Any, pointer: str) -> Node:
        """The node of one subschema at ``pointer``; ValueError naming the pointer when it is outside the contract."""
        if schema is True or schema is False:
            return Node([] if schema else [_false], {}, False)
        if type(schema) is not dict:
            raise ValueError(f"{pointer}: a schema must be an object or a boolean, not {schema!r}")
        for keyword in schema:
            if keyword not in _VALIDATING and keyword not in _IGNORED and not keyword.startswith("x-"):
                raise ValueError(f"{pointer}/{keyword}: keyword outside wsgen's checked JSON Schema subset")
        type_check, deferred, values, typed = type_checks(schema, pointer)
        key = _ref_key(schema, self.defs, pointer)
        # ajv's order of the keywords of no type: $ref (core), const and enum (validation), then the applicators.
        generic: list[Check] = [_unlinked] if key is not None else []
        generic += values
        tagged = _discriminator(schema, self.defs, pointer, self.compile) if "discriminator" in schema else None
        generic += _composition_checks(schema, pointer, self.compile, tagged is not None)
        numbers = number_checks(schema, pointer)
        unevaluated_props, unevaluated_items = unevaluated_checks(schema, pointer, self.compile)
        arrays = array_checks(schema, pointer, self.compile) + unevaluated_items
        specific: dict[type, list[Check]] = {
            str: string_checks(schema, pointer),
            int: numbers,
            float: numbers,
            list: arrays,
            tuple: arrays,  # a Python tuple (a model built in Python) is the JSON array it is sent as
            dict: object_checks(schema, pointer, self.compile) + ([tagged] if tagged is not None else []) + unevaluated_props,
        }
        node = Node(generic, specific, bool(unevaluated_props or unevaluated_items), typed, type_check, deferred)
        if key is not None:
            self.refs.append((node, key, len(node.generic) == 1 and not node.by_type and type_check is None))
        return node

    def link(self) -> None:
        """Each ``$ref`` check becomes its target's ``run``; a subschema that is a ``$ref`` alone becomes its target."""
        for node, key, _ in self.refs:
            node.set_generic(tuple(self.nodes[key].run if c is _unlinked else c for c in node.generic))
        alone = {id(node): key for node, key, only in self.refs if only}
        for node, key, only in self.refs:
            target = self.nodes[key]
            while id(target) in alone:
                target = self.nodes[alone[id(target)]]
            if only:
                node.become(target)


def _ref_key(schema: Mapping[str, Any], defs: Mapping[str, Any], pointer: str) -> str | None:
    """The key of ``$ref: "#/$defs/<key>"`` (§8.2.3.1), None without ``$ref``; ValueError for any other reference."""
    if "$ref" not in schema:
        return None
    ref = schema["$ref"]
    key = ref[len(_REF) :] if type(ref) is str and ref.startswith(_REF) else None
    if key is None or key not in defs:
        raise ValueError(f"{pointer}/$ref: {ref!r} is not '#/$defs/<key>' of a key of the document")
    return key


def _applied(schema: Any) -> list[tuple[bool, Any]]:
    """(in place?, subschema) of each subschema an applicator of ``schema`` holds."""
    if type(schema) is not dict:
        return []
    found: list[tuple[bool, Any]] = []
    for keyword in _APPLICATORS:
        sub = schema.get(keyword)
        subs = sub.values() if keyword in _SCHEMA_MAPS and type(sub) is dict else sub if type(sub) is list else [sub]
        found += [(keyword in _IN_PLACE, s) for s in subs if s is not None]
    return found


def _in_place_chain(defs: Mapping[str, Any]) -> int:
    """The longest chain of subschemas applied to one value (in-place applicators and ``$ref``s), anywhere in
    the document; ValueError when a ``$ref`` cycle never descends into the value (checking would never end)."""
    lengths: dict[int, int] = {}
    on_path: list[str] = []

    def chain(schema: Any, key: str | None) -> int:
        if key is not None:
            if key in on_path:
                cycle = " → ".join([*on_path[on_path.index(key) :], key])
                raise ValueError(f"#/$defs/{key}: $ref cycle {cycle} never descends into the value")
            on_path.append(key)
        if id(schema) not in lengths:
            ref = schema.get("$ref") if type(schema) is dict else None
            steps = [chain(s, None) for in_place, s in _applied(schema) if in_place]
            steps += [chain(defs[ref[len(_REF) :]], ref[len(_REF) :])] if ref is not None else []
            lengths[id(schema)] = 1 + max(steps, default=0)
        if key is not None:
            on_path.pop()
        return lengths[id(schema)]

    def everywhere(schema: Any, key: str | None) -> int:
        return max([chain(schema, key), *(everywhere(s, None) for _, s in _applied(schema))])

    return max((everywhere(s, key) for key, s in defs.items()), default=0)


def _allow_recursion(chain: int) -> None:
    """Raises Python's recursion limit (never lowers it) to what a value nested ``MAX_DEPTH`` deep needs: at most
    three frames per subschema of a chain applied in place, and per level of the value. Calls between Python
    functions take no C stack since Python 3.11, so the higher limit is safe."""
    needed = _CALLER_FRAMES + MAX_DEPTH * 3 * (chain + 1)
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


# --- in-place composition ------------------------------------------------------------------------


def _all_of(nodes: list[Node]) -> Check:
    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = True
        for node in nodes:
            if not node.run(value, path, sink, seen):
                if sink is None:
                    return False
                ok = False
        return ok

    return check


def _passing(nodes: list[Node], value: Any, path: str, sink: Sink | None, seen: Evaluated | None, stop: int) -> list[int]:
    """Indices of the branches ``value`` passes (at most ``stop`` when no annotations are collected);
    annotations of the passing branches go to ``seen``, errors of the failing ones to ``sink``."""
    passed: list[int] = []
    for i, node in enumerate(nodes):
        own = Evaluated() if seen is not None else None
        if node.run(value, path, sink, own):
            passed.append(i)
            if own is not None and seen is not None:
                seen.merge(own)
            if len(passed) >= stop and seen is None:
                break
    return passed


def _any_of(nodes: list[Node]) -> Check:
    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        branch_errors: Sink | None = [] if sink is not None else None
        if _passing(nodes, value, path, branch_errors, seen, 1):
            return True
        if sink is not None and branch_errors is not None:
            sink += branch_errors
        return fail(sink, path, "anyOf", {}, "must match a schema in anyOf")

    return check


def _one_of(nodes: list[Node]) -> Check:
    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        branch_errors: Sink | None = [] if sink is not None else None
        own = Evaluated() if seen is not None else None
        passed = _passing(nodes, value, path, branch_errors, own, 2)
        if len(passed) == 1:
            if seen is not None and own is not None:
                seen.merge(own)
            return True
        if sink is not None and branch_errors is not None:
            sink += branch_errors
        return fail(sink, path, "oneOf", {"passingSchemas": passed or None}, "must match exactly one schema in oneOf")

    return check


def _not(node: Node) -> Check:
    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        return not node.run(value, path, None, None) or fail(sink, path, "not", {}, "must NOT be valid")

    return check


def _if(condition: Node, then: Node | None, otherwise: Node | None) -> Check:
    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        own = Evaluated() if seen is not None else None
        holds = condition.run(value, path, None, own)
        if holds and own is not None and seen is not None:
            seen.merge(own)
        branch, name = (then, "then") if holds else (otherwise, "else")
        if branch is None or branch.run(value, path, sink, seen):
            return True
        return fail(sink, path, "if", {"failingKeyword": name}, f'must match "{name}" schema')

    return check


def _discriminator(schema: Mapping[str, Any], defs: Mapping[str, Any], pointer: str, compile: Compile) -> Check:
    """``discriminator`` beside ``oneOf`` (README "Checked values"; ajv's ``discriminator`` option): the branch the tag's value names
    checks the value (its errors are the value's), a tag that is no string or names no branch is the error; the
    ``oneOf`` itself is not checked then (as in ajv). Only objects reach it (``type`` and ``required`` stand beside it).
    ValueError when the keyword is outside ajv's rules (the generator keeps only those within them)."""
    spec = schema["discriminator"]
    tag = spec.get("propertyName") if type(spec) is dict else None
    if type(tag) is not str or "mapping" in spec or "oneOf" not in schema:
        raise ValueError(f"{pointer}/discriminator: must be {{\"propertyName\": <string>}} beside oneOf")
    nodes = schema_list(schema, "oneOf", pointer, compile)
    mapping: dict[str, Node] = {}
    for i, branch in enumerate(schema["oneOf"]):
        alone = type(branch) is dict and list(branch) == ["$ref"] and str(branch["$ref"]).startswith(_REF)
        target = defs.get(branch["$ref"][len(_REF) :]) if alone else branch
        prop = target.get("properties", {}).get(tag) if type(target) is dict else None
        names = [prop["const"]] if type(prop) is dict and "const" in prop else prop.get("enum", []) if type(prop) is dict else []
        if not names or any(type(n) is not str or n in mapping for n in names):
            raise ValueError(f"{pointer}/oneOf/{i}: a branch of a discriminator must fix {tag!r} to strings no other branch has")
        for n in names:
            mapping[n] = nodes[i]

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        if tag not in value:
            return fail(sink, path, "discriminator", {"error": "tag", "tag": tag}, f'tag "{tag}" must be string')
        found = value[tag]
        if type(found) is not str:
            return fail(sink, path, "discriminator", {"error": "tag", "tag": tag, "tagValue": found}, f'tag "{tag}" must be string')
        node = mapping.get(found)
        if node is None:
            return fail(sink, path, "discriminator", {"error": "mapping", "tag": tag, "tagValue": found}, f'value of tag "{tag}" must be in oneOf')
        return node.run(value, path, sink, seen)

    return check


def _composition_checks(schema: Mapping[str, Any], pointer: str, compile: Compile, tagged: bool = False) -> list[Check]:
    """``not``, ``anyOf``, ``oneOf``, ``allOf``, ``if``/``then``/``else`` (§10.2): subschemas at the same location, in ajv's order."""
    checks: list[Check] = []
    # ajv's order (its applicator vocabulary): not, anyOf, oneOf, allOf, if.
    if "not" in schema:
        checks.append(_not(compile(schema["not"], f"{pointer}/not")))
    if "anyOf" in schema:
        checks.append(_any_of(schema_list(schema, "anyOf", pointer, compile)))
    if "oneOf" in schema and not tagged:
        checks.append(_one_of(schema_list(schema, "oneOf", pointer, compile)))
    if "allOf" in schema:
        checks.append(_all_of(schema_list(schema, "allOf", pointer, compile)))
    if "if" in schema:
        then = compile(schema["then"], f"{pointer}/then") if "then" in schema else None
        otherwise = compile(schema["else"], f"{pointer}/else") if "else" in schema else None
        checks.append(_if(compile(schema["if"], f"{pointer}/if"), then, otherwise))
    return checks


class KeywordSchemas:
    """The subschemas of one checked-JSON document (``{"$defs": {...}}``, CHECKED.md), compiled once.

    ``ValueError`` at construction, naming the JSON pointer, for a document outside the contract: an unknown
    keyword, a ``$ref`` other than ``#/$defs/<key>``, a pattern outside the portable subset, a format wsgen
    does not assert, a malformed keyword value, or a ``$ref`` cycle that never descends into the value.
    """

    __slots__ = ("_nodes",)

    def __init__(self, document: Mapping[str, Any]) -> None:
        defs = document.get("$defs") if isinstance(document, Mapping) else None
        if type(defs) is not dict or set(document) != {"$defs"}:
            raise ValueError('#: the document must be {"$defs": {"<key>": <subschema>, ...}} and nothing else')
        compiler = _Compiler(defs)
        _allow_recursion(_in_place_chain(defs))
        compiler.link()
        self._nodes: dict[str, Node] = compiler.nodes

    def is_valid(self, key: str, value: Any) -> bool:
        """Whether ``value`` (a parsed JSON value) is valid under the subschema ``key``; KeyError for an unknown key."""
        return self._nodes[key].run(value, "", None, None)

    def errors(self, key: str, value: Any, *, limit: int = 50) -> list[KeywordError]:
        """The keywords ``value`` fails under the subschema ``key`` (empty when valid), at most ``limit``, in
        schema order, as ajv reports them with ``allErrors`` (keyword, params, message; instance path as a JSON pointer)."""
        sink: list[KeywordError] = []
        self._nodes[key].run(value, "", sink, None)
        return sink[:limit]
