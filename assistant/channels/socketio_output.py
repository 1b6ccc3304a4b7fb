"""The socket.io output channel: bot messages to the conversation's room, agents named.

:class:`VerifiedSocketIOOutput` sends to the conversation's room in the channel's namespace; a
message a support agent wrote in the console (``agent`` in the bot event's metadata) carries
``"agent": {"name": ...}`` on each part. :class:`CollectingSocketIOOutput` keeps what would be
sent, so the widget's history shows messages exactly as they were sent live.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from rasa.core.channels.socketio import SocketIOOutput
from socketio import AsyncServer

__all__ = [
    "CollectingSocketIOOutput",
    "MAX_AGENT_NAME_CHARS",
    "VerifiedSocketIOOutput",
    "agent_name",
]

#: Longest agent display name passed to the widget.
MAX_AGENT_NAME_CHARS = 80


def agent_name(raw: object) -> str | None:
    """The display name of the support agent who wrote a message, if it is one.

    Args:
        raw: The message's ``agent`` metadata: a name, or a mapping with a ``name``.

    Returns:
        The trimmed name (at most :data:`MAX_AGENT_NAME_CHARS`), or ``None``.
    """
    if isinstance(raw, Mapping):
        raw = raw.get("name")
    if not isinstance(raw, str) or not raw.strip():
        return None
    return raw.strip()[:MAX_AGENT_NAME_CHARS]


class VerifiedSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, sending to the conversation's room in the channel's namespace.

    A message written by a support agent (``agent`` in the bot event's metadata, merged into
    the message by ``BotUttered.message()``) is sent with ``"agent": {"name": ...}`` on each
    of its parts, carousels included.
    """

    def __init__(
        self, sio: AsyncServer | None, bot_message_evt: str, namespace: str | None
    ) -> None:
        """Create the output channel.

        Args:
            sio: The socket.io server (``None`` only for :class:`CollectingSocketIOOutput`).
            bot_message_evt: Event name of bot messages.
            namespace: The socket.io namespace (``None`` for the default ``/``).
        """
        super().__init__(sio, bot_message_evt)  # type: ignore[arg-type]
        self.namespace = namespace
        self._agent: dict[str, str] | None = None

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if self._agent is not None:
            response = {**response, "agent": dict(self._agent)}
        await self.sio.emit(
            self.bot_message_evt, response, room=socket_id, namespace=self.namespace
        )

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send a bot message; an agent's message carries the agent's name.

        Args:
            recipient_id: The conversation's sender id (its room).
            message: ``BotUttered.message()``: text, buttons, custom ... and the metadata.
        """
        name = agent_name(message.get("agent"))
        if name is not None and self._agent is None:
            # A copy per message: concurrent messages on this channel are not affected.
            output = copy.copy(self)
            output._agent = {"name": name}
            await output.send_response(recipient_id, message)
            return
        await super().send_response(recipient_id, message)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Send a custom payload as ``{"custom": ...}`` to the recipient's room only.

        Rasa's version spreads the payload into ``emit`` keyword arguments (a ``room`` key
        in it would redirect the message); this one never reads routing from the payload.

        Args:
            recipient_id: The conversation's sender id (its room).
            json_message: The custom payload.
            **kwargs: Unused.
        """
        await self._send_message(recipient_id, {"custom": json_message})


class CollectingSocketIOOutput(VerifiedSocketIOOutput):
    """Keeps what would be sent: the history event shows bot messages exactly as sent live.

    The per-message copy :meth:`VerifiedSocketIOOutput.send_response` makes for an agent's
    message shares ``sent``.
    """

    def __init__(self) -> None:
        super().__init__(None, "bot_uttered", None)
        self.sent: list[dict[str, Any]] = []

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if self._agent is not None:
            response = {**response, "agent": dict(self._agent)}
        self.sent.append(response)
