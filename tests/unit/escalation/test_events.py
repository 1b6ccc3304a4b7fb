"""Counting fallbacks in a row and the messages since the last handoff from tracker events."""

from __future__ import annotations

from typing import Any

import pytest

from escalation import fallbacks_in_a_row, load_config, user_message_ids_since

CONFIG = load_config()


def user(intent: str, message_id: str | None = None) -> dict[str, Any]:
    return {"event": "user", "parse_data": {"intent": {"name": intent}}, "message_id": message_id}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


CASES: list[tuple[str, list[dict[str, Any]], int]] = [
    ("no events", [], 0),
    ("understood", [user("greet"), action("utter_greet"), user("search_product")], 0),
    ("one nlu_fallback", [user("greet"), action("utter_greet"), user("nlu_fallback")], 1),
    ("two nlu_fallbacks", [user("nlu_fallback"), action("utter_default"), user("nlu_fallback")], 2),
    (
        "broken by an understood turn",
        [
            user("nlu_fallback"),
            action("utter_default"),
            user("greet"),
            action("utter_greet"),
            user("nlu_fallback"),
        ],
        1,
    ),
    (
        "answered by action_default_fallback counts",
        [user("out_of_scope"), action("action_default_fallback"), user("nlu_fallback")],
        2,
    ),
    ("stops at a restart", [user("nlu_fallback"), {"event": "restart"}, user("nlu_fallback")], 1),
    (
        "stops at a resume (hand back)",
        [user("nlu_fallback"), {"event": "resume"}, user("nlu_fallback")],
        1,
    ),
]


@pytest.mark.parametrize(("name", "events", "expected"), CASES, ids=[c[0] for c in CASES])
def test_fallbacks_in_a_row(name: str, events: list[dict[str, Any]], expected: int) -> None:
    assert fallbacks_in_a_row(events, CONFIG) == expected, name


def test_user_message_ids_since() -> None:
    events = [
        user("complaint", "m1"),
        action("action_handoff"),
        user("greet", "m2"),
        user("x", "m3"),
    ]
    assert user_message_ids_since(events, "action_handoff") == {"m2", "m3"}
    assert user_message_ids_since(events[:1], "action_handoff") is None


def test_messages_told_to_the_agent_do_not_count_after_hand_back() -> None:
    events = [
        user("complaint", "m1"),
        action("action_handoff"),
        {"event": "pause"},
        user("complaint", "m2"),
        {"event": "resume"},
        user("greet", "m3"),
    ]
    assert user_message_ids_since(events, "action_handoff") == {"m3"}
    assert user_message_ids_since(events, "action_handoff", reset_events=()) == {"m2", "m3"}
