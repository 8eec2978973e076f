"""The errors of :class:`~wsgen_runtime.client.client.WsgenClient`: a refused outbound message, a request deadline
passed, and the stop of a client that will not reconnect."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..descriptor import IssueLike


class InvalidMessageError(ValueError):
    """An outbound message the protocol refuses; nothing was sent (``code`` ``INVALID_MESSAGE``).

    ``issues``: the problems, as the server would report them (JSON pointer, JSON Schema keyword,
    message, params; PROTOCOL.md "Validation issues"); a type the client may not send (``x-direction``
    server) is one issue at the tag property.
    """

    code = "INVALID_MESSAGE"

    def __init__(self, issues: Sequence[IssueLike]) -> None:
        first = issues[0]
        super().__init__(
            f"invalid outbound message at {first.path or '/'!r}: {first.message} [{first.keyword}]"
            + (f" (and {len(issues) - 1} more)" if len(issues) > 1 else "")
            + "; nothing was sent. Fix the message, or pass ClientOptions(validate_outbound=False) to send it anyway."
        )
        self.issues: tuple[IssueLike, ...] = tuple(issues)


class RequestTimeoutError(TimeoutError):
    """A request or stream got no answer in time (``code`` ``REQUEST_TIMEOUT``, as the TS client's error).

    ``phase`` says what was awaited: ``"reply"`` (the first message answering it, or for :meth:`WsgenClient.request`
    the message that ends it) or ``"stream-idle"`` (a started stream's next chunk or its end). A stream whose
    server node died mid-stream ends this way: its handler died with the node, and the client, resumed on
    another node, gets nothing more for it; send a new request. ``message_id`` is the request's correlation id,
    ``timeout_s`` the bound that passed. A subclass of TimeoutError, so ``except TimeoutError`` still catches it.
    """

    code = "REQUEST_TIMEOUT"

    def __init__(self, message_id: str, timeout_s: float, phase: Literal["reply", "stream-idle"]) -> None:
        what = "no reply" if phase == "reply" else "the stream sent nothing more and did not end"
        hint = (
            "raise the deadline, or check the server answers with the same correlation id"
            if phase == "reply"
            else "the handler streaming it is gone (its server node may have died): send a new request"
        )
        super().__init__(f"REQUEST_TIMEOUT: {what} within {timeout_s} s for message {message_id!r}; {hint}")
        self.message_id = message_id
        self.timeout_s = timeout_s
        self.phase = phase


class ClientError(Exception):
    """The client stopped for good: ``code`` is the close code or HTTP status, ``kind`` the retry category.

    After a 4504 PROTOCOL_MISMATCH, ``client_version`` is this client's schema version and ``server_version``
    the server's, read from the close reason (None when the server gave none; PROTOCOL.md "Versions").
    """

    def __init__(self, message: str, code: int, kind: str, client_version: str | None = None, server_version: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.kind = kind
        self.client_version = client_version
        self.server_version = server_version
