"""Numbers in dumped JSON written as JavaScript writes them, so that ``dump_message`` and the TypeScript
target's ``JSON.stringify`` give the same bytes for the same number (JSON has one number type, RFC 8259 §6:
``1.0`` and ``1`` are one value, but the texts differ).

pydantic writes a float as ``1.0``, ``-0.0``, ``1e21`` or ``1e-7``; JavaScript writes ``1``, ``0``, ``1e+21`` and
``1e-7`` (ECMA-262 Number::toString, which ``_issues.number_text`` implements). Integers (a Python ``int``) are
written alike by both and never touched here.
"""

from __future__ import annotations

import re

from ._issues import number_text

__all__ = ["js_numbers"]

#: A JSON string (skipped) or a JSON number (RFC 8259 §6, §7).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?')
#: A digit before a fraction or an exponent: a text without one holds no number to rewrite.
_FLOAT_HINT = re.compile(r"[0-9][.eE]")


def _rewrite(match: re.Match[str]) -> str:
    token = match.group()
    if token[0] == '"' or not any(c in token for c in ".eE"):
        return token
    return number_text(float(token))


def js_numbers(text: str) -> str:
    """The JSON ``text`` with every number that has a fraction or an exponent written as JavaScript writes it
    (``_issues.number_text``); strings and integers are left as they are."""
    if _FLOAT_HINT.search(text) is None:
        return text
    return _TOKEN.sub(_rewrite, text)
