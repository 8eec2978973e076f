"""A generated model published or sent to a session through the Redis store (another node's connection, the
fan-out channel, the owner node's forward) is written by the rule of every sender (``wire.as_message``,
``wire.to_json``): its unset fields are left out, never ``null``. Before, ``publish`` refused a model (TypeError)
and ``send_to_session`` forwarded it with every unset field as ``null``, which the owner node refused as
``invalid_outbound`` (test_outbound_models.py has the in-process senders)."""

from __future__ import annotations

import json

from wsgen_protocol.models import SystemMessage

from wsgen_runtime import Audience

from ..harness import Client, live
from .nodes import SESSION, node, ready
from .redis_server import RedisServer


def note(text: str) -> SystemMessage:
    """A model whose optional fields (message_id, session_id, data... all ``NotNull``) were never set."""
    return SystemMessage(type="system_message", timestamp="2026-01-02T03:04:05Z", message=text)


@live()
async def test_a_model_published_or_sent_across_nodes_arrives_without_its_unset_fields(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b") as b:
        await ready(a, b)
        x = await Client.connect(b)
        await x.recv()
        assert a.core.publish(Audience(tenant="dev-tenant", attributes={"realm": "experience"}), note("fan-out")) == 0  # none on node a
        got = await x.recv()
        assert (got["message"], got["seq"]) == ("fan-out", 1) and "null" not in json.dumps(got)
        assert set(got) == {"type", "timestamp", "message", "realm", "seq"}  # realm: the bundled app's session fields
        assert a.core.send_to_session(SESSION, "guide", note("forwarded"))  # routed to node b, the stream's owner
        got = await x.recv()
        assert (got["message"], got["seq"]) == ("forwarded", 2) and "null" not in json.dumps(got)
        assert not [line for line in a.logs.text + b.logs.text if "invalid_outbound" in line]
