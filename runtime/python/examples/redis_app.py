"""One node of many on one Redis: the bundled app with the Redis session store (README, "Scale-out on Redis")."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from wsgen_runtime import InMemorySessionValidator, ServerCore, ServerOptions
from wsgen_runtime.app import ChatApp, bundled_protocol, reference_agents
from wsgen_runtime.app.router import create_router
from wsgen_runtime.cluster import RedisOptions, RedisSessionStore, redis_session_store

validator = InMemorySessionValidator()  # every node must map a token to the same session: share your validator's data
validator.issue(token="shared-token", session_id="shared-session", attributes={"realm": "experience"})
redis = RedisOptions(url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), node_id=os.environ.get("NODE_ID", "node-1"))
core = ServerCore(bundled_protocol(), ChatApp(agents=reference_agents()), validator, ServerOptions(session_store=redis_session_store(redis)))


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    assert isinstance(core.sessions, RedisSessionStore)
    await core.sessions.ready()  # subscribed and announced (node:<id> written): this node now takes publishes and sends
    yield
    await core.close()  # releases this node's links and presence


app = FastAPI(lifespan=lifespan)
app.include_router(create_router(core))
