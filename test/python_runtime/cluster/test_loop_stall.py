"""A stalled event loop on the node is not a Redis outage (issue 12): Redis answers an append at once, the node's loop
stands still for longer than ``timeout_s`` before it reads the reply (a loaded machine: 1.5 s measured at load 20
during a 100-client failover), and the append still succeeds: no ``redis_unavailable``, the message is stored
(``cluster/lag.py``). A Redis that does not answer is still an outage within ``timeout_s``: test_redis_down.py."""

from __future__ import annotations

import time
from typing import Any

from ..harness import Client, live
from .nodes import SESSION, eventually, inspect, log_events, node, ready
from .redis_server import RedisServer

TIMEOUT_S = 0.5


def system(text: str) -> dict[str, Any]:
    return {"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": text}


@live()
async def test_a_loop_stall_longer_than_timeout_s_while_a_reply_waits_unread_is_not_an_outage(redis: RedisServer) -> None:
    async with node(redis, "node-a", timeout_s=TIMEOUT_S) as a:
        await ready(a)
        store = a.core.sessions
        c = await Client.connect(a)
        assert (await c.recv())["type"] == "session_created"
        inspect(redis).execute_command("CLIENT", "PAUSE", "200", "WRITE")  # Redis answers the append 0.2 s after it comes
        assert a.core.send_to_session(SESSION, "guide", system("stalled"))
        await eventually(lambda: int(inspect(redis).info("clients")["blocked_clients"]) == 1, every=0.01)  # the append waits
        time.sleep(3 * TIMEOUT_S)  # noqa: ASYNC251 - the stall itself: the node's loop stands still, Redis answers meanwhile
        await c.until(lambda m: m.get("message") == "stalled")
        events = log_events(a)
        assert "redis_unavailable" not in events and "redis_stream_broken" not in events
        assert [e[0] for e in inspect(redis).xrange(f"wsgen:{{{SESSION}}}:guide:log")] == ["1-0"]  # stored
        assert store.lag.stalls >= 1 and store.lag.stalled_s >= 2 * TIMEOUT_S
        await c.close()
