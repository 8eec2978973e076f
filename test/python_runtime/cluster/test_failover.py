"""Failover between Python node processes on one Redis: SIGKILL the node holding a client mid-stream; the client
reconnects to the other node and resumes with 0 lost and 0 duplicated messages (its seqs are exactly the
stream's log in Redis, each once, in order)."""

from __future__ import annotations

from ..harness import live
from .failover import assert_nothing_lost_or_duplicated, fail_over
from .processes import ChildNode
from .redis_server import RedisServer


@live(120)
async def test_sigkill_of_the_owner_mid_stream_resumes_on_the_other_python_node_with_nothing_lost_or_duplicated(
    redis: RedisServer, two_python_nodes: tuple[ChildNode, ChildNode]
) -> None:
    a, b = two_python_nodes
    assert_nothing_lost_or_duplicated(await fail_over(redis, a, b))
    assert "connection_opened" in b.events()
