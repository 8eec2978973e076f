"""Shared setup of the Python tests: the generated package on sys.path, paths, and sample messages."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated" / "python"
sys.dont_write_bytecode = True  # keep generated/ free of __pycache__
sys.path.insert(0, str(GENERATED))

import wsgen_protocol  # noqa: E402

#: A valid value for every envelope field (the per-type consts are fixed in `full_message`).
SAMPLE: dict[str, Any] = {
    "message_id": "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60",
    "timestamp": "2024-05-01T10:00:00.123Z",
    "session_token": "tok.abc",
    "session_id": "sess-1",
    "agent": "guide_agent",
    "role": "agent",
    "pillar": "content",
    "realm": "experience",
    "message": "hello",
    "data": {"rows": [1, 2.5, None, "x", {"k": True}]},
    "file_uuid": "3F1C2A9E-8B7D-4C6E-9F0A-1B2C3D4E5F60",
    "file_name": "report.csv",
    "file_url": "https://files.example/report.csv",
    "metadata": {},
    "additional_info": {"a": [1]},
    "error_code": "INTERNAL_ERROR",
    "error_details": {"errors": []},
    "status": "thinking",
    "progress": 0.5,
    "is_streaming": True,
    "stream_index": 3,
    "seq": 7,
    "schema_hash": "a" * 64,
    "last_seq": 0,
    "epoch": "e-1",
}

CONSTS: dict[str, dict[str, Any]] = {"agent_complete": {"is_streaming": False}}


def fields_of(tag: str) -> dict[str, Any]:
    return dict(wsgen_protocol.TAGS[tag].model_fields)


def full_message(tag: str) -> dict[str, Any]:
    """Every field the type allows, with valid values."""
    out: dict[str, Any] = {"type": tag}
    for name, info in fields_of(tag).items():
        key = info.alias or name
        if key != "type":
            out[key] = CONSTS.get(tag, {}).get(key, SAMPLE[key])
    return out


def minimal_message(tag: str) -> dict[str, Any]:
    """Only the required fields."""
    full = full_message(tag)
    return {(i.alias or n): full[i.alias or n] for n, i in fields_of(tag).items() if i.is_required()}
