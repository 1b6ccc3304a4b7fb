"""Read what the rules need from Rasa tracker events (plain dicts, no Rasa import)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from escalation.config import EscalationConfig

__all__ = ["fallbacks_in_a_row", "user_message_ids_since"]


_RESETS = frozenset({"restart", "session_started", "resume", "pause"})
_NOT_WORD = re.compile(r"[\W_]+")


def _intent(event: Mapping[str, Any]) -> str | None:
    parse = event.get("parse_data")
    intent = parse.get("intent") if isinstance(parse, Mapping) else None
    name = intent.get("name") if isinstance(intent, Mapping) else None
    return name if isinstance(name, str) else None


def _confidence(event: Mapping[str, Any]) -> float | None:
    parse = event.get("parse_data")
    intent = parse.get("intent") if isinstance(parse, Mapping) else None
    value = intent.get("confidence") if isinstance(intent, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text_key(event: Mapping[str, Any]) -> str | None:
    """The message's words, lower-cased, without punctuation (to spot a repeat).

    A button's payload (``/product_details{...}``) is a tap, not words: tapping the same
    button twice is not the shopper repeating themselves.
    """
    text = event.get("text")
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return None
    key = _NOT_WORD.sub(" ", text.casefold()).strip()
    return key or None


def _response(event: Mapping[str, Any]) -> str | None:
    """The response name behind a bot message (Rasa puts it in ``metadata.utter_action``)."""
    metadata = event.get("metadata")
    name = metadata.get("utter_action") if isinstance(metadata, Mapping) else None
    return name if isinstance(name, str) else None


@dataclass
class _Turn:
    key: str | None
    failed: bool


def _not_understood(event: Mapping[str, Any], config: EscalationConfig) -> bool:
    if _intent(event) in config.fallback_intents:
        return True
    confidence = _confidence(event)
    return confidence is not None and confidence < config.fallback_min_confidence


def fallbacks_in_a_row(events: Sequence[Mapping[str, Any]], config: EscalationConfig) -> int:
    """How many user turns, ending with the latest, the bot did not understand.

    What the real bot does when it is stuck makes a turn a fallback:

    - its intent is a fallback intent (``nlu_fallback``, ``out_of_scope``);
    - its intent confidence is below ``fallback_min_confidence`` (the NLU guessed);
    - the bot answered it with a fallback action (``action_default_fallback``,
      ``utter_default``) or a fallback response (a bot message whose
      ``metadata.utter_action`` is e.g. ``utter_nothing_shown``);
    - with ``fallback_count_repeats``: the shopper sent the same words again (then the
      repeated message counts too: its answer did not help).

    The count stops at the first understood turn and at a ``restart``,
    ``session_started``, ``pause`` or ``resume`` (turns before a handoff do not count
    after it).

    Args:
        events: The tracker's events, oldest first.
        config: The rules' settings.

    Returns:
        The number of fallbacks in a row (0 when the latest turn was understood).
    """
    turns: list[_Turn] = []
    for event in events:
        kind = event.get("event")
        if kind in _RESETS:
            turns.clear()
        elif kind == "user":
            turns.append(_Turn(_text_key(event), _not_understood(event, config)))
        elif turns and (
            (kind == "action" and event.get("name") in config.fallback_actions)
            or (kind == "bot" and _response(event) in config.fallback_responses)
        ):
            turns[-1].failed = True
    if config.fallback_count_repeats:
        for earlier, later in zip(turns, turns[1:], strict=False):
            if later.key is not None and later.key == earlier.key:
                earlier.failed = later.failed = True
    count = 0
    for turn in reversed(turns):
        if not turn.failed:
            break
        count += 1
    return count


def user_message_ids_since(
    events: Iterable[Mapping[str, Any]],
    action: str,
    reset_events: Collection[str] = ("resume",),
) -> set[str] | None:
    """The ids of user messages after the last run of ``action`` or reset event.

    With the defaults: the messages since the last handoff, or since the agent handed the
    conversation back (``resume``), so what the shopper told the agent while the
    conversation was paused does not count towards the next escalation.

    Args:
        events: The tracker's events, oldest first.
        action: An action name (e.g. ``action_handoff``).
        reset_events: Event types that also start the count again.

    Returns:
        The message ids, or ``None`` when neither happened (every message counts).
    """
    ids: set[str] = set()
    reset = False
    for event in events:
        kind = event.get("event")
        if (kind == "action" and event.get("name") == action) or kind in reset_events:
            ids.clear()
            reset = True
        elif kind == "user" and isinstance(event.get("message_id"), str):
            ids.add(event["message_id"])
    return ids if reset else None
