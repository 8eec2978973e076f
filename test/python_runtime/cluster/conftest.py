"""The ``redis`` fixture: a real redis-server per test, stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .processes import ChildNode, python_node
from .redis_server import RedisServer


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh redis-server on 127.0.0.1 (free port, temp dir)."""
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def two_python_nodes(redis: RedisServer) -> Iterator[tuple[ChildNode, ChildNode]]:
    """Two Python nodes (``py-a``, ``py-b``) on the test's Redis, started, and stopped after the test."""
    a, b = python_node(redis, "py-a"), python_node(redis, "py-b")
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()
