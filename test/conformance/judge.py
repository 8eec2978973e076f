#!/usr/bin/env python3
"""Differential judge of the Python target.

Reads NDJSON on stdin: each line is a JSON string literal holding one message's
text. Writes one line per input line: ``1`` when parse_message accepts the text,
``0`` when it rejects it, flushing after each line so a driver can stream.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generated" / "python"))

from wsgen_protocol import parse_message  # noqa: E402


def main() -> int:
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)
        if not isinstance(text, str):
            raise SystemExit(f"judge: each line must be a JSON string, got {type(text).__name__}")
        out.write("1\n" if parse_message(text).ok else "0\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
