"""The connection registry: open connections by id and user, and the fan-out selector.

Isolation: an audience always names a tenant, and a connection is selected only
when its session's tenant and every attribute the audience names (the bundled
app's ``realm``) are equal, so a message never crosses tenants or realms.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .connection import Connection


@dataclass(frozen=True, slots=True)
class Audience:
    """A fan-out selector: ``tenant`` is mandatory; ``attributes`` (e.g. realm), ``endpoint`` key, endpoint ``name``
    (every endpoint whose key is the name or starts with ``<name>:``, e.g. ``liaison``: every pillar) and
    ``user_id`` narrow."""

    tenant: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    endpoint: str | None = None
    user_id: str | None = None
    name: str | None = None


class Registry:
    """Indexes of the open connections (O(1) lookups)."""

    def __init__(self) -> None:
        self._by_id: dict[str, Connection] = {}
        self._by_user: dict[str, set[Connection]] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, c: Connection) -> None:
        """Adds a connection to every index."""
        self._by_id[c.id] = c
        self._by_user.setdefault(c.session.user_id, set()).add(c)

    def remove(self, c: Connection) -> bool:
        """Removes a connection from every index; False when absent."""
        if self._by_id.get(c.id) is not c:
            return False
        del self._by_id[c.id]
        users = self._by_user.get(c.session.user_id)
        if users is not None:
            users.discard(c)
            if not users:
                del self._by_user[c.session.user_id]
        return True

    def get(self, cid: str) -> Connection | None:
        """The connection of an id."""
        return self._by_id.get(cid)

    def all(self) -> list[Connection]:
        """A snapshot of every open connection."""
        return list(self._by_id.values())

    def for_user(self, user_id: str) -> int:
        """How many connections a user has open."""
        return len(self._by_user.get(user_id, ()))

    def select(self, a: Audience) -> Iterator[Connection]:
        """The connections an audience selects: same tenant and attributes always, then endpoint and user."""
        base = self._by_user.get(a.user_id, set()) if a.user_id is not None else self._by_id.values()
        for c in list(base):
            s = c.session
            if s.tenant != a.tenant or any(s.attributes.get(k) != v for k, v in a.attributes.items()):
                continue
            if a.endpoint is not None and c.endpoint.key != a.endpoint:
                continue
            if a.name is not None and c.endpoint.key != a.name and not c.endpoint.key.startswith(a.name + ":"):
                continue
            yield c
