"""Each kind of invalid frame, against a real uvicorn: the reply or close code, and that the connection lives on."""

from __future__ import annotations

import json
import warnings

import pytest
from uvicorn.config import UvicornDeprecationWarning

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


#: Text messages that are not UTF-8: in one frame, and split over two frames (the bad byte in the second).
INVALID_UTF8 = [[b'{"type":"ping","x":"\xff"}'], [b'{"type":"ping","x":"\xc3', b'\x28"}']]


@pytest.mark.parametrize("frames", INVALID_UTF8, ids=["one-frame", "fragmented"])
@pytest.mark.parametrize("ws", ["auto", "wsgen_runtime.ws_protocol:WsgenWebSocketsProtocol"], ids=["uvicorn_config", "--ws-import-string"])
def test_invalid_utf8_in_a_text_message_closes_with_1007_and_the_node_servers_reason(frames: list[bytes], ws: str) -> None:
    """uvicorn_config's WsgenWebSocketsProtocol checks UTF-8 before uvicorn does, so the close has a reason; the
    ``uvicorn`` command gets it with ``--ws wsgen_runtime.ws_protocol:WsgenWebSocketsProtocol`` (the same Config)."""

    @live()
    async def run() -> None:
        async with Server(ws=ws) as s:
            c = await Client.connect(s)
            await c.recv()
            await c.ws.send(frames[0] if len(frames) == 1 else iter(frames), text=True)
            assert await c.closed() == (1007, "text is not valid UTF-8")
            assert b'wsgen_validation_failures_total{keyword="utf8"} 1.0' in s.core.metrics.text()

    run()


@live()
async def test_valid_non_ascii_text_split_inside_a_character_is_one_message() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        # "é" (C3 A9) split between two frames: valid once the message is whole.
        await c.ws.send(iter([b'{"type":"ping","timestamp":"2024-01-01T00:00:00Z","x":"\xc3', b'\xa9"}']), text=True)
        err = await c.recv()
        assert err["error_details"]["errors"][0]["keyword"] == "additionalProperties"  # read and judged, not closed


@pytest.mark.parametrize("ws", ["websockets-sansio", "websockets"])
def test_uvicorns_own_implementations_close_invalid_utf8_with_1007_and_no_reason(ws: str) -> None:
    """Why WsgenWebSocketsProtocol exists: uvicorn decodes before the app sees the frame and sends 1007 with an
    empty reason (``send_close(1007)`` in websockets_sansio_impl, ``fail_connection(1007)`` in websockets.legacy).
    A server started with the plain ``uvicorn`` command and no ``--ws`` behaves like this."""

    @live()
    async def run() -> None:
        async with Server(ws=ws) as s:
            c = await Client.connect(s)
            await c.recv()
            await c.ws.send(INVALID_UTF8[0][0], text=True)
            assert await c.closed() == (1007, "")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UvicornDeprecationWarning)  # uvicorn deprecates its legacy "websockets" implementation
        warnings.simplefilter("ignore", DeprecationWarning)  # which runs on websockets.legacy
        run()


@live()
async def test_a_lone_surrogate_escape_is_invalid_not_a_crash() -> None:
    async with Server() as s:
        c = await Client.connect(s)
        await c.recv()
        await c.ws.send('{"type":"user_message","timestamp":"2024-01-01T00:00:00Z","message":"\\ud800"}')
        err = await c.recv()
        assert err["error_code"] == "INVALID_MESSAGE"
        assert err["error_details"]["errors"][0]["keyword"] == "unicode"
