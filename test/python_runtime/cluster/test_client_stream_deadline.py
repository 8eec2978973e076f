"""A stream in progress when its node is SIGKILLed: the client resumes on the other node (stored messages replayed),
but the stream's handler died with the node, so ``stream()`` ends with RequestTimeoutError (``REQUEST_TIMEOUT``,
phase ``stream-idle``) after the idle limit instead of hanging; a new request is answered by the other node."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions, RequestTimeoutError

from ..harness import PROTOCOL, live
from .nodes import TOKEN, eventually
from .processes import ChildNode


@live(120)
async def test_sigkill_mid_stream_the_stream_ends_with_request_timeout_and_a_new_request_is_answered(
    two_python_nodes: tuple[ChildNode, ChildNode],
) -> None:
    a, b = two_python_nodes
    options = ClientOptions(
        backoff=BackoffOptions(min_delay_s=0.02, max_delay_s=0.3),
        failover_urls=(f"{b.url()}/api/ws/guide",),
        stream_idle_timeout_s=1.0,
    )
    c = chat_client(a.url(), TOKEN, PROTOCOL, options=options)
    await c.connect()
    got: list[dict[str, Any]] = []
    with pytest.raises(RequestTimeoutError) as e:
        async for m in c.stream(
            {"type": "user_message", "message": "/stream 400", "message_id": "long"}
        ):
            got.append(m)
            if len(got) == 20:
                a.kill()  # mid-stream, no goodbye
    assert (e.value.code, e.value.phase, e.value.message_id) == (
        "REQUEST_TIMEOUT",
        "stream-idle",
        "long",
    )
    assert got[-1]["type"] == "agent_streaming" and all(
        m["type"] == "agent_streaming" for m in got
    )
    await eventually(lambda: c.status == "open" and c.reconnects >= 1, 30)
    assert c.resumes[-1] == "resumed" and c.recovery_failures == []
    done = await asyncio.wait_for(
        c.request({"type": "user_message", "message": "/stream 3"}), 30
    )
    assert done["type"] == "agent_complete"
    await c.close()
