"""The applicator keywords of wsgen's JSON Schema 2020-12 keyword checker (``_keywords.py``) that descend into
the value: arrays (§10.3.1, §6.4), objects (§10.3.2, §6.5) and ``unevaluated*`` (§11), with the annotation
collection that ``unevaluatedProperties``/``unevaluatedItems`` read. Checks and errors as in ``_keyword_checks``;
the in-place applicators (§10.2) are in ``_keywords``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._keyword_checks import (
    Check,
    Compile,
    Evaluated,
    Node,
    Sink,
    child,
    count,
    fail,
    schema_list,
    schema_map,
    size,
)
from ._keyword_values import compile_pattern, freeze, pointer_token, python_types

__all__ = ["array_checks", "object_checks", "static_items", "static_properties", "unevaluated_checks"]


# --- arrays --------------------------------------------------------------------------------------


def _items(prefix: list[Node], rest: Node | None, closed: bool, keyword: str) -> Check:
    """``prefixItems`` (positional) and ``items`` (every later item; ``keyword``, ``items`` or a static
    ``unevaluatedItems``); ``false`` caps the length."""
    n_prefix = len(prefix)

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = True
        for i, node in enumerate(prefix[: len(value)]):
            if not node.run(value[i], f"{path}/{i}" if sink is not None else path, sink, None):
                if sink is None:
                    return False
                ok = False
        if closed and len(value) > n_prefix:
            ok = fail(sink, path, keyword, {"limit": n_prefix}, f"must NOT have more than {n_prefix} items")
        elif rest is not None:
            for i in range(n_prefix, len(value)):
                if not rest.run(value[i], f"{path}/{i}" if sink is not None else path, sink, None):
                    if sink is None:
                        return False
                    ok = False
        if seen is not None:
            seen.prefix = max(seen.prefix, min(n_prefix, len(value)))
            seen.all_items |= rest is not None
        return ok

    return check


def _contains(node: Node, least: int, most: int | None) -> Check:
    """``contains`` with ``minContains`` (default 1) and ``maxContains`` (§10.3.1.3, §6.4.4, §6.4.5)."""
    params: dict[str, Any] = {"minContains": least} if most is None else {"minContains": least, "maxContains": most}
    upper = "" if most is None else f" and no more than {most}"
    message = f"must contain at least {least}{upper} valid item(s)"

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        item_errors: Sink | None = [] if sink is not None else None
        matched = [i for i, item in enumerate(value) if node.run(item, child(path, sink, i), item_errors, None)]
        if seen is not None:
            seen.indices.update(matched)
        if least <= len(matched) and (most is None or len(matched) <= most):
            return True
        if sink is not None and item_errors is not None:
            sink += item_errors  # as ajv reports a failed contains: the items' errors, then its own
        return fail(sink, path, "contains", params, message)

    return check


def _unique(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
    """``uniqueItems: true`` with JSON equality (§6.4.3); the error names the pair ajv's pairwise loop finds first
    (the highest ``i`` with an equal item below it, ``j`` the nearest such)."""
    frozen = [freeze(item) for item in value]
    if len(set(frozen)) == len(frozen):
        return True
    if sink is not None:
        first: dict[Any, int] = {}
        i, j = -1, -1
        for k, item in enumerate(frozen):
            if item in first:
                i, j = k, first[item]
            first[item] = k
        fail(sink, path, "uniqueItems", {"i": i, "j": j}, f"must NOT have duplicate items (items ## {j} and {i} are identical)")
    return False


def _scalar_item_types(schema: Mapping[str, Any]) -> list[str] | None:
    """The ``type`` names of ``items`` when ajv checks ``uniqueItems`` with its hash-map loop: ``items`` is a schema
    with a ``type`` that names neither object nor array; None otherwise (ajv's pairwise loop)."""
    items = schema.get("items")
    if type(items) is not dict or "type" not in items:
        return None
    names = items["type"]
    listed = names if type(names) is list else [names]
    return None if not listed or "object" in listed or "array" in listed else listed


def _unique_scalars(types: list[str]) -> Check:
    """``uniqueItems: true`` as ajv checks it when ``items`` has only scalar types: from the last item down, an item
    of another type is skipped (``items`` reports it), and the first item equal to one above it fails, ``i`` its
    index and ``j`` the index of that item above. The verdict is the pairwise one's wherever ``items`` holds."""
    exact, whole_floats = python_types(types)

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        above: dict[Any, int] = {}
        for i in range(len(value) - 1, -1, -1):
            item = value[i]
            kind = type(item)
            if not (kind in exact or (whole_floats and kind is float and item.is_integer())):
                continue
            key = freeze(item)
            j = above.get(key)
            if j is not None:
                return fail(sink, path, "uniqueItems", {"i": i, "j": j}, f"must NOT have duplicate items (items ## {j} and {i} are identical)")
            above[key] = i
        return True

    return check


def array_checks(schema: Mapping[str, Any], pointer: str, compile: Compile) -> list[Check]:
    """``maxItems``, ``minItems``, ``prefixItems``, ``items``, ``contains`` (+ ``minContains``/``maxContains``),
    ``uniqueItems``, in ajv's order (its validation vocabulary, its applicators, which ajv puts before uniqueItems)."""
    checks: list[Check] = [size(k, limit, "items") for k in ("maxItems", "minItems") if (limit := count(schema, k, pointer)) is not None]
    if schema.get("uniqueItems", False) not in (True, False):
        raise ValueError(f"{pointer}/uniqueItems: must be a boolean")
    prefix = schema_list(schema, "prefixItems", pointer, compile) if "prefixItems" in schema else []
    keyword = "unevaluatedItems" if "unevaluatedItems" in schema and "items" not in schema and static_items(schema) else "items"
    rest = schema.get(keyword)
    if prefix or keyword in schema:
        checks.append(_items(prefix, None if rest is None or rest is False else compile(rest, f"{pointer}/{keyword}"), rest is False, keyword))
    if "contains" in schema:
        least = count(schema, "minContains", pointer)
        checks.append(
            _contains(compile(schema["contains"], f"{pointer}/contains"), 1 if least is None else least, count(schema, "maxContains", pointer))
        )
    if schema.get("uniqueItems"):
        types = _scalar_item_types(schema)
        checks.append(_unique if types is None else _unique_scalars(types))
    return checks


# --- objects -------------------------------------------------------------------------------------


def _properties(properties: dict[str, Node]) -> Check:
    """``properties`` without ``patternProperties`` or ``additionalProperties`` (§10.3.2.1): each member the schema
    names, in the schema's order (ajv's)."""
    pairs = tuple(properties.items())

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = True
        for name, node in pairs:
            if name in value:
                if not node.run(value[name], f"{path}/{pointer_token(name)}" if sink is not None else path, sink, None):
                    if sink is None:
                        return False
                    ok = False
                if seen is not None:
                    seen.names.add(name)
        return ok

    return check


def _additional(properties: dict[str, Node], patterns: list[tuple[Any, Node]], additional: Node, closed: str | None) -> Check:
    """``additionalProperties`` (§10.3.2.3) or a static ``unevaluatedProperties``: the members no ``properties`` nor
    ``patternProperties`` names, by the value's key order; ``closed``: the keyword whose ``false`` ``additional`` is."""

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = True
        for name, item in value.items():
            if name in properties or any(regex.search(name) is not None for regex, _ in patterns):
                continue
            if closed is not None:
                valid = fail(sink, path, closed, *_closed_member(closed, name))
            else:
                valid = additional.run(item, f"{path}/{pointer_token(name)}" if sink is not None else path, sink, None)
            if not valid:
                if sink is None:
                    return False
                ok = False
            if seen is not None:
                seen.names.add(name)
        return ok

    return check


def _members(properties: dict[str, Node], patterns: list[tuple[Any, Node]]) -> Check:
    """``properties`` (schema order), then ``patternProperties`` (each pattern's members, by key order), as ajv (§10.3.2.1-2)."""
    named = _properties(properties)

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = named(value, path, sink, seen)
        if not ok and sink is None:
            return False
        for regex, pattern_node in patterns:
            for name, item in value.items():
                if regex.search(name) is None:
                    continue
                if not pattern_node.run(item, f"{path}/{pointer_token(name)}" if sink is not None else path, sink, None):
                    if sink is None:
                        return False
                    ok = False
                if seen is not None:
                    seen.names.add(name)
        return ok

    return check


def _property_names(node: Node) -> Check:
    """``propertyNames`` (§10.3.2.4); a bad name reports the name's errors (at the object), then its own, as ajv does."""

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = True
        for name in value:
            if not node.run(name, path, sink, None):
                ok = fail(sink, path, "propertyNames", {"propertyName": name}, "property name must be valid")
                if sink is None:
                    return False
        return ok

    return check


def _required(names: list[str]) -> Check:
    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = True
        for name in names:
            if name not in value:
                ok = fail(sink, path, "required", {"missingProperty": name}, f"must have required property '{name}'")
                if sink is None:
                    return False
        return ok

    return check


def _dependent_required(dependencies: dict[str, list[str]]) -> Check:
    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = True
        for name, needed in dependencies.items():
            missing = [n for n in needed if n not in value] if name in value else []
            if missing:
                deps = ", ".join(needed)
                noun = "property" if len(needed) == 1 else "properties"
                params = {"property": name, "missingProperty": missing[0], "depsCount": len(needed), "deps": deps}
                ok = fail(sink, path, "dependentRequired", params, f"must have {noun} {deps} when property {name} is present")
                if sink is None:
                    return False
        return ok

    return check


def _dependentschema_list(nodes: dict[str, Node]) -> Check:
    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        ok = True
        for name, node in nodes.items():
            if name in value and not node.run(value, path, sink, seen):
                if sink is None:
                    return False
                ok = False
        return ok

    return check


def _names(schema: Mapping[str, Any], keyword: str, pointer: str) -> list[str]:
    names = schema[keyword]
    if type(names) is not list or any(type(n) is not str for n in names) or len(set(names)) != len(names):
        raise ValueError(f"{pointer}/{keyword}: must be an array of distinct strings")
    return names


def object_checks(schema: Mapping[str, Any], pointer: str, compile: Compile) -> list[Check]:
    """``maxProperties``, ``minProperties``, ``required``, ``propertyNames``, ``additionalProperties``, ``properties``,
    ``patternProperties``, ``dependentRequired``, ``dependentSchemas``, in ajv's order (its validation vocabulary,
    its applicators, then its "next" vocabulary)."""
    checks = [size(k, limit, "properties") for k in ("maxProperties", "minProperties") if (limit := count(schema, k, pointer)) is not None]
    if "required" in schema and (required := _names(schema, "required", pointer)):
        checks.append(_required(required))
    if "propertyNames" in schema:
        checks.append(_property_names(compile(schema["propertyNames"], f"{pointer}/propertyNames")))
    properties = schema_map(schema, "properties", pointer, compile) if "properties" in schema else {}
    patterns = []
    for source, node in (schema_map(schema, "patternProperties", pointer, compile) if "patternProperties" in schema else {}).items():
        try:
            patterns.append((compile_pattern(source), node))
        except ValueError as err:
            raise ValueError(f"{pointer}/patternProperties: {err}") from None
    static = "unevaluatedProperties" in schema and "additionalProperties" not in schema and static_properties(schema)
    keyword = "unevaluatedProperties" if static else "additionalProperties"
    additional = compile(schema[keyword], f"{pointer}/{keyword}") if keyword in schema else None
    rest = None if additional is None else _additional(properties, patterns, additional, keyword if schema.get(keyword) is False else None)
    if rest is not None and keyword == "additionalProperties":
        checks.append(rest)
    if properties and not patterns:
        checks.append(_properties(properties))
    elif properties or patterns:
        checks.append(_members(properties, patterns))
    if "dependentRequired" in schema:
        if type(schema["dependentRequired"]) is not dict:
            raise ValueError(f"{pointer}/dependentRequired: must be an object")
        dependencies = {name: _names(schema["dependentRequired"], name, f"{pointer}/dependentRequired") for name in schema["dependentRequired"]}
        checks.append(_dependent_required(dependencies))
    if "dependentSchemas" in schema:
        checks.append(_dependentschema_list(schema_map(schema, "dependentSchemas", pointer, compile)))
    if rest is not None and keyword == "unevaluatedProperties":
        # A static unevaluatedProperties (nothing in place can evaluate more) is checked as additionalProperties would
        # be, but last, where ajv checks unevaluatedProperties.
        checks.append(rest)
    return checks


# --- unevaluated ---------------------------------------------------------------------------------


#: The keywords that may evaluate members or items of the value they apply to (so unevaluated* must see their annotations).
_ANNOTATING: Final = ("$ref", "allOf", "anyOf", "oneOf", "if", "dependentSchemas")


def static_properties(schema: Mapping[str, Any]) -> bool:
    """Whether only ``properties``/``patternProperties``/``additionalProperties`` evaluate members here: then
    ``unevaluatedProperties`` is ``additionalProperties`` (or nothing, beside one), with no annotations to collect."""
    return not any(keyword in schema for keyword in _ANNOTATING)


def static_items(schema: Mapping[str, Any]) -> bool:
    """Whether only ``prefixItems``/``items`` evaluate items here: then ``unevaluatedItems`` is ``items``."""
    return "contains" not in schema and static_properties(schema)


def _closed_member(keyword: str, name: str) -> tuple[dict[str, Any], str]:
    """ajv's params and message of ``additionalProperties: false`` / ``unevaluatedProperties: false``."""
    if keyword == "unevaluatedProperties":
        return {"unevaluatedProperty": name}, "must NOT have unevaluated properties"
    return {"additionalProperty": name}, "must NOT have additional properties"


def _closed_error(keyword: str, token: str | int, seen: Evaluated) -> tuple[dict[str, Any], str]:
    """ajv's params and message of ``unevaluatedProperties: false`` / ``unevaluatedItems: false``."""
    if keyword == "unevaluatedProperties":
        return _closed_member(keyword, str(token))
    return {"limit": seen.prefix}, f"must NOT have more than {seen.prefix} items"


def _unevaluated(keyword: str, node: Node, closed: bool) -> Check:
    """``unevaluatedProperties`` or ``unevaluatedItems``: ``node`` applies to each member or item that no other
    keyword evaluated (``closed``: there is none); afterwards every member or item counts as evaluated."""
    on_object = keyword == "unevaluatedProperties"

    def check(value: Any, path: str, sink: Sink | None, seen: Evaluated | None) -> bool:
        assert seen is not None  # a node with unevaluated* always collects its own annotations
        if seen.all_names if on_object else seen.all_items:
            return True
        if on_object:
            rest: list[Any] = [name for name in value if name not in seen.names]
        else:
            rest = [i for i in range(seen.prefix, len(value)) if i not in seen.indices]
        ok = True
        for token in rest:
            if closed:
                ok = fail(sink, path, keyword, *_closed_error(keyword, token, seen))
                if not on_object:
                    break
            elif not node.run(value[token], child(path, sink, token), sink, None):
                ok = False
            if not ok and sink is None:
                return False
        seen.all_names |= on_object
        seen.all_items |= not on_object
        return ok

    return check


def unevaluated_checks(schema: Mapping[str, Any], pointer: str, compile: Compile) -> tuple[list[Check], list[Check]]:
    """``unevaluatedProperties`` and ``unevaluatedItems`` (§11.2, §11.3): the members and items no other keyword
    of this subschema (nor its in-place subschemas that passed) evaluated. Returned as (object, array) checks,
    to run after every other keyword; none where the keyword is static (``static_properties``, ``static_items``:
    then ``object_checks``/``array_checks`` apply it as additionalProperties/items, which is cheaper)."""
    checks: tuple[list[Check], list[Check]] = ([], [])
    for keyword, out, static in (("unevaluatedProperties", checks[0], static_properties), ("unevaluatedItems", checks[1], static_items)):
        if keyword in schema and not static(schema):
            out.append(_unevaluated(keyword, compile(schema[keyword], f"{pointer}/{keyword}"), schema[keyword] is False))
    return checks
