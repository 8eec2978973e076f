"""The schema-version check of the handshake (PROTOCOL.md "Versions"), the same rule as the Node server's.

A client offers ``wsgen.version.<x-wsgen-version>`` and ``wsgen.hash.<semantic hash>`` among its
subprotocols. The server serves an older minor version of its major (and any version with its semantic
hash); otherwise it accepts the upgrade and closes at once with 4504 PROTOCOL_MISMATCH and the reason
``server=<version> client=<version>: <why>`` (at most 123 bytes, RFC 6455 section 5.5.1), which the
clients read to name both versions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .descriptor import ProtocolDescriptor
    from .metrics import ServerMetrics
    from .types import Logger

#: Prefix of the subprotocol entry that carries the client's schema version.
VERSION_PROTOCOL_PREFIX = "wsgen.version."
#: Prefix of the subprotocol entry that carries the client's semantic schema hash (64 hex digits).
HASH_PROTOCOL_PREFIX = "wsgen.hash."

_MAX_VERSION_LENGTH = 64
# semver.org 2.0.0: MAJOR.MINOR.PATCH, optional pre-release and build.
_SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)
_REASON = re.compile(r"server=([0-9A-Za-z.+~?-]+) client=([0-9A-Za-z.+~?-]+): (.*)", re.DOTALL)

#: Why a client's schema is refused.
RefusalKind = Literal["malformed", "major", "newer", "unversioned-change"]


@dataclass(frozen=True, slots=True)
class SchemaOffer:
    """What a client offered about its schema (None: not offered, as by an older client)."""

    version: str | None
    hash: str | None


@dataclass(frozen=True, slots=True)
class VersionRefused:
    """A refused offer: the kind, the words of the close reason, and a hint for the log."""

    kind: RefusalKind
    message: str
    hint: str


def schema_protocols(version: str, schema_hash: str) -> list[str]:
    """The entries a client adds to its subprotocols to announce its schema."""
    return [VERSION_PROTOCOL_PREFIX + version, HASH_PROTOCOL_PREFIX + schema_hash.removeprefix("sha256:")]


def read_schema_offer(protocols: Iterable[str]) -> SchemaOffer:
    """The first ``wsgen.version.`` and ``wsgen.hash.`` entries of the offered subprotocols."""
    version: str | None = None
    digest: str | None = None
    for p in protocols:
        if version is None and p.startswith(VERSION_PROTOCOL_PREFIX):
            version = p[len(VERSION_PROTOCOL_PREFIX) :]
        elif digest is None and p.startswith(HASH_PROTOCOL_PREFIX):
            digest = p[len(HASH_PROTOCOL_PREFIX) :]
    return SchemaOffer(version, digest)


def _parse(v: str) -> tuple[int, int] | None:
    if len(v) > _MAX_VERSION_LENGTH:
        return None
    m = _SEMVER.fullmatch(v)
    return (int(m.group(1)), int(m.group(2))) if m else None


def judge_schema_offer(server_version: str, server_hash: str, offer: SchemaOffer) -> VersionRefused | None:
    """None when the server serves the offer, else why not (rules in PROTOCOL.md "Versions").

    No version offered: served. The same semantic hash: served. Not a semantic version (or longer than 64
    characters): ``malformed``. Another major (with major 0, another minor, as npm's caret ranges read
    0.y.z): ``major``. A newer minor: ``newer``. The same version with another hash: ``unversioned-change``.
    Otherwise (an older minor, another patch): served.
    """
    if offer.version is None:
        return None
    if offer.hash is not None and offer.hash == server_hash.removeprefix("sha256:"):
        return None
    c, s = _parse(offer.version), _parse(server_version)
    regenerate = "regenerate the client from the schema the server runs (wsgen generate), or deploy matching versions"
    if c is None or s is None:
        return VersionRefused("malformed", "the client version is not a semantic version", "a client offers wsgen.version.<MAJOR.MINOR.PATCH>")

    def key(v: tuple[int, int]) -> str:
        return f"0.{v[1]}" if v[0] == 0 else str(v[0])

    if key(c) != key(s):
        return VersionRefused("major", "major versions differ", regenerate)
    if c[1] > s[1]:
        return VersionRefused("newer", "the client is on a newer minor version", "deploy the server before its clients, or " + regenerate)
    if offer.version == server_version and offer.hash is not None:
        return VersionRefused(
            "unversioned-change", "same version, different schema", "bump x-wsgen-version when the schema changes, then regenerate both sides"
        )
    return None


def _shown(v: str | None) -> str:
    text = re.sub(r"[^0-9A-Za-z.+-]", "?", v if v is not None else "?")
    return text if len(text) <= 40 else text[:39] + "~"


def version_close_reason(server_version: str, client_version: str | None, message: str) -> str:
    """``server=<version> client=<version>: <message>``, at most 123 bytes (versions shortened to 40 characters)."""
    return f"server={_shown(server_version)} client={_shown(client_version)}: {message}"[:123]


def refuse_version(proto: ProtocolDescriptor, metrics: ServerMetrics, logger: Logger, protocols: Iterable[str]) -> tuple[int, str] | None:
    """The close code and reason of a client schema version the server does not serve, or None when served.

    A refusal is logged (``protocol_mismatch``, warn, with both versions, both hashes, the code and a hint) and
    counted as a close with that code (4504 PROTOCOL_MISMATCH, or the protocol's own value for that name).
    """
    offer = read_schema_offer(protocols)
    verdict = judge_schema_offer(proto.version, proto.schema_hash, offer)
    if verdict is None:
        return None
    code = proto.close_code("PROTOCOL_MISMATCH", 4504)
    metrics.count_close(code)
    fields = {"code": code, "refusal": verdict.kind, "server_version": proto.version, "client_version": offer.version,
              "client_hash": offer.hash, "server_hash": proto.schema_hash, "hint": verdict.hint}  # fmt: skip
    logger.log("warn", "protocol_mismatch", fields)
    return code, version_close_reason(proto.version, offer.version, verdict.message)


@dataclass(frozen=True, slots=True)
class VersionRefusal:
    """Both versions and the reason, read back from a 4504 close reason."""

    server_version: str
    client_version: str
    why: str


def parse_version_refusal(reason: str) -> VersionRefusal | None:
    """Reads a close reason written by :func:`version_close_reason`; None for any other reason."""
    m = _REASON.fullmatch(reason)
    return VersionRefusal(m.group(1), m.group(2), m.group(3)) if m else None
