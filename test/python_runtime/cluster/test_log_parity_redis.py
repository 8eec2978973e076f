"""The Redis store's log lines carry the Node store's fields (runtime/server/redis/*.ts): ``redis_bad_message`` its
``code`` (INTERNAL_ERROR) at level error, as Node's fan-out; ``redis_stream_broken`` the ``error`` that broke the
stream (test_redis_down.py, test_redis_down_order.py check it for the ``lost`` and ``error`` reasons)."""

from __future__ import annotations

import json

from ..harness import live
from .nodes import eventually, inspect, node, ready
from .redis_server import RedisServer


@live()
async def test_a_malformed_fanout_message_is_logged_with_nodes_code_and_level(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a:
        await ready(a)
        inspect(redis).publish("wsgen:fanout", json.dumps({"origin": "elsewhere", "message": {}}))  # no audience
        await eventually(lambda: any('"redis_bad_message"' in line for line in a.logs.text))
        line = next(json.loads(x) for x in a.logs.text if '"redis_bad_message"' in x)
        assert (line["level"], line["code"], line["channel"]) == ("error", "INTERNAL_ERROR", "wsgen:fanout")
        assert "audience" in line["error"] and line["hint"]
