"""The bundled app: the guide endpoint and one liaison endpoint per pillar, agents per agent type or per
pillar (the seed's ChatService), and the shaper that turns handler results into ``agent_message``, or
``agent_streaming`` chunks closed by ``agent_complete``. Every protocol-specific name lives here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..dispatch import AGENT_WORDING, Handler, Request, Route
from ..types import Endpoint, SessionInfo
from ..wire import timestamp

GUIDE_PATH = "/api/ws/guide"
LIAISON_PREFIX = "/api/ws/liaison/"
GUIDE_AGENT = "guide_agent"
#: The realm of a session without a ``realm`` attribute.
DEFAULT_REALM = "experience"
#: Liaison agent of each pillar (PROTOCOL.md, "Transport and endpoints").
LIAISON_AGENTS: Mapping[str, str] = {
    "content": "content_liaison",
    "insights": "insights_liaison",
    "operations": "operations_liaison",
    "business_outcomes": "business_outcomes_liaison",
}


class ChatShaper:
    """Builds the bundled protocol's reply messages (fields in the Node server's order; ``seq`` is added by the stream)."""

    def _base(self, req: Request, kind: str) -> dict[str, Any]:
        stream = req.stream  # req.session and req.endpoint, without two property calls per reply
        info = stream.owner.info
        ep = stream.endpoint
        m: dict[str, Any] = {"type": kind}
        if req.message_id is not None:  # a request sent without one: its reply carries none (stream replies get one)
            m["message_id"] = req.message_id
        m.update(
            {
                "timestamp": timestamp(),
                "agent": ep.fields["agent"],
                "session_id": info.session_id,
                "realm": info.attributes.get("realm", DEFAULT_REALM),
            }
        )
        if "pillar" in ep.fields:
            m["pillar"] = ep.fields["pillar"]
        return m

    def reply(self, req: Request, value: Any) -> dict[str, Any]:
        """``agent_message`` from a string or ``{message, data?, metadata?}``."""
        m = self._base(req, "agent_message")
        if isinstance(value, str):
            m["message"] = value
        else:
            m["message"] = str(value["message"])
            for k in ("data", "metadata"):
                if value.get(k) is not None:
                    m[k] = value[k]
        return m

    def chunk(self, req: Request, value: Any, index: int) -> dict[str, Any]:
        """One ``agent_streaming`` chunk (``stream_index`` counts from 0) from a string or ``{message, data?}``."""
        m = self._base(req, "agent_streaming")
        m["message"] = value if isinstance(value, str) else str(value["message"])
        m["stream_index"] = index
        m["is_streaming"] = True
        if not isinstance(value, str) and value.get("data") is not None:
            m["data"] = value["data"]
        return m

    def end(self, req: Request, count: int) -> dict[str, Any]:
        """``agent_complete`` closing a stream; its ``stream_index`` is the number of chunks sent (PROTOCOL.md), as in Node."""
        m = self._base(req, "agent_complete")
        m["stream_index"] = count
        m["is_streaming"] = False
        return m


def realm_of(info: SessionInfo, default: str = DEFAULT_REALM) -> str:
    """The realm of a session (its ``realm`` attribute)."""
    return info.attributes.get("realm", default)


def _endpoints(pillars: Iterable[str]) -> dict[str, Endpoint]:
    eps = {GUIDE_PATH: Endpoint("guide", GUIDE_PATH, {}, {"agent": GUIDE_AGENT}, GUIDE_AGENT)}
    for p in pillars:
        agent = LIAISON_AGENTS[p]
        eps[LIAISON_PREFIX + p] = Endpoint(f"liaison:{p}", LIAISON_PREFIX + p, {"pillar": p}, {"agent": agent, "pillar": p}, agent)
    return eps


class ChatApp:
    """The bundled application (implements :class:`wsgen_runtime.application.Application`).

    ``agents`` maps an agent type (``guide_agent``, ``content_liaison``...) to its
    handler; ``pillars`` maps a pillar to a handler and wins over ``agents``.
    ``pillar_values`` are the generated ``PillarType`` values: a path's pillar
    outside them is refused with 404.
    """

    def __init__(
        self,
        agents: Mapping[str, Handler] | None = None,
        pillars: Mapping[str, Handler] | None = None,
        pillar_values: Iterable[str] = tuple(LIAISON_AGENTS),
    ) -> None:
        unknown = [p for p in pillar_values if p not in LIAISON_AGENTS]
        if unknown:
            raise ValueError(f"no liaison agent is known for pillars {unknown}")
        self.endpoints = _endpoints(pillar_values)
        self.shaper = ChatShaper()
        self._agents = dict(agents or {})
        self._pillars = dict(pillars or {})
        self._routes: dict[str, Route | None] = {}

    def match(self, path: str) -> Endpoint | None:
        """The guide, a liaison of a known pillar, or None."""
        return self.endpoints.get(path)

    def route(self, endpoint: Endpoint) -> Route | None:
        """The pillar's handler, else the agent's, with the chat shaper (looked up once per endpoint)."""
        try:
            return self._routes[endpoint.key]
        except KeyError:
            route = self._routes[endpoint.key] = self._find(endpoint)
            return route

    def _find(self, endpoint: Endpoint) -> Route | None:
        pillar = endpoint.params.get("pillar")
        h = self._pillars.get(pillar) if pillar is not None else None
        if h is None:
            h = self._agents.get(str(endpoint.fields["agent"]))
        return None if h is None else Route(h, self.shaper, wording=AGENT_WORDING)

    def session_fields(self, session: SessionInfo) -> Mapping[str, Any]:
        """``{"realm": ...}``: every session-level message names the session's realm."""
        return {"realm": realm_of(session)}
