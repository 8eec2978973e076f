#!/usr/bin/env python3
"""Judge of the Python target, for the TS-side conformance tests.

Reads NDJSON on stdin: each line is a JSON string literal holding one message's
text. Writes one line per input line, flushing after each so a driver can stream:
``1`` when parse_message accepts the text and ``0`` when it rejects it, or with
``--first-error`` the first ValidationIssue as JSON (``null`` when valid).
``--path DIR`` judges with the package generated into DIR instead of generated/python.
``--value`` judges the parsed value with validate_message instead of the text with parse_message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True
_ARGS = sys.argv[1:]
_PATH = _ARGS[_ARGS.index("--path") + 1] if "--path" in _ARGS else str(Path(__file__).resolve().parents[2] / "generated" / "python")
sys.path.insert(0, _PATH)

from wsgen_protocol import ParseError, parse_message, validate_message  # noqa: E402


def main() -> int:
    first_error = "--first-error" in _ARGS
    from_value = "--value" in _ARGS
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)
        if not isinstance(text, str):
            raise SystemExit(f"judge: each line must be a JSON string, got {type(text).__name__}")
        r = validate_message(json.loads(text)) if from_value else parse_message(text)
        if first_error:
            out.write(json.dumps(r.errors[0].to_dict() if isinstance(r, ParseError) else None) + "\n")
        else:
            out.write("1\n" if r.ok else "0\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
