"""Endpoints with typed path parameters, as runtime/server's ``endpoints.ts``: ``/boards/{format}`` with ``{format}``
ranging over an enum of the schema (by name) or a list of values.

Parameters range over finite value sets, so every concrete path is known up front and routing is one dict lookup;
a path outside them (an unknown value) is refused with 404 before the upgrade. Each concrete endpoint's key is its
name, then ``:value`` per parameter in path order (``board:svg``), the key sessions, metrics and the default
authorization use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from .types import Endpoint

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

#: One endpoint as declared: a path, or ``{"path": ..., "params": {name: enum name or values}, "fields": {...}}``.
EndpointSpec = str | Mapping[str, Any]


class ConfigError(ValueError):
    """Options that cannot work with the protocol (code ``WSGEN_CONFIG``, as Node's ``ConfigError``).

    ``where`` is the option's place (``endpoints.board.params.format``, ``handlers.heartbeat``); ``hint`` says
    what to write instead. Raised when the server is built, never while serving."""

    code = "WSGEN_CONFIG"

    def __init__(self, where: str, problem: str, hint: str) -> None:
        self.where = where
        self.problem = problem
        self.hint = hint
        super().__init__(f"{self.code}: {where}: {problem} (hint: {hint})")


def path_text(value: Any) -> str:
    """A value as path text, as Node's ``String(value)``: ``true``/``false`` for a bool, an enum member's value, an
    integral float without ``.0`` (``2.0`` → ``2``), else ``str``. Endpoint parameter values and the fields compared
    with them (the FORBIDDEN rule) are written with it."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def _values(name: str, param: str, spec: Any, enums: Mapping[str, Sequence[Any]]) -> list[str]:
    """The values parameter ``param`` of endpoint ``name`` may take, as path text."""
    where = f"endpoints.{name}.params.{param}"
    if spec is None:
        raise ConfigError(
            f"endpoints.{name}", f"path parameter {{{param}}} has no entry in params", f"add params={{'{param}': '<an enum of the schema>'}}"
        )
    values = enums.get(spec) if isinstance(spec, str) else spec
    if values is None:
        raise ConfigError(where, f"{spec} is not an enum of the protocol", "one of: " + (", ".join(sorted(enums)) or "(the protocol has no enum)"))
    text = [path_text(v) for v in values]
    if not text:
        raise ConfigError(where, "allows no value", "list at least one value")
    if "" in text:
        raise ConfigError(where, "allows the empty string, which is no path segment", "list non-empty values")
    twice = next((v for i, v in enumerate(text) if v in text[:i]), None)
    if twice is not None:
        raise ConfigError(where, f"lists {twice} twice", "list each value once")
    return text


def _param_of(name: str, seg: str) -> str | None:
    """The parameter a path segment names, None for a literal segment; a malformed placeholder is refused."""
    m = _PARAM.fullmatch(seg)
    if m is not None:
        return m.group(1)
    if "{" in seg or "}" in seg:
        raise ConfigError(
            f"endpoints.{name}.path",
            f'segment "{seg}" is neither literal text nor a whole {{name}} parameter',
            "write a parameter as its own segment: /rooms/{room} ({name}: a letter or _, then letters, digits or _)",
        )
    return None


def expand_endpoints(specs: Mapping[str, EndpointSpec], enums: Mapping[str, Sequence[Any]]) -> dict[str, Endpoint]:
    """Every concrete endpoint of ``specs`` by request path. ``enums``: the protocol's enums by name (the generated
    ``PROTOCOL.enums``). An endpoint's ``fields`` are its bound parameters plus the spec's ``fields``: the
    session-created message of its connections carries those its type has (the whiteboard's ``welcome.board``).

    Raises :class:`ConfigError` for a malformed or repeated parameter, a parameter without values, an unknown enum,
    a ``params`` entry the path does not use, or two endpoints on one path (the checks of Node's ``expandEndpoints``).
    """
    out: dict[str, Endpoint] = {}
    for name, raw in specs.items():
        spec: Mapping[str, Any] = {"path": raw} if isinstance(raw, str) else raw
        path = spec.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            raise ConfigError(f"endpoints.{name}.path", f"{path!r} is no absolute path", "write it as '/ws' or '/rooms/{room}'")
        params: Mapping[str, Any] = spec.get("params") or {}
        partial: list[tuple[list[str], str, dict[str, str]]] = [([], name, {})]
        used: set[str] = set()
        for seg in path.split("/"):
            param = _param_of(name, seg)
            if param is None:
                for p in partial:
                    p[0].append(seg)
                continue
            if param in used:
                raise ConfigError(f"endpoints.{name}.path", f"parameter {{{param}}} appears twice", "give each parameter its own name")
            used.add(param)
            values = _values(name, param, params.get(param), enums)
            partial = [([*segs, v], f"{key}:{v}", {**bound, param: v}) for segs, key, bound in partial for v in values]
        unused = next((k for k in params if k not in used), None)
        if unused is not None:
            raise ConfigError(
                f"endpoints.{name}.params.{unused}",
                f"the path {path} has no {{{unused}}} segment",
                "remove the entry or add the parameter to the path",
            )
        for segs, key, bound in partial:
            concrete = "/".join(segs)
            if concrete in out:
                raise ConfigError(
                    f"endpoints.{name}", f"path {concrete} is also endpoint {out[concrete].label}'s", "give every endpoint its own path"
                )
            out[concrete] = Endpoint(key, concrete, bound, {**bound, **(spec.get("fields") or {})}, name)
    return out
