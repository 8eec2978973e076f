"""A real uvicorn server (GracefulServer + the bundled FastAPI app) on 127.0.0.1, in the test's event loop,
and a small JSON client on the ``websockets`` library. Every wait is on an event and bounded by a timeout."""

from __future__ import annotations

import asyncio
import functools
import json
import socket
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import websockets
from websockets.asyncio.client import ClientConnection

from wsgen_runtime import InMemorySessionValidator, JsonLogger, ServerCore, ServerOptions
from wsgen_runtime.app import ChatApp, bundled_protocol, reference_agents
from wsgen_runtime.app.router import create_app
from wsgen_runtime.descriptor import ProtocolDescriptor
from wsgen_runtime.serve import GracefulServer, bind, uvicorn_config

T = TypeVar("T")
#: The longest any single wait in these tests may take (a loaded 2-core machine).
WAIT_S = 10.0
PROTOCOL = bundled_protocol()


def live(timeout: float = 60.0) -> Callable[[Callable[..., Coroutine[Any, Any, None]]], Callable[..., None]]:
    """Runs an async test in a fresh event loop, bounded by ``timeout`` seconds."""

    def wrap(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> None:
            asyncio.run(asyncio.wait_for(fn(*args, **kwargs), timeout))

        return run

    return wrap


def now_iso() -> str:
    """An RFC 3339 timestamp."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"


class Lines:
    """Captures JSON log lines."""

    def __init__(self) -> None:
        self.text: list[str] = []

    def __call__(self, line: str) -> None:
        self.text.append(line)


class Server:
    """One running server. ``async with Server(...) as s``; ``await s.drain()`` is the graceful shutdown."""

    def __init__(
        self,
        *,
        port: int = 0,
        token: str | None = None,
        session_id: str | None = None,
        agents: dict[str, Any] | None = None,
        ws_max_size: int | None = None,
        ws: str = "auto",
        log_level: str = "critical",
        protocol: ProtocolDescriptor = PROTOCOL,
        **options: Any,
    ) -> None:
        self.logs = Lines()
        options.setdefault("logger", JsonLogger("debug", self.logs))
        options.setdefault("validate_outbound", True)
        self.validator = InMemorySessionValidator()
        self.token, self.session = self.validator.issue(token=token, session_id=session_id, attributes={"realm": "experience"})
        self.core = ServerCore(
            protocol, ChatApp(agents=agents if agents is not None else reference_agents(0.002)), self.validator, ServerOptions(**options)
        )
        self.app = create_app(self.core)
        self._port = port
        self._ws_max_size = ws_max_size
        self._ws = ws
        self._log_level = log_level
        self.port = 0
        self._task: asyncio.Task[None] | None = None
        self.clients: list[ClientConnection] = []

    async def __aenter__(self) -> Server:
        sock = bind("127.0.0.1", self._port)
        self.port = sock.getsockname()[1]
        kw: dict[str, Any] = {"log_level": self._log_level, "ws_ping_interval": None, "ws": self._ws}
        if self._ws_max_size is not None:
            kw["ws_max_size"] = self._ws_max_size
        started = asyncio.Event()
        self.uv = GracefulServer(uvicorn_config(self.app, self.core, **kw), self.core, started.set)
        self._task = asyncio.get_running_loop().create_task(self.uv.serve(sockets=[sock]))
        waiter = asyncio.ensure_future(started.wait())
        await asyncio.wait([self._task, waiter], timeout=WAIT_S, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        assert started.is_set(), "uvicorn exited at start" if self._task.done() else "uvicorn did not start"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
        for ws in self.clients:
            ws.transport.abort()  # the server is gone: nothing to close gracefully

    async def drain(self) -> None:
        """The graceful shutdown (jittered closes, 503 for new upgrades), then uvicorn's exit."""
        await self.uv.drain()
        await self.stop()

    async def stop(self) -> None:
        """Stops uvicorn (closing what is left)."""
        if self._task is not None:
            self.uv.should_exit = True
            await asyncio.wait_for(self._task, WAIT_S)
            self._task = None

    def url(self, path: str) -> str:
        """``ws://127.0.0.1:<port><path>``."""
        return f"ws://127.0.0.1:{self.port}{path}"

    def log_text(self) -> str:
        """Every log line so far."""
        return "".join(self.logs.text)


class Client:
    """A JSON client over ``websockets`` that answers nothing by itself (tests drive every frame)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def connect(cls, server: Server, path: str = "/api/ws/guide", token: str | None = None, **kw: Any) -> Client:
        """Connects with the token in the subprotocols (``wsgen.v1``, ``wsgen.token.<t>``)."""
        t = server.token if token is None else token
        kw.setdefault("subprotocols", ["wsgen.v1", f"wsgen.token.{t}"])
        ws = await asyncio.wait_for(websockets.connect(server.url(path), ping_interval=None, max_size=None, **kw), WAIT_S)
        server.clients.append(ws)
        return cls(ws)

    async def send(self, msg: dict[str, Any]) -> None:
        """Sends one message (``timestamp`` added when absent)."""
        msg.setdefault("timestamp", now_iso())
        await self.ws.send(json.dumps(msg))

    async def recv(self, within: float = WAIT_S) -> dict[str, Any]:
        """The next message."""
        data = await asyncio.wait_for(self.ws.recv(), within)
        assert isinstance(data, str), "the server sent a binary frame"
        value = json.loads(data)
        assert isinstance(value, dict)
        return value

    async def until(self, pred: Callable[[dict[str, Any]], bool], within: float = WAIT_S) -> list[dict[str, Any]]:
        """Every message up to and including the first one ``pred`` accepts."""
        out: list[dict[str, Any]] = []
        async with asyncio.timeout(within):
            while True:
                m = await self.recv(within)
                out.append(m)
                if pred(m):
                    return out

    async def closed(self, within: float = WAIT_S) -> tuple[int | None, str]:
        """Waits for the close; returns (code, reason) of the server's close frame (None: no frame, 1006)."""
        async with asyncio.timeout(within):
            try:
                while True:
                    await self.ws.recv()
            except websockets.ConnectionClosed:
                pass
        rcvd = self.ws.protocol.close_rcvd
        return (rcvd.code, rcvd.reason) if rcvd is not None else (None, "")

    async def close(self) -> None:
        """Closes from the client side."""
        await self.ws.close()


async def refusal(server: Server, path: str, **kw: Any) -> tuple[int, str]:
    """The HTTP status and body of a refused upgrade (fails when the upgrade succeeds)."""
    try:
        ws = await asyncio.wait_for(websockets.connect(server.url(path), ping_interval=None, **kw), WAIT_S)
    except websockets.InvalidStatus as e:
        return e.response.status_code, bytes(e.response.body or b"").decode()
    await ws.close()
    raise AssertionError(f"{path} was accepted")


def free_port() -> int:
    """A port that was free a moment ago (for restarts on the same port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
