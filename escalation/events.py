"""Read what the rules need from Rasa tracker events (plain dicts, no Rasa import)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from escalation.config import EscalationConfig

__all__ = ["fallbacks_in_a_row", "user_message_ids_since"]


def _intent(event: Mapping[str, Any]) -> str | None:
    parse = event.get("parse_data")
    intent = parse.get("intent") if isinstance(parse, Mapping) else None
    name = intent.get("name") if isinstance(intent, Mapping) else None
    return name if isinstance(name, str) else None


def fallbacks_in_a_row(events: Sequence[Mapping[str, Any]], config: EscalationConfig) -> int:
    """How many user turns, ending with the latest, the bot did not understand.

    A turn is a fallback when its intent is a fallback intent (``nlu_fallback``) or when
    the bot answered it with a fallback action (``action_default_fallback``). The count
    stops at the first understood turn and at a ``restart``, ``session_started``, ``pause``
    or ``resume`` (turns before a handoff do not count after it).

    Args:
        events: The tracker's events, oldest first.
        config: The rules' settings.

    Returns:
        The number of fallbacks in a row (0 when the latest turn was understood).
    """
    count = 0
    answered_by_fallback = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "action" and event.get("name") in config.fallback_actions:
            answered_by_fallback = True
        elif kind == "user":
            if answered_by_fallback or _intent(event) in config.fallback_intents:
                count += 1
                answered_by_fallback = False
            else:
                break
        elif kind in ("restart", "session_started", "resume", "pause"):
            break
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
