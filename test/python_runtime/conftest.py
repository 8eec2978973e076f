"""Shared setup of the Python runtime tests: the runtime's sources and the generated package on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True  # keep generated/ and runtime/ free of __pycache__
for p in (ROOT / "runtime" / "python" / "src", ROOT / "generated" / "python"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))
