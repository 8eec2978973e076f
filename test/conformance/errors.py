#!/usr/bin/env python3
"""First error of the Python target for each message.

Reads NDJSON on stdin, each line a JSON string literal holding one message's text;
writes one line per input: the first ValidationIssue as JSON, or null when valid.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generated" / "python"))

from wsgen_protocol import ParseError, parse_message  # noqa: E402


def main() -> int:
    for line in sys.stdin:
        if line.strip():
            r = parse_message(json.loads(line))
            print(json.dumps(r.errors[0].to_dict() if isinstance(r, ParseError) else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
