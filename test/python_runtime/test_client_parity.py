"""Both clients hand out the same value for the same frame (the conformance rule, runtime/python/README.md): the
Python client's ``decode_frame`` against the TS client's ``parseMessage`` (``parity_probe.mjs``, from dist/), compared
as canonical JSON text, so ``1.0`` against ``1`` or ``…59.490000Z`` against ``…59.490Z`` is a difference."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from wsgen_runtime.client.inbound import Refused, decode_frame

from .harness import PROTOCOL

HERE = Path(__file__).resolve().parent
FRAMES = [
    # a date-time keeps its wire text (pydantic would write .490000Z); integral floats are JSON.parse's integers
    '{"type":"agent_message","timestamp":"2026-11-29T23:59:59.490Z","message":"price","agent":"guide_agent",'
    '"data":{"amount":1.0,"price":0.21,"neg":-2.0,"max":9007199254740991.0,"tiny":1e-7,"list":[1.0,2.5,{"x":3.0}],"at":"2026-11-29T23:59:59.490Z"},'
    '"metadata":{"when":"2026-11-29T23:59:59.4+02:00"}}',
    # a typed number field (progress: number) given an integral float, and a timestamp with an offset
    '{"type":"progress_update","timestamp":"2026-11-29T23:59:59.100000+01:00","progress":1.0,"agent":"guide_agent"}',
    '{"type":"session_created","timestamp":"2026-11-29T23:59:59Z","session_id":"s-1","realm":"experience","seq":0,'
    '"epoch":"e1","schema_hash":"' + "a" * 64 + '","agent":"guide_agent"}',
]


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_the_python_client_hands_out_the_ts_clients_value_for_each_frame() -> None:
    ts = subprocess.run(["node", str(HERE / "parity_probe.mjs")], input="\n".join(FRAMES), capture_output=True, text=True, timeout=60, check=True)
    expected = json.loads(ts.stdout)
    got = [decode_frame(PROTOCOL, f) for f in FRAMES]
    assert not any(isinstance(g, Refused) for g in got), got
    assert all("refused" not in e for e in expected), expected
    for g, e in zip(got, expected, strict=True):
        assert canonical(g) == canonical(e)
    first = got[0]
    assert isinstance(first, dict)
    assert first["timestamp"] == "2026-11-29T23:59:59.490Z" and type(first["data"]["amount"]) is int
    assert first["metadata"]["when"] == "2026-11-29T23:59:59.4+02:00"
