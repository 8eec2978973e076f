"""The errors of :class:`~wsgen_runtime.client.client.WsgenClient`: a refused outbound message, a request deadline
passed, an error reply to a request, and the stop of a client that will not reconnect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..descriptor import IssueLike, ProtocolDescriptor


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


class ServerError(Exception):
    """The server answered a request with a message of the protocol's ``error`` role (``code`` ``SERVER_ERROR``, as the
    TS client's ``ServerError``, which ``request()`` rejects with; runtime/client/README.md "Errors").

    ``error_code``: the reply's error code (its ``error-code`` field role, ``INVALID_MESSAGE``, ``AGENT_ERROR``...);
    ``text``: its error text (``error-text`` role; None when it has none); ``message_id``: its correlation id, the
    request's; ``retryable``: whether the protocol's error-code table marks the code retryable; ``reply``: the whole
    error reply as delivered (a dict of wire names); ``hint``: what to do about it.
    """

    code = "SERVER_ERROR"

    def __init__(self, reply: Mapping[str, Any], error_code: str, text: str | None, message_id: str | None, retryable: bool) -> None:
        self.hint = "the protocol marks this error retryable: send again later" if retryable else "not retryable: fix the request"
        said = "" if text is None else f": {text}"
        super().__init__(f"SERVER_ERROR: server error {error_code}{said} (message {message_id!r}); {self.hint}")
        self.error_code = error_code
        self.text = text
        self.message_id = message_id
        self.retryable = retryable
        self.reply: dict[str, Any] = dict(reply)


def server_error(proto: ProtocolDescriptor, reply: Mapping[str, Any], message_id: str) -> ServerError:
    """The :class:`ServerError` of error reply ``reply`` to request ``message_id``: its code and text (the protocol's
    ``error-code`` and ``error-text`` field roles), ``retryable`` from the protocol's error-code table."""
    f = proto.fields
    code = str(reply.get(f.error_code) if f.error_code is not None else None)
    text = reply.get(f.error_message) if f.error_message is not None else None
    return ServerError(reply, code, text if isinstance(text, str) else None, message_id, code in proto.retryable_errors)


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
