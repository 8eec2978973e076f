"""Options of the Redis session store (docs/redis-layout.md)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


def _node_id() -> str:
    return secrets.token_hex(6)


@dataclass(frozen=True, slots=True)
class RedisOptions:
    """Where Redis is and how this node uses it. Times in seconds.

    ``url``: a redis-py URL (``redis://host:port/db``). ``key_prefix``: the ``P`` of every key and channel.
    ``node_id``: this node's id (``[A-Za-z0-9_-]+``, random by default; unique per process).
    ``presence_ttl_s``: how long a node's presence outlives it (refreshed every third of it).
    ``timeout_s``: the socket timeout of a command: past it, Redis counts as unavailable. It counts the time the
    node's event loop could read the reply: a stall of the loop pushes it back (``cluster/lag.py``).
    ``probe_interval_s``: how often an unavailable Redis is tried again.
    ``max_send_retries``: how often a session-addressed append is retried on a seq conflict.
    ``max_connections``: the node's pooled Redis connections (one holds its subscriptions; the appends have one
    more of their own). More commands at once (a burst of links) wait for a free one, in turn: a wait is
    back-pressure, never an outage (only a command that reached Redis and got no answer in ``timeout_s`` is);
    it ends at once when Redis is marked down. ``pool_wait_s``: the bound of that wait, past which the command
    fails with ``PoolWaitTimeout`` (``REDIS_POOL_EXHAUSTED``: a connection never released, a bug).
    """

    url: str = "redis://127.0.0.1:6379/0"
    key_prefix: str = "wsgen:"
    node_id: str = field(default_factory=_node_id)
    presence_ttl_s: float = 15.0
    timeout_s: float = 2.0
    probe_interval_s: float = 0.5
    max_send_retries: int = 5
    max_connections: int = 32
    pool_wait_s: float = 30.0
