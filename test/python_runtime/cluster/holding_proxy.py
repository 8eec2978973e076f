"""A TCP proxy between a node and Redis that can hold the node's commands carrying a marker (a script's SHA-1) before
they reach Redis, while every other command goes through: it forces one call to stay in flight while the rest of
the node (its probe, its resets) talks to Redis. 127.0.0.1, a free port; bounded by the test's own timeout."""

from __future__ import annotations

import asyncio
import contextlib


class HoldingProxy:
    """``hold(marker)``: a chunk from the node that contains ``marker`` waits (``held`` is set) until ``release()``."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = 0
        self.held = asyncio.Event()
        self._marker = b""
        self._released = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<proxy port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        """Listens on a free port."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    def hold(self, marker: bytes) -> None:
        """Holds the next chunks that contain ``marker``."""
        self._marker = marker
        self._released.clear()

    def release(self) -> None:
        """Lets the held chunks (and later ones) through."""
        self._marker = b""
        self._released.set()

    async def close(self) -> None:
        """Stops listening and closes every proxied connection."""
        self.release()
        if self._server is not None:
            self._server.close()
        for w in list(self._writers):
            w.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pump(reader, up_writer, hold=True), self._pump(up_reader, writer, hold=False), return_exceptions=True)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, hold: bool) -> None:
        try:
            while chunk := await reader.read(65536):
                if hold and self._marker and self._marker in chunk:
                    self.held.set()
                    await self._released.wait()
                writer.write(chunk)
                await writer.drain()
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            self._writers.discard(writer)
