"""The asyncio client for the bundled app: the guide and liaison URLs, and which tags are stream chunks."""

from __future__ import annotations

from dataclasses import replace

from ..client import ClientOptions, TokenSource, WsgenClient
from ..descriptor import ProtocolDescriptor
from .chat import GUIDE_PATH, LIAISON_AGENTS, LIAISON_PREFIX

#: Messages that carry a request's message_id without ending it.
CHAT_CHUNK_TYPES = frozenset({"agent_streaming", "progress_update"})


def chat_client(base_url: str, token: TokenSource, protocol: ProtocolDescriptor, pillar: str | None = None,
                options: ClientOptions | None = None) -> WsgenClient:  # fmt: skip
    """A client of ``base_url`` (``ws://host:port``) on the guide, or on the liaison of ``pillar``."""
    if pillar is not None and pillar not in LIAISON_AGENTS:
        raise ValueError(f"unknown pillar {pillar!r}; one of {sorted(LIAISON_AGENTS)}")
    path = GUIDE_PATH if pillar is None else LIAISON_PREFIX + pillar
    o = replace(options or ClientOptions(), chunk_types=CHAT_CHUNK_TYPES)
    return WsgenClient(base_url.rstrip("/") + path, token, protocol, o)
