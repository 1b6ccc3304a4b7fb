"""The widget's history: a conversation's last messages, read from Rasa's tracker.

Right after ``session_confirm`` the socket.io channel sends the socket ``history``
``{"messages": [...]}`` (:func:`history_messages`), so a reloaded page shows the conversation
again without anything being sent twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rasa.shared.core.events import BotUttered, Event, UserUttered

from assistant.channels.socketio_output import CollectingSocketIOOutput

__all__ = ["EXTERNAL_PREFIX", "HISTORY_EVENT", "MAX_HISTORY_MESSAGES", "history_messages"]

#: Event carrying a conversation's last messages to a socket after ``session_confirm``.
HISTORY_EVENT = "history"
#: At most this many messages in the history event.
MAX_HISTORY_MESSAGES = 50
#: Prefix of the user events Rasa makes for intents triggered from outside (not shown).
EXTERNAL_PREFIX = "EXTERNAL: "


def _button_titles(data: Mapping[str, Any]) -> dict[str, str]:
    """Payload -> title of a bot message's buttons, quick replies and carousel card buttons."""
    titles: dict[str, str] = {}
    buttons: list[Any] = []
    for key in ("buttons", "quick_replies"):
        if isinstance(data.get(key), list):
            buttons.extend(data[key])
    custom = data.get("custom")
    if isinstance(custom, Mapping) and isinstance(custom.get("products"), list):
        for card in custom["products"]:
            if isinstance(card, Mapping) and isinstance(card.get("buttons"), list):
                buttons.extend(card["buttons"])
    for button in buttons:
        if isinstance(button, Mapping):
            payload, title = button.get("payload"), button.get("title")
            if isinstance(payload, str) and isinstance(title, str) and title:
                titles[payload] = title
    return titles


async def history_messages(
    events: Iterable[Event], limit: int = MAX_HISTORY_MESSAGES
) -> list[dict[str, Any]]:
    """The conversation's last messages, as the widget shows them.

    Bot messages have the shapes the channel sends live (split into parts, quick replies,
    ``custom``, ``agent``) plus ``"sender": "bot"``; the shopper's are
    ``{"sender": "user", "text": ...}``, a button's payload replaced by the button's title.

    Args:
        events: The tracker's events, oldest first.
        limit: At most this many messages, the latest.

    Returns:
        The messages, oldest first.
    """
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for event in events:
        if isinstance(event, UserUttered):
            text = event.text
            if not isinstance(text, str) or not text or text.startswith(EXTERNAL_PREFIX):
                continue
            messages.append({"sender": "user", "text": titles.get(text, text)})
        elif isinstance(event, BotUttered):
            collector = CollectingSocketIOOutput()
            await collector.send_response("history", event.message())
            messages.extend({"sender": "bot", **sent} for sent in collector.sent)
            titles.update(_button_titles(event.data))
    return messages[-limit:] if limit > 0 else []
