"""The conversation's language and mood, copied from the NLU parse result into slots.

Rasa runs ``action_validate_slot_mappings`` after every user message (inside
``action_extract_slots``, before the next action is predicted), so the slots below are
up to date when the turn's responses are chosen:

* ``language``: the message's language as decided by the ``LanguageDetector`` (which
  already keeps the conversation's language for short or ambiguous messages). Responses
  pick their variant with a condition on it. The first message really detected in a
  language sets the slot even when it equals the initial value, so the detector knows the
  conversation has a language.
* ``mood``: the label of the latest message's sentiment; responses have empathetic
  variants conditioned on ``mood: negative``.
* ``sentiment_trail``: the last :data:`TRAIL_LENGTH` sentiments ``{"label", "score",
  "intent", "message_id"}``, oldest first, read by the escalation rules.

Values that are missing or malformed leave the slot unchanged: a broken parse result
never breaks the conversation.
"""

from __future__ import annotations

import math
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.escalation_slots import EscalationSlotsMixin

__all__ = [
    "LANGUAGES",
    "MOODS",
    "TRAIL_LENGTH",
    "ActionValidateSlotMappings",
    "conversation_language",
    "latest_sentiment",
]

#: Languages the assistant answers in (the response variants exist for these).
LANGUAGES = ("en", "es", "de", "fr")
DEFAULT_LANGUAGE = "en"
MOODS = ("negative", "neutral", "positive")
#: How many recent sentiments the trail keeps.
TRAIL_LENGTH = 5


def _language_code(raw: Any) -> str | None:
    if not isinstance(raw, str):
        return None
    code = raw.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def _language_set(tracker: Tracker) -> bool:
    """Whether the conversation has a `slot` event for `language` (not just its initial value)."""
    return any(
        e.get("event") == "slot" and e.get("name") == "language" for e in tracker.events or []
    )


def conversation_language(tracker: Tracker) -> str:
    """The language to answer in: the slot, else the latest message's, else English.

    Args:
        tracker: The conversation tracker.

    Returns:
        An ISO 639-1 code from :data:`LANGUAGES`.
    """
    return (
        _language_code(tracker.get_slot("language"))
        or _language_code(tracker.latest_message.get("language"))
        or DEFAULT_LANGUAGE
    )


def latest_sentiment(tracker: Tracker) -> dict[str, Any] | None:
    """The latest message's sentiment as a trail entry, or ``None`` when it has none.

    Args:
        tracker: The conversation tracker.

    Returns:
        ``{"label", "score", "intent", "message_id"}`` with the score clipped to [-1, 1].
    """
    raw = tracker.latest_message.get("sentiment")
    if not isinstance(raw, dict) or raw.get("label") not in MOODS:
        return None
    try:
        score = float(raw.get("score", 0.0))
    except (TypeError, ValueError):
        return None
    if math.isnan(score):
        return None
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return {
        "label": raw["label"],
        "score": round(max(-1.0, min(1.0, score)), 3),
        "intent": intent if isinstance(intent, str) else None,
        "message_id": tracker.latest_message.get("message_id"),
    }


class ActionValidateSlotMappings(EscalationSlotsMixin, ValidationAction):  # type: ignore[misc]
    """Fills ``language``, ``mood``, ``sentiment_trail`` and ``handoff_due`` after every message.

    ``handoff_due`` comes from the escalation rules (:class:`EscalationSlotsMixin`).

    It runs first after every message, so it also starts reading a logged-in customer's
    order history in the background (``PersonalStore.prefetch``): by the time a search
    action of the same turn needs it, it is usually there.
    """

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Fill the slots, then start the background prefetch.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            The slot events (none while an agent holds the conversation: the bot will not
            answer, and the case already carries the state the agent needs).
        """
        if tracker.is_paused():
            return []
        events: list[dict[str, Any]] = await super().run(dispatcher, tracker, domain)
        from actions.runtime import get_runtime  # the runtime imports this module

        runtime = get_runtime()
        runtime.personal.prefetch(await runtime.identity.customer_id(tracker))
        return events

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The parse result's language, when it is one we answer in.

        Args:
            dispatcher: Unused.
            tracker: The conversation tracker.
            domain: Unused.

        Returns:
            ``{"language": code}``, or nothing when the parse result has none.
        """
        code = _language_code(tracker.latest_message.get("language"))
        if code is None:
            return {}
        if code != tracker.get_slot("language"):
            return {"language": code}
        # The slot's initial value becomes the conversation's language (a `slot` event
        # the LanguageDetector keeps to) once a message really is in it.
        detection = tracker.latest_message.get("language_detection") or {}
        source = detection.get("source") if isinstance(detection, dict) else None
        if source in ("detected", "metadata") and not _language_set(tracker):
            return {"language": code}
        return {}

    async def extract_mood(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The latest message's sentiment label.

        Args:
            dispatcher: Unused.
            tracker: The conversation tracker.
            domain: Unused.

        Returns:
            ``{"mood": label}``, or nothing when the message has no sentiment.
        """
        entry = latest_sentiment(tracker)
        if entry is None or entry["label"] == tracker.get_slot("mood"):
            return {}
        return {"mood": entry["label"]}

    async def extract_sentiment_trail(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The trail with the latest message's sentiment appended (once per message).

        Args:
            dispatcher: Unused.
            tracker: The conversation tracker.
            domain: Unused.

        Returns:
            ``{"sentiment_trail": [...]}``, or nothing when there is nothing to add.
        """
        entry = latest_sentiment(tracker)
        if entry is None:
            return {}
        previous = tracker.get_slot("sentiment_trail")
        trail = [e for e in previous if isinstance(e, dict)] if isinstance(previous, list) else []
        if entry["message_id"] is not None and any(
            e.get("message_id") == entry["message_id"] for e in trail
        ):
            return {}
        return {"sentiment_trail": [*trail, entry][-TRAIL_LENGTH:]}
