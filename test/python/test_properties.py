"""Property tests: valid messages of every type stay valid; each single mutation gives the verdict a tiny oracle expects."""

from __future__ import annotations

import json
from typing import Any

from conftest import full_message, minimal_message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wsgen_protocol as w

TAGS = sorted(w.TAGS)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40)
#: Open fields hold numbers within ±(2^53 - 1) only (PROTOCOL.md "numbers", I-JSON).
SAFE = 2**53 - 1
JSON_SCALAR = st.none() | st.booleans() | st.integers(-SAFE, SAFE) | st.floats(-SAFE, SAFE, allow_nan=False) | TEXT
JSON = st.recursive(JSON_SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)

#: Fields and values that are valid for the field wherever it exists.
VALID: dict[str, st.SearchStrategy[Any]] = {
    "message_id": st.from_regex(r"\A[A-Za-z0-9._:-]{1,128}\Z"),
    "session_id": st.text(min_size=1, max_size=128),
    "status": st.text(min_size=1, max_size=64),
    "file_name": st.text(min_size=1, max_size=255),
    "progress": st.floats(0, 1) | st.sampled_from([0, 1]),
    "stream_index": st.integers(0, 1_000_000),
    "seq": st.integers(0, 2**53 - 1),
    "last_seq": st.integers(0, 2**53 - 1),
    "agent": st.sampled_from([m.value for m in w.AgentType]),
    "role": st.sampled_from([m.value for m in w.RoleType]),
    "pillar": st.sampled_from([m.value for m in w.PillarType]),
    "realm": st.sampled_from([m.value for m in w.Realm]),
    "error_code": st.sampled_from([m.value for m in w.ErrorCode]),
    "data": JSON,
    "metadata": st.dictionaries(TEXT, JSON, max_size=3),
    "timestamp": st.datetimes(timezones=st.timezones(), allow_imaginary=False)
    .filter(lambda d: d.utcoffset() is not None and d.utcoffset().total_seconds() % 60 == 0)
    .map(  # type: ignore[union-attr]
        lambda d: d.isoformat().replace("+00:00", "Z")
    ),
}
#: Values that break the field's type, and out-of-range values, by field.
INVALID: dict[str, list[Any]] = {
    "message_id": ["", "a b", "x" * 129, 1],
    "session_id": ["", "x" * 129, 5, True],
    "progress": [-0.1, 1.5, "0.5", True],
    "stream_index": [-1, 1_000_001, 1.5, "1", False],
    "seq": [-1, 2**53, 0.5],
    "agent": ["bond", "", 1],
    "error_code": ["invalid_message", 3],
    "metadata": [[], "x", 1, {"n": SAFE + 1}, {"n": [1, {"m": -1e20}]}],
    "data": [SAFE + 1, -(SAFE + 1), 1e20, 10**400, [1, {"a": 1.5e300}]],
    "timestamp": ["2024-05-01T10:00:00", "2024-05-01T10:00:00.1234567Z", "2024-02-30T00:00:00Z", 0],
    "file_uuid": ["not-a-uuid", 7],
    "schema_hash": ["A" * 64, "a" * 63],
}


def ok(msg: Any) -> bool:
    return w.parse_message(json.dumps(msg, ensure_ascii=False)).ok


@st.composite
def valid_message(draw: st.DrawFn) -> dict[str, Any]:
    tag = draw(st.sampled_from(TAGS))
    full = full_message(tag)
    required = minimal_message(tag)
    optional = sorted(set(full) - set(required))
    msg = dict(required)
    for key in draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []:
        msg[key] = full[key]
    for key in list(msg):
        if key in VALID and draw(st.booleans()):
            msg[key] = draw(VALID[key])
    return msg


@settings(max_examples=300, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_message())
def test_valid_messages_round_trip(msg: dict[str, Any]) -> None:
    r = w.parse_message(json.dumps(msg, ensure_ascii=False))
    assert isinstance(r, w.ParseOk), (msg, r)
    again = w.parse_message(w.dump_message(r.value))
    assert isinstance(again, w.ParseOk) and again.value == r.value
    assert w.validate_message(msg).ok


@settings(max_examples=400, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_message(), st.data())
def test_mutations(msg: dict[str, Any], data: st.DataObject) -> None:
    tag = msg["type"]
    model = w.TAGS[tag]
    required = [k for k, f in model.model_fields.items() if f.is_required() and k != "type"]
    allowed = set(model.model_fields)
    kind = data.draw(st.sampled_from(["drop", "null", "extra", "bad", "forbidden"]))
    bad = dict(msg)
    expected = False
    if kind == "drop":
        if not required:
            return
        del bad[data.draw(st.sampled_from(required))]
    elif kind == "null":
        key = data.draw(st.sampled_from(sorted(set(bad) - {"type"})))
        bad[key] = None
        expected = key == "data"  # any JSON, null included
    elif kind == "extra":
        name = data.draw(TEXT.filter(lambda k: k not in allowed))
        bad[name] = data.draw(JSON)
    elif kind == "bad":
        fields = sorted(k for k in INVALID if k in allowed)
        key = data.draw(st.sampled_from(fields))
        bad[key] = data.draw(st.sampled_from(INVALID[key]))
    else:
        envelope = set(w.MessageEnvelope.model_fields)
        forbidden = sorted(envelope - allowed)
        if not forbidden:
            return
        bad[data.draw(st.sampled_from(forbidden))] = full_message("ping").get("seq", 1)
    assert ok(bad) is expected, (kind, bad)
