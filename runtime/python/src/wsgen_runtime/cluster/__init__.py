"""The Redis session store and broker: sessions, epochs, replay, presence and fan-out shared by every node,
of either runtime (docs/redis-layout.md). Needs the ``redis`` extra: ``pip install 'wsgen-runtime[redis]'``.

Use: ``ServerOptions(session_store=redis_session_store(RedisOptions(url="redis://127.0.0.1:6379/0")))``, then
``await core.sessions.ready()`` at start-up.
"""

from .keys import Keys, RedisKeyError
from .options import RedisOptions
from .pool import PoolWaitTimeout
from .store import RedisSessionStore, redis_session_store

__all__ = ["Keys", "PoolWaitTimeout", "RedisKeyError", "RedisOptions", "RedisSessionStore", "redis_session_store"]
