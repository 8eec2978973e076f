"""The client option ``failover_urls``: after a failed or lost connection, each reconnect dials the next URL of
``[url, *failover_urls]`` in turn, so a client of a dead node reaches a live one (as the TS client's failoverUrls)."""

from __future__ import annotations

from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions

from .harness import PROTOCOL, Server, free_port, live

FAST = BackoffOptions(min_delay_s=0.01, max_delay_s=0.05)


@live()
async def test_a_client_whose_url_is_dead_connects_to_the_next_url_of_the_list() -> None:
    async with Server() as s:
        live_url = f"ws://127.0.0.1:{s.port}/api/ws/guide"
        c = chat_client(f"ws://127.0.0.1:{free_port()}", s.token, PROTOCOL, options=ClientOptions(backoff=FAST, failover_urls=(live_url,)))
        await c.connect()
        assert c.status == "open" and c.reconnects == 1 and c.dial_url == live_url
        assert (await c.request({"type": "user_message", "message": "/echo hi"}))["message"] == "hi"
        await c.close()


@live()
async def test_a_client_whose_node_shuts_down_reconnects_to_the_other_url_and_stays_there() -> None:
    async with Server() as one, Server(token=one.token, session_id=one.session.session_id) as two:  # both know the token
        other = f"ws://127.0.0.1:{two.port}/api/ws/guide"
        c = chat_client(f"ws://127.0.0.1:{one.port}", one.token, PROTOCOL, options=ClientOptions(backoff=FAST, failover_urls=(other,)))
        await c.connect()
        await one.drain()
        assert (await c.request({"type": "user_message", "message": "/echo two"}))["message"] == "two"
        assert c.reconnects == 1 and len(two.core.registry) == 1 and c.dial_url == other
        await c.close()
