"""Both clients hand out the same value for the same frame (the conformance rule, runtime/python/README.md): the
Python client's ``decode_frame`` against the TS client's ``parseMessage`` (``parity_probe.mjs``, from dist/), compared
as canonical JSON text, so ``1.0`` against ``1`` or ``…59.490000Z`` against ``…59.490Z`` is a difference."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from wsgen_protocol import parse_message, validate_message

from wsgen_runtime.client.inbound import Refused, decode_frame

from .harness import PROTOCOL

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
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


def test_each_frame_is_read_by_the_parser_once_and_for_its_value_once_with_no_decoder_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reads of one inbound frame, counted: the protocol's parser (validation, pydantic-core) once and the JSON
    decoder for the handed-out value once, with no ``JSONDecoder`` built per frame (``json.loads`` with a
    ``parse_float`` builds one, scanner included, on every call). Why the value is read apart from the validation:
    the models hold a date-time as a datetime, which does not keep its wire text (runtime/python/README.md)."""
    parses: list[str] = []
    reads: list[str] = []
    built: list[object] = []
    init, decode = json.JSONDecoder.__init__, json.JSONDecoder.decode

    def counting_parse(text: str) -> Any:
        parses.append(text)
        return PROTOCOL.parse(text)

    def counting_init(self: json.JSONDecoder, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        init(self, *args, **kwargs)

    def counting_decode(self: json.JSONDecoder, s: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(s)
        return decode(self, s, *args, **kwargs)

    proto = replace(PROTOCOL, parse=counting_parse)
    monkeypatch.setattr(json.JSONDecoder, "__init__", counting_init)
    monkeypatch.setattr(json.JSONDecoder, "decode", counting_decode)
    got = [decode_frame(proto, f) for f in FRAMES]
    assert not any(isinstance(g, Refused) for g in got)
    assert (parses, reads, built) == (FRAMES, FRAMES, [])


def test_validating_the_decoded_dict_instead_would_accept_what_the_parser_refuses() -> None:
    """Why the client does not read the frame once and validate the dict (runtime/python/README.md): over the
    conformance vectors, ``validate_message(json.loads(text))`` and ``parse_message(text)`` differ on exactly the
    three whose open field holds a lone surrogate, which only the parse refuses, as the TS side does."""
    differ = []
    for path in sorted((ROOT / "test" / "conformance" / "vectors").glob("*.json")):
        for v in json.loads(path.read_text()):
            text = v["raw"] if "raw" in v else json.dumps(v["message"])
            try:
                checked = validate_message(json.loads(text)).ok
            except (ValueError, RecursionError):  # not JSON for json.loads, or nested past its recursion limit
                checked = False
            if checked != parse_message(text).ok:
                differ.append((v["name"], v["valid"], checked))
    assert len(differ) == 3 and all("lone surrogate" in name and valid is False and checked for name, valid, checked in differ), differ
