"""Each kind of invalid frame, against a real uvicorn: the reply or close code, and that the connection lives on."""

from __future__ import annotations

import json

import pytest

from .harness import Client, Server, live


@live()
async def test_invalid_frames_get_invalid_message_with_issues_and_the_connection_stays_open() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        cases: list[tuple[str, str, str, str | None]] = [
            ("{not json", "", "json", None),
            ('{"type":"user_message","timestamp":"2024-01-01T00:00:00Z","message_id":"m-1"}', "", "required", "m-1"),
            ('{"type":"user_message","timestamp":"2024-01-01T00:00:00Z","message":"x","bogus":1}', "", "additionalProperties", None),
            ('{"type":"no_such_type","timestamp":"2024-01-01T00:00:00Z"}', "/type", "discriminator", None),
            ('{"type":"user_message","timestamp":"yesterday","message":"x"}', "/timestamp", "format", None),
            ('{"type":"user_message","timestamp":"2024-01-01T00:00:00Z","message":"x","data":NaN}', "", "json", None),
            ("[1,2]", "", "type", None),
        ]
        for text, path, keyword, mid in cases:
            await c.ws.send(text)
            err = await c.recv()
            assert (err["type"], err["error_code"]) == ("error_message", "INVALID_MESSAGE"), text
            first = err["error_details"]["errors"][0]
            assert (first["path"], first["keyword"]) == (path, keyword), (text, first)
            assert err.get("message_id") == mid and "seq" not in err
        await c.send({"type": "user_message", "message": "/echo alive"})
        assert (await c.recv())["message"] == "alive"
        assert b'wsgen_validation_failures_total{keyword="json"} 2.0' in s.core.metrics.text()


@live()
async def test_a_frame_with_several_faults_gets_one_issue_the_first_in_ajv_order() -> None:
    """runtime/python/README.md: validation stops at the first issue, the same one as the Node server's."""
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await c.ws.send(json.dumps({"type": "user_message", "timestamp": "yesterday", "message": 42, "colour": "red", "message_id": "m-3"}))
        err = await c.recv()
        assert err["error_details"] == {
            "errors": [{"path": "", "keyword": "additionalProperties", "message": "must NOT have additional properties", "params": {"additionalProperty": "colour"}}]
        }
        assert err["message_id"] == "m-3"


@live()
async def test_binary_frame_closes_with_1003() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await c.ws.send(b'{"type":"ping"}')
        code, _ = await c.closed()
        assert code == 1003


@pytest.mark.parametrize("ws_max_size", [None, 1024 * 1024], ids=["uvicorn-ws_max_size", "checked-in-code"])
def test_frame_over_64_kib_closes_with_1009(ws_max_size: int | None) -> None:
    @live()
    async def run() -> None:
        async with Server(ws_max_size=ws_max_size) as s:
            c = await Client.connect(s)
            await c.recv()
            ok = json.dumps({"type": "user_message", "timestamp": "2024-01-01T00:00:00Z", "message": "a" * 32000})
            await c.ws.send(ok)  # 32 KB passes the frame limit (and fails nothing else but the 32768 max)
            assert (await c.recv())["type"] in ("agent_streaming", "error_message", "agent_message")
            await c.ws.send(json.dumps({"type": "user_message", "timestamp": "2024-01-01T00:00:00Z", "message": "é" * 33000}))
            code, reason = await c.closed()
            assert code == 1009
            # A short reason, as from the Node server (RFC 6455 §5.5.1): the library's or the core's wording.
            assert reason in ("frame with 198076 bytes exceeds limit of 65536 bytes", "frame over 65536 bytes"), reason

    run()


@live()
async def test_invalid_utf8_in_a_text_frame_closes_with_1007() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await c.ws.send(b'{"type":"ping","x":"\xff"}', text=True)
        code, _ = await c.closed()
        assert code == 1007
        assert b'wsgen_validation_failures_total{keyword="utf8"} 1.0' in s.core.metrics.text()


@live()
async def test_a_lone_surrogate_escape_is_invalid_not_a_crash() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await c.ws.send('{"type":"user_message","timestamp":"2024-01-01T00:00:00Z","message":"\\ud800"}')
        err = await c.recv()
        assert err["error_code"] == "INVALID_MESSAGE"
        assert err["error_details"]["errors"][0]["keyword"] == "unicode"
