"""The asyncio client validates every inbound frame with the protocol's generated parser, as the TS client does
(runtime/client/inbound.ts): a frame the protocol refuses (invalid, not JSON, a type only clients send) is not
delivered, is counted in ``health()["invalid_frames"]`` and logged as ``invalid_frame`` with code
``INVALID_FRAME``, and the client goes on; a valid message is a dict with the schema's defaults filled in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from wsgen_runtime import JsonLogger
from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions
from wsgen_runtime.client.inbound import Refused, decode_frame

from .harness import PROTOCOL, Lines, Server, live, now_iso

ROOT = Path(__file__).resolve().parents[2]


def _emitting(*bad: dict[str, Any]) -> dict[str, Any]:
    """A guide agent that first emits ``bad`` (sent as is: the server runs without outbound validation), then replies."""

    def guide(req: Any) -> Any:
        for m in bad:
            req.emit({**m, "message_id": req.message_id})
        return "after the bad frames"

    return {"guide_agent": guide}


@live()
async def test_invalid_inbound_frames_are_not_delivered_but_logged_with_invalid_frame_and_counted() -> (
    None
):
    missing = {
        "type": "agent_message",
        "timestamp": now_iso(),
        "agent": "guide_agent",
    }  # no required `message`
    wrong = {
        "type": "agent_message",
        "timestamp": now_iso(),
        "agent": "guide_agent",
        "message": 42,
    }
    async with Server(agents=_emitting(missing, wrong), validate_outbound=False) as s:
        lines = Lines()
        options = ClientOptions(
            backoff=BackoffOptions(min_delay_s=0.02, max_delay_s=0.2),
            logger=JsonLogger("debug", lines),
        )
        c = chat_client(f"ws://127.0.0.1:{s.port}", s.token, PROTOCOL, options=options)
        seen: list[dict[str, Any]] = []
        c.subscribe(seen.append)
        await c.connect()
        reply = await c.request({"type": "user_message", "message": "hello"})
        assert (reply["type"], reply["message"]) == (
            "agent_message",
            "after the bad frames",
        )
        assert (
            c.health()["invalid_frames"] == 2
            and c.status == "open"
            and c.reconnects == 0
        )
        assert [m for m in seen if m.get("message_id") == reply["message_id"]] == [
            reply
        ]  # the bad frames were not delivered
        logged = [json.loads(t) for t in lines.text]
        bad = [e for e in logged if e["event"] == "invalid_frame"]
        assert [(e["level"], e["code"]) for e in bad] == [("warn", "INVALID_FRAME")] * 2
        assert [(e["issues"][0]["path"], e["issues"][0]["keyword"]) for e in bad] == [
            ("", "required"),
            ("/message", "type"),
        ]
        assert all(
            e["hint"] and e["preview"].startswith("{") and "?" not in e["url"]
            for e in bad
        )
        await c.close()


def test_a_client_only_type_binary_and_non_json_frames_are_refused_never_raised() -> (
    None
):
    client_only = json.dumps(
        {
            "type": "user_message",
            "timestamp": now_iso(),
            "message": "a server may not send this",
        }
    )
    for frame, where in (
        (client_only, ("/type", "direction")),
        (b"\x00", ("", "type")),
        ("{not json", None),
    ):
        r = decode_frame(PROTOCOL, frame)
        assert isinstance(r, Refused), frame
        if where is not None:
            assert (r.issues[0].path, r.issues[0].keyword) == where
        assert (
            r.log_fields("ws://h/p?session_token=secret")["url"] == "ws://h/p"
        )  # never the query (a token may be there)


@live()
async def test_valid_inbound_messages_are_dicts_without_none_stand_ins() -> None:
    async with Server() as s:
        c = chat_client(
            f"ws://127.0.0.1:{s.port}",
            s.token,
            PROTOCOL,
            options=ClientOptions(logger=JsonLogger("debug", Lines())),
        )
        await c.connect()
        reply = await c.request({"type": "user_message", "message": "/echo hi"})
        assert (
            isinstance(reply, dict)
            and reply["type"] == "agent_message"
            and reply["message"] == "hi"
        )
        assert (
            None not in reply.values()
        )  # optional fields the server left out are absent, not None
        await c.close()


def test_defaults_are_filled_in_as_the_ts_client_does() -> None:
    """The defaults fixture (test/fixtures/defaults), generated into a temp folder: the client's inbound decoding
    hands out the message with every default filled in (nested, nullable), and a type without defaults as sent."""
    script = """
import json
from wsgen_protocol.protocol import PROTOCOL
from wsgen_runtime.client.inbound import Refused, decode_frame
from wsgen_runtime.generated import from_generated
d = from_generated(PROTOCOL)
frames = ['{"type":"configure","title":"x","layout":{"margins":{"bottom":1}}}', '{"type":"plain"}', '{"type":"configure","retries":-1}']
out = [decode_frame(d, t) for t in frames]
print(json.dumps([o if isinstance(o, dict) else {"refused": [i.keyword for i in o.issues]} for o in out]))
"""
    with tempfile.TemporaryDirectory(prefix="wsgen-defaults-") as tmp:
        gen = [
            str(ROOT / "test" / "fixtures" / "defaults"),
            "--out",
            tmp,
            "--target",
            "python",
            "--quiet",
        ]
        subprocess.run(
            ["node", str(ROOT / "bin" / "wsgen.js"), "generate", "--schema", *gen],
            check=True,
            timeout=120,
        )
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(Path(tmp) / "python"), str(ROOT / "runtime" / "python" / "src")]
            ),
        }
        out = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    configure, plain, refused = json.loads(out)
    assert configure == {
        "type": "configure", "title": "x", "zoom": 1.5, "retries": 3, "visible": True, "parent": None, "color": "green",
        "tags": ["a", "b"], "meta": {"rev": 1}, "layout": {"columns": 2, "margins": {"top": 4, "bottom": 1, "unit": "px"}},
        "label": "none", "owner": None, "extra": {"free": [1, "two", None]},
    }  # fmt: skip
    assert plain == {"type": "plain"}
    assert refused == {"refused": ["minimum"]}
