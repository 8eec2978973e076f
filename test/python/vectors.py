"""The shared conformance vectors (test/conformance/vectors/*.json), for pytest and the oracle report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[1] / "conformance" / "vectors"


def load_vectors() -> list[dict[str, Any]]:
    """Every vector, file by file, each with the name of its file."""
    out: list[dict[str, Any]] = []
    for path in sorted(VECTORS.glob("*.json")):
        for v in json.loads(path.read_text(encoding="utf-8")):
            out.append({**v, "file": path.name})
    return out


def vector_text(v: dict[str, Any]) -> str:
    """The JSON text of a vector, as it would arrive on the wire."""
    return v["raw"] if "raw" in v else json.dumps(v["message"], ensure_ascii=False)
