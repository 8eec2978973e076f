"""Server nodes as child processes (SIGKILL-able): Python nodes (node_main.py under uvicorn) and Node nodes
(test/redis/fixtures/node.mjs, redis-node's fixture, on the built runtime in dist/)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from .nodes import SESSION, TOKEN
from .redis_server import RedisServer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
NODE_FIXTURE = ROOT / "test" / "redis" / "fixtures" / "node.mjs"


class ChildNode:
    """One node process; ``port`` is read from its first stdout line ``{"port": N}``."""

    def __init__(self, args: list[str], cwd: Path | None = None, ipc: bool = False) -> None:
        self.args = args
        self.cwd = cwd
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None
        self.stderr: list[str] = []
        self._ipc: socket.socket | None = None
        self._ipc_child: socket.socket | None = None
        self._ipc_in: Any = None
        if ipc:  # node's IPC channel (child_process 'ipc'): JSON lines on a socket named by NODE_CHANNEL_FD
            self._ipc, self._ipc_child = socket.socketpair()

    def start(self, timeout: float = 30.0) -> ChildNode:
        """Starts it and waits for its port."""
        env = dict(os.environ)
        fds: tuple[int, ...] = ()
        if self._ipc_child is not None:
            fd = self._ipc_child.fileno()
            env |= {"NODE_CHANNEL_FD": str(fd), "NODE_CHANNEL_SERIALIZATION_MODE": "json"}
            fds = (fd,)
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=self.cwd, env=env, pass_fds=fds)
        if self._ipc_child is not None and self._ipc is not None:
            self._ipc_child.close()
            self._ipc_in = self._ipc.makefile("r", encoding="utf-8")
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        got: list[str] = []
        reader = threading.Thread(target=lambda: got.append(self.proc.stdout.readline() if self.proc and self.proc.stdout else ""), daemon=True)
        reader.start()
        reader.join(timeout)
        line = got[0] if got else ""
        if not line.strip():
            self.kill()
            raise RuntimeError(f"node did not start: {''.join(self.stderr)[-2000:]}")
        self.port = int(json.loads(line)["port"])
        return self

    def _drain_stderr(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def ask(self, cmd: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
        """One command over the node fixture's IPC channel (``publish``, ``send``) and its answer."""
        assert self._ipc is not None and self._ipc_in is not None, "started without ipc"
        self._ipc.settimeout(timeout)
        self._ipc.sendall((json.dumps(cmd) + "\n").encode())
        answer = json.loads(self._ipc_in.readline())
        assert isinstance(answer, dict)
        return answer

    def url(self) -> str:
        """``ws://127.0.0.1:<port>``."""
        return f"ws://127.0.0.1:{self.port}"

    def events(self) -> list[str]:
        """The event names of its JSON log lines."""
        out = []
        for line in list(self.stderr):
            try:
                out.append(str(json.loads(line)["event"]))
            except (ValueError, KeyError, TypeError):
                continue
        return out

    def kill(self) -> None:
        """SIGKILL: no shutdown, no release, nothing flushed."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self._close_ipc()

    def _close_ipc(self) -> None:
        if self._ipc is not None:
            self._ipc.close()
            self._ipc = None

    def stop(self) -> None:
        """SIGTERM (graceful), SIGKILL after 10 s."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_ipc()


def python_node(redis: RedisServer, node_id: str, *extra: str) -> ChildNode:
    """A Python node (uvicorn) on ``redis`` with the shared token and session (``extra``: more node_main.py options)."""
    return ChildNode(
        [sys.executable, str(HERE / "node_main.py"), "--redis", redis.url, "--node-id", node_id, "--token", TOKEN, "--session-id", SESSION, *extra]
    )


def node_node(redis: RedisServer, node_id: str, ipc: bool = False) -> ChildNode:
    """A Node node (``createChatServer`` with the Redis store) on ``redis`` with the shared token and session
    (user ``dev-user``, realm ``experience``, as the Python nodes have them)."""
    if not (ROOT / "dist" / "runtime" / "server" / "redis" / "index.js").is_file():
        raise RuntimeError("dist/ lacks the Node Redis store: run node scripts/build.mjs (npm test builds first)")
    config = {"redisUrl": redis.url, "nodeId": node_id, "tokens": [{"token": TOKEN, "sessionId": SESSION, "userId": "dev-user"}]}
    return ChildNode(["node", str(NODE_FIXTURE), json.dumps(config)], cwd=ROOT, ipc=ipc)
