"""The mixed test of issue 12: two Node nodes and one Python node on one Redis; SIGKILL the node holding a client
mid-stream; the client resumes on the other kind of node with 0 lost and 0 duplicated messages, in both
directions (Node → Python, Python → Node). Replayed entries were written by the other runtime."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..harness import live
from .failover import assert_nothing_lost_or_duplicated, fail_over
from .processes import ChildNode, node_node, python_node
from .redis_server import RedisServer


@pytest.fixture
def mixed(redis: RedisServer) -> Iterator[dict[str, ChildNode]]:
    nodes = {"node-1": node_node(redis, "node-1"), "node-2": node_node(redis, "node-2"), "py-1": python_node(redis, "py-1")}
    try:
        for n in nodes.values():
            n.start()
        yield nodes
    finally:
        for n in nodes.values():
            n.stop()


@live(120)
async def test_sigkill_of_a_node_node_mid_stream_resumes_on_the_python_node(redis: RedisServer, mixed: dict[str, ChildNode]) -> None:
    r = await fail_over(redis, mixed["node-1"], mixed["py-1"])
    assert_nothing_lost_or_duplicated(r)
    assert "connection_opened" in mixed["py-1"].events()


@live(120)
async def test_sigkill_of_the_python_node_mid_stream_resumes_on_a_node_node(redis: RedisServer, mixed: dict[str, ChildNode]) -> None:
    r = await fail_over(redis, mixed["py-1"], mixed["node-2"])
    assert_nothing_lost_or_duplicated(r)
    assert any('"connection_opened"' in line and '"rejoined":true' in line for line in mixed["node-2"].stderr)
