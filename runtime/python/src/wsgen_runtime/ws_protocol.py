"""uvicorn's WebSocket protocol (``websockets-sansio``, its default with ``websockets`` installed) with a close
reason for invalid UTF-8.

uvicorn decodes a text message before the ASGI app sees it; on invalid UTF-8 its ``websockets-sansio``
implementation closes with **1007** and an empty reason (its legacy ``websockets`` implementation too), so the app
cannot word the close. :class:`WsgenWebSocketsProtocol` checks the UTF-8 of each text message (RFC 6455 §8.1: a
text message must be valid UTF-8; §7.4.1: 1007) itself first and closes with 1007 and the Node server's reason,
``text is not valid UTF-8``. ``uvicorn_config`` (and so ``python -m wsgen_runtime.serve``) selects it; with the
``uvicorn`` command, pass ``--ws wsgen_runtime.ws_protocol:WsgenWebSocketsProtocol``.
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

#: The close reason of a text message that is not UTF-8: the Node server's (runtime/server/ws-receiver.ts).
INVALID_UTF8_REASON = "text is not valid UTF-8"


class WsgenWebSocketsProtocol(WebSocketsSansIOProtocol):
    """``WebSocketsSansIOProtocol`` that closes on invalid UTF-8 with 1007 and :data:`INVALID_UTF8_REASON`."""

    def send_receive_event_to_app(self) -> None:
        """Hands a complete message to the app, unless it is text that is not UTF-8: then 1007 with a reason.

        An ASCII message (most JSON) skips the check; another text message is decoded once more by uvicorn."""
        if self.curr_msg_data_type == "text" and not self.close_sent:
            data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
            if not data.isascii():
                try:
                    data.decode()
                except UnicodeDecodeError:
                    self.frames = []
                    self.conn.send_close(1007, INVALID_UTF8_REASON)
                    self.handle_parser_exception()
                    return
        super().send_receive_event_to_app()
