#!/usr/bin/env python3
"""Round-trip helper of the conformance suite (driven by roundtrip.test.ts).

Reads NDJSON on stdin: each line is a JSON string literal holding a message's
text. For each, parses it with the Python target and prints its re-serialised
form (dump_message) as a JSON string literal, or ``null`` when Python rejects it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generated" / "python"))

from wsgen_protocol import dump_message, parse_message  # noqa: E402


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        result = parse_message(json.loads(line))
        sys.stdout.write(json.dumps(dump_message(result.value) if result.ok else None) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
