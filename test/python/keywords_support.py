"""Test support for wsgen's keyword checker (generator/shipped/python/_keywords.py): the module assembled into
a throwaway package beside the generated ``_formats.py``/``_limits.py``, and the official JSON-Schema-Test-Suite
(draft 2020-12) read as checked-JSON documents."""

from __future__ import annotations

import atexit
import importlib
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "generator" / "shipped" / "python"
GENERATED = ROOT / "generated" / "python" / "wsgen_protocol"
SUITE = ROOT.parent / "shared" / "json-schema-test-suite" / "tests" / "draft2020-12"
#: The shipped modules of the keyword checker.
MODULES = ("_keywords.py", "_keyword_checks.py", "_keyword_applicators.py", "_keyword_values.py")


def keywords_module() -> ModuleType:
    """``_keywords`` imported from a temporary package holding the shipped modules and the generated
    ``_formats.py``/``_limits.py`` (as a generated Python package with checked values holds them)."""
    if "wsgen_keywords_under_test._keywords" in sys.modules:
        return sys.modules["wsgen_keywords_under_test._keywords"]
    root = Path(tempfile.mkdtemp(prefix="wsgen-keywords-"))
    atexit.register(shutil.rmtree, root, True)
    package = root / "wsgen_keywords_under_test"
    package.mkdir()
    (package / "__init__.py").write_text("")
    # The generated per-schema modules the shipped ones import (_formats, _limits), then every shipped module.
    for name in ("_formats.py", "_limits.py"):
        shutil.copy(GENERATED / name, package / name)
    for module in sorted(SHIPPED.glob("*.py")):
        shutil.copy(module, package / module.name)
    sys.path.insert(0, str(root))
    return importlib.import_module("wsgen_keywords_under_test._keywords")


class Unsupported(Exception):
    """A suite group the contract leaves out (remote or relative refs, $id, anchors, $dynamicRef)."""


_OUTSIDE = ("$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary")
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _resolve(root: Any, ref: str) -> Any:
    """The subschema a local JSON-pointer fragment (``#``, ``#/a/b``) names in ``root``."""
    target = root
    for token in ref[1:].split("/")[1:] if ref != "#" else []:
        token = unquote(token).replace("~1", "/").replace("~0", "~")
        target = target[int(token)] if type(target) is list else target[token]
    return target


def _key(ref: str) -> str:
    """A $defs key for a local ref: ``root`` for ``#``, the pointer's tokens joined with dots otherwise."""
    if ref == "#":
        return "root"
    tokens = [unquote(t).replace("~1", "/").replace("~0", "~") for t in ref[2:].split("/")]
    return "root." + ".".join("".join(c if c.isalnum() or c in "_-" else f"_{ord(c):x}" for c in t) for t in tokens)


def _rewrite(schema: Any, refs: dict[str, str], in_schema: bool = True) -> Any:
    """``schema`` with every local ``$ref`` as ``#/$defs/<key>`` (registered in ``refs``); Unsupported when the
    group needs what the contract leaves out. Keywords whose values are data (enum, const…) are copied as they are."""
    if type(schema) is list:
        return [_rewrite(s, refs, in_schema) for s in schema]
    if type(schema) is not dict or not in_schema:
        return schema
    out: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword in _OUTSIDE:
            raise Unsupported(keyword)
        if keyword == "$schema":
            if value != _DIALECT:
                raise Unsupported("$schema " + str(value))
            continue
        if keyword == "$ref":
            if not value.startswith("#") or (value != "#" and not value.startswith("#/")):
                raise Unsupported("$ref " + value)
            refs[value] = _key(value)
            out[keyword] = "#/$defs/" + refs[value]
        elif keyword in ("enum", "const", "examples", "default"):
            out[keyword] = value
        elif keyword in ("properties", "patternProperties", "dependentSchemas", "$defs"):
            out[keyword] = {name: _rewrite(sub, refs) for name, sub in value.items()} if type(value) is dict else value
        else:
            out[keyword] = _rewrite(value, refs)
    return out


def suite_document(schema: Any) -> dict[str, Any]:
    """A group's schema as a checked-JSON document ``{"$defs": {"root": …, <ref keys>: …}}``: each local ref
    target becomes a key of its own (as the generator does), the root under ``root``."""
    refs: dict[str, str] = {}
    defs = {"root": _rewrite(schema, refs)}
    pending = list(refs)
    while pending:
        ref = pending.pop()
        if refs[ref] in defs:
            continue
        try:
            target = _resolve(schema, ref)
        except (KeyError, IndexError, ValueError) as err:
            raise Unsupported(f"$ref {ref} unresolved") from err
        known = set(refs)
        defs[refs[ref]] = _rewrite(target, refs)
        pending += [r for r in refs if r not in known]
    return {"$defs": defs}


def suite_groups(*names: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(``file: description``, group) of every group of the named suite files (relative to draft2020-12/)."""
    for name in names:
        for group in json.loads((SUITE / name).read_text()):
            yield f"{name}: {group['description']}", group


def top_level_files() -> list[str]:
    """The suite's top-level draft 2020-12 files but format.json (annotation-only in 2020-12: wsgen asserts formats)."""
    return sorted(p.name for p in SUITE.glob("*.json") if p.name != "format.json")
