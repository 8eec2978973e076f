"""The Redis key and channel names of the shared session store (docs/redis-layout.md, "Keys" and "Channels").

Every key of one stream carries the hash tag ``{<session_id>}`` so that a script's keys share a Redis Cluster
slot. Session ids and endpoint keys containing ``{``, ``}`` or a control character are refused before any key
is built (they could move a key to another slot or forge another session's key).
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r"[{}\x00-\x1f\x7f]")
_NODE_ID = re.compile(r"[A-Za-z0-9_-]+")


class RedisKeyError(ValueError):
    """A session id, endpoint key or node id that cannot be part of a Redis key (code ``WSGEN_REDIS_KEY``)."""

    code = "WSGEN_REDIS_KEY"


def check_part(kind: str, value: str) -> str:
    """``value`` when it may be part of a key; raises :class:`RedisKeyError` (``{``, ``}``, control characters, empty)."""
    if not value or _FORBIDDEN.search(value):
        raise RedisKeyError(f"{kind} {value!r} cannot be part of a Redis key: it is empty or holds '{{', '}}' or a control character")
    return value


def check_node_id(value: str) -> str:
    """``value`` when it is a node id (``[A-Za-z0-9_-]+``); raises :class:`RedisKeyError`."""
    if not _NODE_ID.fullmatch(value):
        raise RedisKeyError(f"node id {value!r} must match [A-Za-z0-9_-]+")
    return value


class Keys:
    """Key and channel names under one prefix (default ``wsgen:``)."""

    __slots__ = ("fanout", "prefix")

    def __init__(self, prefix: str = "wsgen:") -> None:
        self.prefix = prefix
        #: The fan-out channel: publishes to an audience, for every node.
        self.fanout = f"{prefix}fanout"

    def stream(self, session_id: str, endpoint_key: str) -> tuple[str, str]:
        """``(meta, log)``: the hash and the Redis stream of one session stream."""
        base = f"{self.prefix}{{{check_part('session id', session_id)}}}:{check_part('endpoint key', endpoint_key)}"
        return f"{base}:meta", f"{base}:log"

    def node(self, node_id: str) -> str:
        """The presence key of a node, and also its control channel (a key and a channel never collide)."""
        return f"{self.prefix}node:{node_id}"

    def user(self, user_id: str) -> str:
        """The sorted set of a user's connections on every node (member ``<nodeId>/<connId>``, score = expiry ms)."""
        return f"{self.prefix}presence:user:{user_id}"
