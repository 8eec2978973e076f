#!/usr/bin/env python3
"""Prints, for each NDJSON line holding a JSON number's text as a string, the text the generated
Python package writes for it in issue messages (``_issues.number_text``), one per line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generated" / "python"))

from wsgen_protocol._issues import number_text  # noqa: E402


def main() -> int:
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(number_text(float(json.loads(line))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
