"""Fan-out and session-addressed sends across the two runtimes on one Redis: a publish on a Python node reaches a
connection held by a Node node and the reverse, each copy with its session's fields (realm) as the origin would
have sent it; a send to a session stream the other kind of node owns is
delivered live by that node (``Pnode:<id>`` ``send``); a link on the other kind of node takes the stream over
(4505)."""

from __future__ import annotations

import asyncio
from typing import Any

import websockets

from wsgen_runtime import Audience

from ..harness import Client, live
from .nodes import SESSION, TOKEN, node, ready
from .processes import ChildNode, node_node
from .redis_server import RedisServer


def system(text: str) -> dict[str, Any]:
    return {"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": text}


async def connect_node(n: ChildNode, path: str = "/api/ws/guide") -> Client:
    """A harness client on a child node (the shared token in the subprotocols)."""
    ws = await websockets.connect(f"{n.url()}{path}", subprotocols=["wsgen.v1", f"wsgen.token.{TOKEN}"], ping_interval=None)
    return Client(ws)


@live(90)
async def test_publishes_and_session_sends_cross_between_a_python_and_a_node_node(redis: RedisServer) -> None:
    js = node_node(redis, "node-1", ipc=True)
    await asyncio.to_thread(js.start)
    try:
        async with node(redis, "py-1") as py:
            await ready(py)
            on_js = await connect_node(js)  # the guide stream is held by the Node node
            assert (await on_js.recv())["type"] == "session_created"
            on_py = await Client.connect(py, path="/api/ws/liaison/content")  # a liaison stream held by the Python node
            assert (await on_py.recv())["type"] == "session_created"
            # Python publishes: the Node node's connection gets its copy (its own seq); Python's own copy too.
            assert py.core.publish(Audience(tenant="dev-tenant", attributes={"realm": "experience"}), system("from python")) == 1
            # Each copy carries its session's fields (the realm), computed by the node that holds the connection.
            for c in (on_js, on_py):
                got = await c.recv()
                assert (got["type"], got["message"], got["seq"], got.get("realm")) == ("system_message", "from python", 1, "experience")
            # Node publishes: the Python node's connection gets its copy.
            audience = {"realm": "experience", "tenant": "dev-tenant", "name": "liaison"}
            assert (await asyncio.to_thread(js.ask, {"cmd": "publish", "audience": audience, "message": system("from node")}))["ok"] == 0
            got = await on_py.recv()
            assert (got["message"], got["seq"], got.get("realm")) == ("from node", 2, "experience")
            # Session-addressed sends to the stream the other kind of node owns: delivered live there.
            assert py.core.send_to_session(SESSION, "guide", system("python to node's stream"))
            got = await on_js.recv()
            assert (got["message"], got["seq"]) == ("python to node's stream", 2)
            cmd = {"cmd": "send", "sessionId": SESSION, "endpoint": "liaison:content", "message": system("node to python's stream")}
            await asyncio.to_thread(js.ask, cmd)
            got = await on_py.recv()
            assert (got["message"], got["seq"]) == ("node to python's stream", 3)
            # The forward is acknowledged both ways (docs/redis-layout.md "Channels"): the sender's next send follows at
            # once, and no sender appends a copy of a message the owner already stored (a missing ack would make the
            # sender time out and store it twice: the next one would then arrive as seq 5).
            await asyncio.to_thread(js.ask, {**cmd, "message": system("node to python's stream, again")})
            got = await on_py.recv()
            assert (got["message"], got["seq"]) == ("node to python's stream, again", 4)
            assert py.core.send_to_session(SESSION, "guide", system("python to node's stream, again"))
            got = await on_js.recv()
            assert (got["message"], got["seq"]) == ("python to node's stream, again", 3)
            # A link on the Python node takes the guide stream over from the Node node.
            moved = await Client.connect(py)
            created = await moved.recv()
            assert (created["type"], created["seq"]) == ("session_created", 3)
            assert (await on_js.closed())[0] == 4505
    finally:
        js.stop()
