"""The base class of our actions: a failure becomes a polite message, never a crash."""

from __future__ import annotations

import abc
import logging
import traceback
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

__all__ = ["SafeAction", "report_failure"]

logger = logging.getLogger(__name__)


def report_failure(action_name: str, exc: BaseException, dispatcher: CollectingDispatcher) -> None:
    """Log a failed action without personal data and tell the shopper politely.

    Only the action name, the exception class and the code locations are logged: an
    exception message may quote the shopper's text, an order id or an address.

    Args:
        action_name: The action that failed.
        exc: What it raised.
        dispatcher: Where the apology goes.
    """
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("action %s failed with %s\n%s", action_name, type(exc).__name__, frames)
    dispatcher.utter_message(response="utter_action_error")


class SafeAction(Action, abc.ABC):  # type: ignore[misc]
    """An action whose ``execute`` may fail without breaking the conversation.

    Subclasses implement :meth:`name` and :meth:`execute`; :meth:`run` calls ``execute``
    and turns any exception into a logged error and ``utter_action_error``, returning no
    events so no half-written state reaches the tracker.
    """

    @abc.abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    @abc.abstractmethod
    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Do the action's work (see ``rasa_sdk.Action.run``).

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            The events to apply.
        """

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Run :meth:`execute`, turning any exception into a polite answer.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            The events of ``execute``, or none when it failed.
        """
        before = len(dispatcher.messages)
        try:
            return await self.execute(dispatcher, tracker, domain)
        except Exception as exc:  # noqa: BLE001 - the conversation must go on
            del dispatcher.messages[before:]
            report_failure(self.name(), exc, dispatcher)
            return []
