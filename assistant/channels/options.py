"""The shopper's "2" picks option 2: numbers read back as the payload of the offered option.

Channels without buttons show options as a numbered list (``formats.twilio``), and on every
channel a shopper may simply type the number of a product or an option. :class:`OptionChooser`
wraps a channel's ``on_new_message`` handler: when a message is nothing but a number ("2",
"#2", "2."), it reads the conversation from Rasa's tracker store, finds the last bot message
that offered options (buttons, quick replies, or a product carousel whose options are each
product's details; ``formats.text.options_of``) in the current session, and replaces the text
with that option's payload. A number outside the options, or a conversation without options,
passes through unchanged (the NLU reads it as it would).

The tracker store is Rasa's agent's (``app.ctx.agent.tracker_store``); a channel reaches it
through the Sanic app its blueprint is registered on, remembered by a ``before_server_start``
listener on the blueprint (:meth:`OptionChooser.attach`).

Use:

- a channel that keeps its parent's blueprint mixes in :class:`OptionChoices`
  (``class MyInput(OptionChoices, SocketIOInput)``);
- a channel that builds its own blueprint wraps its handler:
  ``chooser = OptionChooser(on_new_message)``, passes ``chooser`` where the handler goes,
  then ``chooser.attach(blueprint)``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, Event, SessionStarted
from sanic import Blueprint, Sanic

from formats.text import choice_number, chosen_payload, options_of

__all__ = ["OptionChoices", "OptionChooser", "last_offered_options"]

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


def last_offered_options(events: Sequence[Event]) -> list[str]:
    """The payloads of the last bot message that offered options, in the current session.

    Args:
        events: The conversation's events, oldest first.

    Returns:
        The payloads in their numbered order; empty when no message in this session offered any.
    """
    for event in reversed(events):
        if isinstance(event, SessionStarted):
            return []
        if isinstance(event, BotUttered):
            offered = options_of(event.data or {})
            if offered:
                return offered
    return []


class OptionChooser:
    """An ``on_new_message`` handler that reads a bare number as the option it names."""

    def __init__(self, on_new_message: Handler) -> None:
        """Wrap a handler.

        Args:
            on_new_message: The handler Rasa gave the channel's blueprint.
        """
        self._on_new_message = on_new_message
        self._app: Sanic | None = None

    def attach(self, blueprint: Blueprint) -> Blueprint:
        """Remember the app the blueprint runs on (for its agent's tracker store).

        Args:
            blueprint: The channel's blueprint.

        Returns:
            The same blueprint.
        """

        async def remember_app(app: Sanic, _loop: object) -> None:
            self._app = app

        blueprint.listener("before_server_start")(remember_app)
        return blueprint

    def _tracker_store(self) -> Any:
        agent = getattr(self._app.ctx, "agent", None) if self._app is not None else None
        return getattr(agent, "tracker_store", None)

    async def chosen(self, message: UserMessage) -> str | None:
        """The payload a bare-number message picks, if it picks one.

        Args:
            message: The shopper's message.

        Returns:
            The payload, or ``None`` when the text is not a number within the offered options.
        """
        if choice_number(message.text) is None:
            return None
        store = self._tracker_store()
        if store is None:
            return None
        try:
            tracker = await store.retrieve(message.sender_id)
        except Exception:  # noqa: BLE001 - a store failure must not lose the message
            logger.exception("options: could not read the conversation; the number passes on")
            return None
        if tracker is None:
            return None
        return chosen_payload(message.text, last_offered_options(list(tracker.events)))

    async def __call__(self, message: UserMessage) -> Any:
        """Handle a message, reading a bare number as the option it names.

        Args:
            message: The shopper's message.

        Returns:
            What the wrapped handler returns.
        """
        payload = await self.chosen(message)
        if payload is not None:
            logger.debug("options: %r picks %s", message.text, payload)
            message.text = payload
        return await self._on_new_message(message)


class OptionChoices:
    """Input-channel mixin: the parent's blueprint, with numbers read as options."""

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """The parent channel's blueprint with an :class:`OptionChooser` around the handler.

        Args:
            on_new_message: The handler Rasa gives the channel.

        Returns:
            The blueprint.
        """
        chooser = OptionChooser(on_new_message)
        blueprint: Blueprint = super().blueprint(chooser)  # type: ignore[misc]
        return chooser.attach(blueprint)
