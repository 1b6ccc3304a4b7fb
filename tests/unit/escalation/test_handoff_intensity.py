"""The action server's escalation state carries the NLU's sentiment intensity (actions/handoff)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.handoff import _trail
from escalation import EscalationState, decide, load_config

CONFIG = load_config()


def user(message_id: str, intent: str, label: str, score: float, intensity: Any) -> dict[str, Any]:
    sentiment: dict[str, Any] = {"label": label, "score": score, "model": "default"}
    if intensity is not None:
        sentiment["intensity"] = intensity
    parse = {
        "text": f"text {message_id}",
        "intent": {"name": intent, "confidence": 0.95},
        "entities": [],
        "sentiment": sentiment,
        "message_id": message_id,
    }
    return {"event": "user", "text": parse["text"], "parse_data": parse, "message_id": message_id}


def tracker(turns: list[dict[str, Any]]) -> Tracker:
    """A tracker whose ``sentiment_trail`` slot holds every turn but the latest (as Rasa has it
    inside ``action_validate_slot_mappings``)."""
    trail = [
        {
            "label": t["parse_data"]["sentiment"]["label"],
            "score": t["parse_data"]["sentiment"]["score"],
            "intent": t["parse_data"]["intent"]["name"],
            "message_id": t["message_id"],
        }
        for t in turns[:-1]
    ]
    return Tracker(
        sender_id="s-1",
        slots={"sentiment_trail": trail, "language": "en"},
        latest_message=turns[-1]["parse_data"],
        events=turns,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def test_every_entry_gets_its_messages_intensity() -> None:
    turns = [
        user("m1", "track_order", "negative", -0.9, 0.25),
        user("m2", "track_order", "negative", -0.95, 0.0),
    ]
    trail = _trail(tracker(turns))
    assert [e.get("intensity") for e in trail] == [0.25, 0.0]
    state = EscalationState("track_order", trail)
    assert decide(state, CONFIG) is None  # the latest has signs of calm: no negative run


@pytest.mark.parametrize("missing", [None, "high"])
def test_unknown_intensity_is_left_out(missing: Any) -> None:
    turns = [user("m1", "complaint", "negative", -0.9, missing)]
    trail = _trail(tracker(turns))
    assert "intensity" not in trail[0]


def test_a_furious_latest_message_fires_strong_complaint() -> None:
    turns = [
        user("m1", "greet", "neutral", 0.0, 0.25),
        user("m2", "payment_issue", "negative", -0.3, 1.0),
    ]
    state = EscalationState("payment_issue", _trail(tracker(turns)))
    decision = decide(state, CONFIG)
    assert decision is not None and decision.reason == "strong_complaint"
