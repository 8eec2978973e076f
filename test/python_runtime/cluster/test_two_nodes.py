"""Two Python nodes on one real Redis (in one process): a session moves between nodes with its epoch, seqs
and replay; publishes and session-addressed sends cross nodes; a second link takes the stream over."""

from __future__ import annotations

import json
from typing import Any

from wsgen_runtime import Audience
from wsgen_runtime.app.client import chat_client
from wsgen_runtime.client import BackoffOptions, ClientOptions
from wsgen_runtime.cluster import RedisSessionStore

from ..harness import PROTOCOL, Client, live
from .nodes import SESSION, TOKEN, eventually, inspect, log_events, node, ready
from .redis_server import RedisServer

FAST = BackoffOptions(min_delay_s=0.02, max_delay_s=0.2)


def system(text: str) -> dict[str, Any]:
    return {"type": "system_message", "timestamp": "2024-01-01T00:00:00Z", "message": text}


async def stream_of(c: Client, n: int) -> list[dict[str, Any]]:
    await c.send({"type": "user_message", "message": f"/stream {n}", "message_id": "st"})
    return await c.until(lambda m: m["type"] == "agent_complete")


@live()
async def test_a_session_resumes_on_the_other_node_with_replay_after_last_seq_and_held_messages(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b") as b:
        await ready(a, b)
        x = await Client.connect(a)
        created = await x.recv()
        assert (created["seq"], created["session_id"]) == (0, SESSION)
        msgs = await stream_of(x, 5)  # seq 1..6, each in Redis before it was sent
        assert [m["seq"] for m in msgs] == [1, 2, 3, 4, 5, 6]
        await x.close()
        assert b.core.send_to_session(SESSION, "guide", system("while away"))  # detached: appended as seq 7 (asynchronously)
        r = inspect(redis)
        await eventually(lambda: r.hget(f"wsgen:{{{SESSION}}}:guide:meta", "seq") == "7")
        y = await Client.connect(b)
        again = await y.recv()
        assert (again["type"], again["epoch"], again["seq"]) == ("session_created", created["epoch"], 7)
        assert b.core.send_to_session(SESSION, "guide", system("held until the resume"))  # seq 8: stored, held
        await y.send({"type": "session_resume", "session_id": SESSION, "last_seq": 3, "epoch": created["epoch"], "message_id": "r-1"})
        got = await y.until(lambda m: m["type"] == "session_updated")
        assert [m["seq"] for m in got] == [4, 5, 6, 7, 8, 9]
        assert [m["message"] for m in got[3:5]] == ["while away", "held until the resume"]
        assert (got[-1]["status"], got[-1]["message_id"]) == ("resumed", "r-1")
        meta = r.hgetall(f"wsgen:{{{SESSION}}}:guide:meta")
        assert (meta["epoch"], meta["seq"], meta["owner"].split("/")[0]) == (created["epoch"], "9", "node-b")
        assert [e[0] for e in r.xrange(f"wsgen:{{{SESSION}}}:guide:log")] == [f"{i}-0" for i in range(1, 10)]


@live()
async def test_a_publish_on_one_node_reaches_the_connections_held_by_another_once(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b") as b:
        await ready(a, b)
        other_realm, _ = b.validator.issue(user_id="u2", attributes={"realm": "smart_city"})
        x = await Client.connect(b)
        z = await Client.connect(b, token=other_realm)
        for c in (x, z):
            await c.recv()
        local = await Client.connect(a, path="/api/ws/liaison/content")  # another stream of the session, on node a
        await local.recv()
        n = a.core.publish(Audience(tenant="dev-tenant", attributes={"realm": "experience"}), system("maintenance"))
        assert n == 1  # node a's own copy; node b delivers its copies from the fan-out channel
        for c in (x, local):
            got = await c.recv()
            assert (got["type"], got["message"], got["realm"], got["seq"]) == ("system_message", "maintenance", "experience", 1)
        for c in (x, z, local):
            await c.send({"type": "ping", "message_id": "p"})
            assert (await c.recv())["type"] == "pong"  # nothing else arrived: one copy, and none in the other realm


@live()
async def test_a_publish_to_an_endpoint_name_or_a_user_crosses_nodes_too(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b") as b:
        await ready(a, b)
        ops = await Client.connect(b, path="/api/ws/liaison/operations")
        guide = await Client.connect(b)
        for c in (ops, guide):
            await c.recv()
        a.core.publish(Audience(tenant="dev-tenant", attributes={"realm": "experience"}, name="liaison"), system("to every liaison"))
        a.core.publish(Audience(tenant="dev-tenant", user_id="someone-else"), system("to another user"))
        a.core.publish(Audience(tenant="dev-tenant", user_id="dev-user", endpoint="guide"), system("to the guide of dev-user"))
        assert (await ops.recv())["message"] == "to every liaison"
        assert (await guide.recv())["message"] == "to the guide of dev-user"
        for c in (ops, guide):
            await c.send({"type": "ping", "message_id": "p"})
            assert (await c.recv())["type"] == "pong"


@live()
async def test_a_session_addressed_send_reaches_the_owner_node_live(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b") as b:
        await ready(a, b)
        x = await Client.connect(a)
        await x.recv()
        assert b.core.send_to_session(SESSION, "guide", system("from node b"))  # routed over P:node:node-a
        got = await x.recv()
        assert (got["message"], got["seq"]) == ("from node b", 1)


@live()
async def test_a_link_on_another_node_takes_the_stream_over_with_4505(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b") as b:
        await ready(a, b)
        x = await Client.connect(a)
        await x.recv()
        y = await Client.connect(b)
        await y.recv()
        code, reason = await x.closed()
        assert (code, reason) == (4505, "replaced by a newer connection of the same session")
        assert inspect(redis).hget(f"wsgen:{{{SESSION}}}:guide:meta", "owner").startswith("node-b/")


@live()
async def test_an_append_by_another_node_fences_the_owner_which_hands_its_client_to_redis_without_loss(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b") as b:
        await ready(a, b)
        c = chat_client(f"ws://127.0.0.1:{a.port}", TOKEN, PROTOCOL, options=ClientOptions(backoff=FAST))
        got: list[dict[str, Any]] = []
        c.subscribe(lambda m: got.append(m) if isinstance(m.get("seq"), int) else None)
        await c.connect()
        await c.request({"type": "user_message", "message": "/echo one"})
        await eventually(lambda: c.resumes == ["resumed"])
        top = len(got)
        store_b = b.core.sessions
        assert isinstance(store_b, RedisSessionStore)
        assert await store_b.broker.append_detached(SESSION, "guide", system("appended by b"))  # node a's seq is now stale
        assert a.core.send_to_session(SESSION, "guide", system("from a"))  # SEQ conflict: renumbered after b's, 1012
        await eventually(lambda: len(c.resumes) == 2)
        await eventually(lambda: len(got) >= top + 3)
        tail = [(m["seq"], m.get("message")) for m in got[top:]]
        assert tail[:2] == [(top + 1, "appended by b"), (top + 2, "from a")]  # both, once, in the log's order
        assert [m["seq"] for m in got] == list(range(1, len(got) + 1))
        assert c.reconnects == 1 and c.resumes == ["resumed", "resumed"] and c.recovery_failures == []
        assert "redis_fenced" in log_events(a)
        await c.close()


@live()
async def test_one_nodes_sends_to_a_detached_stream_keep_their_order_and_an_unknown_stream_drops_them(redis: RedisServer) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b") as b:
        await ready(a, b)
        x = await Client.connect(a)
        await x.recv()
        await x.close()  # the stream exists in Redis, detached once node a released it
        r = inspect(redis)
        await eventually(lambda: r.hget(f"wsgen:{{{SESSION}}}:guide:meta", "owner") is None)
        for i in range(30):
            assert b.core.send_to_session(SESSION, "guide", system(f"n{i}"))
        log = f"wsgen:{{{SESSION}}}:guide:log"
        await eventually(lambda: r.xlen(log) == 30)
        assert [json.loads(e[1]["d"])["message"] for e in r.xrange(log)] == [f"n{i}" for i in range(30)]
        assert b.core.send_to_session("no-such-session", "guide", system("lost"))  # handed off, then dropped
        await eventually(lambda: "route_unknown_stream" in log_events(b))
        assert r.exists("wsgen:{no-such-session}:guide:meta", "wsgen:{no-such-session}:guide:log") == 0


@live()
async def test_a_link_replacing_a_connection_on_another_node_does_not_count_it_and_a_refused_link_takes_nothing_over(
    redis: RedisServer,
) -> None:
    async with node(redis, "node-a") as a, node(redis, "node-b", max_connections_per_user=1) as b:
        await ready(a, b)
        guide = await Client.connect(a)
        await guide.recv()
        r = inspect(redis)
        await eventually(lambda: r.zcard("wsgen:presence:user:dev-user") == 1)
        moved = await Client.connect(b)  # replaces the guide connection on node a: 1 - 1 = 0 others, under the limit
        assert (await moved.recv())["type"] == "session_created"
        assert (await guide.closed())[0] == 4505
        await moved.close()
        again = await Client.connect(a)
        await again.recv()
        liaison = await Client.connect(a, path="/api/ws/liaison/content")
        await liaison.recv()
        await eventually(lambda: r.zcard("wsgen:presence:user:dev-user") == 2)
        refused = await Client.connect(b)  # replaces one, but the liaison on node a still counts: over node b's limit 1
        assert (await refused.closed())[0] == 4502
        await again.send({"type": "ping", "message_id": "p"})
        assert (await again.recv())["type"] == "pong"  # the refused link sent no takeover: still open
