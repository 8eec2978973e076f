"""The bundled app: the guide and liaison endpoints, the chat shaper, the reference agents and FastAPI glue."""

from .chat import GUIDE_PATH, LIAISON_AGENTS, LIAISON_PREFIX, ChatApp, ChatShaper
from .protocol import bundled_protocol, load_generated
from .reference import echo_agent, reference_agents, reference_guide_agent, reference_liaison_agent

__all__ = [
    "GUIDE_PATH",
    "LIAISON_AGENTS",
    "LIAISON_PREFIX",
    "ChatApp",
    "ChatShaper",
    "bundled_protocol",
    "echo_agent",
    "load_generated",
    "reference_agents",
    "reference_guide_agent",
    "reference_liaison_agent",
]
