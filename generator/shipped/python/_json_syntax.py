"""Where a text stops being JSON (RFC 8259 §2-§7), for the ``json`` issue of a message that the JSON parser refused:
the same words, line and column as the TypeScript side's json-syntax.js, whatever the parser's own message says.
Runs only on a refused text, iteratively (no recursion, so a deep text cannot overflow the stack)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["syntax_error_offset", "syntax_issue"]

_WS = " \t\n\r"
_ESCAPES = '"\\/bfnrt'
_HEX = frozenset("0123456789abcdefABCDEF")
_DIGITS = frozenset("0123456789")


class _Scan:
    """A cursor over one text; each method moves past one JSON part and says whether it was well-formed."""

    __slots__ = ("i", "n", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.i = 0

    def at(self) -> str:
        return self.text[self.i] if self.i < self.n else ""

    def ws(self) -> None:
        while self.i < self.n and self.text[self.i] in _WS:
            self.i += 1

    def digits(self) -> bool:
        start = self.i
        while self.i < self.n and self.text[self.i] in _DIGITS:
            self.i += 1
        return self.i > start

    def string(self) -> bool:
        if self.at() != '"':
            return False
        self.i += 1
        while self.i < self.n:
            c = self.text[self.i]
            if c == '"':
                self.i += 1
                return True
            if c < " ":
                return False
            if c == "\\":
                self.i += 1
                if self.at() == "u":
                    for _ in range(4):
                        self.i += 1
                        if self.at() not in _HEX:
                            return False
                elif self.at() == "" or self.at() not in _ESCAPES:
                    return False
            self.i += 1
        return False

    def number(self) -> bool:
        if self.at() == "-":
            self.i += 1
        if self.at() == "0":
            self.i += 1
        elif not self.digits():
            return False
        if self.at() == ".":
            self.i += 1
            if not self.digits():
                return False
        if self.at() in ("e", "E"):
            self.i += 1
            if self.at() in ("+", "-"):
                self.i += 1
            if not self.digits():
                return False
        return True

    def word(self, w: str) -> bool:
        for c in w:
            if self.at() != c:
                return False
            self.i += 1
        return True

    def key(self) -> bool:
        if not self.string():
            return False
        self.ws()
        if self.at() != ":":
            return False
        self.i += 1
        return True

    def value(self) -> bool:
        """A scalar value at the cursor (a container is opened by the caller)."""
        c = self.at()
        if c == '"':
            return self.string()
        if c in ("t", "f", "n"):
            return self.word({"t": "true", "f": "false", "n": "null"}[c])
        return self.number()


def syntax_error_offset(text: str) -> int:
    """The offset (code points) of the first character where ``text`` stops being one JSON text, or its length when
    it ends early; -1 when it is JSON."""
    s = _Scan(text)
    stack: list[str] = []
    while True:
        # A value is expected at s.i.
        s.ws()
        c = s.at()
        if c in ("{", "["):
            s.i += 1
            s.ws()
            if s.at() == ("}" if c == "{" else "]"):
                s.i += 1
            else:
                stack.append(c)
                if c == "{" and not s.key():
                    return s.i
                continue
        elif not s.value():
            return s.i
        # A value ended: close containers, or go on after a comma.
        while True:
            s.ws()
            if not stack:
                return -1 if s.i == s.n else s.i
            top = stack[-1]
            if s.at() == ("}" if top == "{" else "]"):
                stack.pop()
                s.i += 1
            elif s.at() == ",":
                s.i += 1
                s.ws()
                if top == "{" and not s.key():
                    return s.i
                break
            else:
                return s.i


def syntax_issue(text: str) -> tuple[str, dict[str, Any]]:
    """The message and params of the ``json`` issue of a text that is not JSON: where it stops being JSON, by line
    (1-based, split at line feeds) and column (1-based, in Unicode code points), and the character found there (quoted
    when printable ASCII, else U+XXXX), or that the text ends early."""
    offset = max(syntax_error_offset(text), 0)
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    if offset >= len(text):
        what = "the text ends early"
    else:
        cp = ord(text[offset])
        what = "unexpected " + (json.dumps(text[offset]) if 0x21 <= cp <= 0x7E else f"U+{cp:04X}")
    return f"must be valid JSON: {what} at line {line}, column {column}", {"line": line, "column": column}
