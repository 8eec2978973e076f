"""The reference server of the bundled protocol on uvicorn: ``python -m wsgen_runtime.serve --port 8788``.

Prints the guide and liaison URLs, ``/metrics``, ``/healthz`` and a dev token
(the banner is the only place a token is printed; logs never carry it), and
shuts down gracefully on SIGINT/SIGTERM: new upgrades get 503 while every
connection is closed with 1012 at a jittered moment.
With ``--redis URL`` the node keeps its sessions in Redis (``wsgen_runtime.cluster``): run several nodes
with the same ``--token`` on one Redis and a client resumes on any of them (the dev session's id is then
derived from the token, so every node maps it to the same session).
Exit codes: 0 after a clean shutdown, 2 when the port is busy, the generated package or the ``redis``
package is missing, 3 on bad usage (argparse).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import uvicorn

from .auth import SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, InMemorySessionValidator
from .core import ServerCore
from .logs import JsonLogger
from .options import ServerOptions


class GracefulServer(uvicorn.Server):
    """A uvicorn server whose first SIGINT/SIGTERM drains the core (jittered closes, 503 for new upgrades)
    before uvicorn stops; uvicorn alone would close every WebSocket with 1012 at once."""

    def __init__(self, config: uvicorn.Config, core: ServerCore, on_started: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self.core = core
        self._on_started = on_started
        self._loop: asyncio.AbstractEventLoop | None = None
        self._draining: asyncio.Task[None] | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        """Runs uvicorn (see ``uvicorn.Server.serve``)."""
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's startup (the signal handlers are installed by then), then ``on_started``."""
        await super().startup(sockets)
        if self.started and self._on_started is not None:
            self._on_started()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """First signal: drain, then exit; a second one: uvicorn's own (forced) exit."""
        if self._draining is not None or self._loop is None:
            super().handle_exit(sig, frame)
            return
        self._loop.call_soon_threadsafe(self.drain)

    def drain(self) -> asyncio.Task[None]:
        """Starts the graceful shutdown (idempotent): the core's drain, then uvicorn's exit."""
        if self._draining is None:

            async def run() -> None:
                try:
                    await self.core.close()
                finally:
                    self.should_exit = True

            self._draining = asyncio.get_running_loop().create_task(run())
        return self._draining


def auto_websocket_protocol() -> Any:
    """What ``ws="auto"`` becomes: :class:`~wsgen_runtime.ws_protocol.WsgenWebSocketsProtocol` (uvicorn's own
    choice, ``websockets-sansio``, with the close reason ``text is not valid UTF-8`` on 1007) when the
    ``websockets`` package is installed, else ``"auto"`` (uvicorn then picks ``wsproto`` or none)."""
    try:
        from .ws_protocol import WsgenWebSocketsProtocol
    except ImportError:
        return "auto"
    return WsgenWebSocketsProtocol


def uvicorn_config(app: Any, core: ServerCore, **kwargs: Any) -> uvicorn.Config:
    """A uvicorn Config with the core's frame limit as ``ws_max_size`` (uvicorn's default is 16 MiB) and
    permessage-deflate off (uvicorn's default is on: with clients that offer it, as every ``websockets`` client
    does, an idle connection took 59 KiB of RSS instead of 25.5 KiB in bench/run.py; PROTOCOL.md: compression is
    off by default), and for ``ws="auto"`` (uvicorn's default) :func:`auto_websocket_protocol`."""
    kwargs.setdefault("ws_max_size", core.options.max_payload)
    kwargs.setdefault("ws_per_message_deflate", False)
    kwargs.setdefault("lifespan", "on")
    if kwargs.get("ws", "auto") == "auto":
        kwargs["ws"] = auto_websocket_protocol()
    return uvicorn.Config(app, **kwargs)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one); raises OSError when the port is busy."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def shared_session_id(token: str) -> str:
    """The dev session id of a fixed dev token on every node of one Redis (a UUID v5 of the token)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:wsgen:dev-session:{token}"))


def build(token: str | None = None, options: ServerOptions | None = None, shared: bool = False) -> tuple[ServerCore, Any, str, str]:
    """The reference core, its FastAPI app, a dev token and its session id (``shared``: derived from the token)."""
    from .app import ChatApp, bundled_protocol, reference_agents
    from .app.router import create_app

    validator = InMemorySessionValidator()
    sid = shared_session_id(token) if shared and token is not None else None
    tok, info = validator.issue(token=token, session_id=sid, attributes={"realm": "experience"})
    options = options or ServerOptions(logger=JsonLogger("info"), validate_outbound=True)
    core = ServerCore(bundled_protocol(), ChatApp(agents=reference_agents()), validator, options)
    return core, create_app(core), tok, info.session_id


def banner(host: str, port: int, token: str, session_id: str) -> list[str]:
    """The lines printed at start."""
    from .app.chat import GUIDE_PATH, LIAISON_AGENTS, LIAISON_PREFIX

    h = f"[{host}]" if ":" in host else host
    lines = [f"wsgen reference server (Python) listening (realm experience, session {session_id})", f"  guide:    ws://{h}:{port}{GUIDE_PATH}"]
    lines += [f"  liaison:  ws://{h}:{port}{LIAISON_PREFIX}{p}" for p in LIAISON_AGENTS]
    lines += [
        f"  metrics:  http://{h}:{port}/metrics",
        f"  health:   http://{h}:{port}/healthz",
        f"  dev token: {token}",
        f'  connect with subprotocols ["{SUBPROTOCOL}", "{TOKEN_PROTOCOL_PREFIX}<token>"], or ?session_token=<token> (older clients)',
    ]
    return lines


def redis_store(url: str, node_id: str | None) -> Callable[..., Any]:
    """The ``session_store`` factory of ``--redis`` (ImportError without the ``redis`` package; ValueError for a bad node id)."""
    try:
        from .cluster import RedisOptions, redis_session_store
        from .cluster.keys import check_node_id
    except ImportError as err:
        raise ImportError(f"{err}: --redis needs the redis extra (pip install 'wsgen-runtime[redis]')") from err
    if node_id is None:
        return redis_session_store(RedisOptions(url=url))
    return redis_session_store(RedisOptions(url=url, node_id=check_node_id(node_id)))


def redact(url: str) -> str:
    """``url`` without its password (the banner prints it)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def tcp_port(text: str) -> int:
    """``--port``: a decimal TCP port, 0 to 65535 (anything else is a usage error, exit 3)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 5 and int(text) <= 65535):
        raise argparse.ArgumentTypeError("expected a TCP port, an integer from 0 to 65535")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """The CLI."""
    ap = argparse.ArgumentParser(prog="python -m wsgen_runtime.serve", description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=tcp_port, default=8788, help="0 to 65535; 0 picks a free port")
    ap.add_argument("--token", default=None, help="a fixed dev token (default: random); survives restarts for tests")
    ap.add_argument("--protocol-path", type=Path, default=None, help="the folder holding wsgen_protocol (default: ./generated/python)")
    ap.add_argument("--jitter", type=float, default=1.0, help="shutdown jitter window in seconds")
    ap.add_argument("--log-level", default="info", choices=["debug", "info", "warn", "error"])
    ap.add_argument("--redis", default=None, metavar="URL", help="keep sessions in Redis (redis://host:port/db), shared by every node on it")
    ap.add_argument("--node-id", default=None, help="this node's id on Redis ([A-Za-z0-9_-]+; default: random)")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 3
    if args.protocol_path is not None:
        sys.path.insert(0, str(args.protocol_path))
    from .options import Shutdown

    options = ServerOptions(logger=JsonLogger(args.log_level), shutdown=Shutdown(jitter_s=args.jitter), validate_outbound=True)
    try:
        if args.redis is not None:
            options.session_store = redis_store(args.redis, args.node_id)
        core, app, token, sid = build(args.token, options, shared=args.redis is not None)
    except ImportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"error WSGEN_REDIS: {err}\n  hint: --node-id takes letters, digits, '_' and '-'", file=sys.stderr)
        return 3
    try:
        sock = bind(args.host, args.port)
    except OSError as err:
        hint = "pick another --port (0 picks a free one) or stop what holds it"
        print(f"error WSGEN_LISTEN: cannot listen on {args.host}:{args.port}: {err.strerror}\n  hint: {hint}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]

    def announce() -> None:
        lines = banner(args.host, port, token, sid)
        if args.redis is None:
            for line in lines:
                print(line, flush=True)
            return

        async def when_subscribed() -> None:
            from .cluster import RedisSessionStore

            store = core.sessions
            assert isinstance(store, RedisSessionStore)
            try:  # the banner waits (bounded) until the node takes fan-out; an unreachable Redis is logged meanwhile
                await asyncio.wait_for(store.ready(), 5.0)
            except TimeoutError:
                pass
            for line in [*lines, f"  redis:    {redact(args.redis)} (node {store.node_id})"]:
                print(line, flush=True)

        announcing.append(asyncio.get_running_loop().create_task(when_subscribed()))

    announcing: list[asyncio.Task[None]] = []

    GracefulServer(uvicorn_config(app, core, log_level="warning"), core, announce).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
