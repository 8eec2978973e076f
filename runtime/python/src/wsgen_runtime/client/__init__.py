"""The asyncio client (needs the ``websockets`` library: ``pip install wsgen-runtime[client]``)."""

from .client import SendResult, Status, TokenSource, WsgenClient
from .errors import ClientError, InvalidMessageError, RequestTimeoutError, ServerError
from .options import ClientOptions
from .queue import QueueLimits, SendQueue
from .retry import BackoffOptions, RetryDecision, decide_retry, full_jitter_delay

__all__ = [
    "BackoffOptions",
    "ClientError",
    "ClientOptions",
    "InvalidMessageError",
    "QueueLimits",
    "RequestTimeoutError",
    "RetryDecision",
    "SendQueue",
    "SendResult",
    "ServerError",
    "Status",
    "TokenSource",
    "WsgenClient",
    "decide_retry",
    "full_jitter_delay",
]
