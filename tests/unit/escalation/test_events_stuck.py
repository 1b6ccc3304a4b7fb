"""When the bot is stuck: fallback intents, low confidence, fallback replies, repeats."""

from __future__ import annotations

from typing import Any

import pytest

from escalation import EscalationConfig, fallbacks_in_a_row, load_config

CONFIG = load_config()


def user(intent: str, confidence: float | None = 0.99, text: str | None = None) -> dict[str, Any]:
    parsed: dict[str, Any] = {"name": intent}
    if confidence is not None:
        parsed["confidence"] = confidence
    return {
        "event": "user",
        "text": text if text is not None else f"a message about {intent}",
        "parse_data": {"intent": parsed},
    }


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def bot(response: str | None) -> dict[str, Any]:
    return {
        "event": "bot",
        "text": "...",
        "metadata": {"utter_action": response} if response else {},
    }


CASES: list[tuple[str, list[dict[str, Any]], int]] = [
    (
        "out_of_scope twice",
        [user("out_of_scope"), action("utter_out_of_scope"), user("out_of_scope")],
        2,
    ),
    (
        "low confidence guess",
        [user("nlu_fallback"), action("utter_default"), user("privacy_access", 0.46)],
        2,
    ),
    (
        "confident answer breaks the run",
        [user("nlu_fallback"), action("utter_default"), user("greet", 0.9)],
        0,
    ),
    (
        "no confidence recorded: understood",
        [user("nlu_fallback"), action("utter_default"), user("greet", None)],
        0,
    ),
    (
        "answered 'I haven't shown you any products yet'",
        [
            user("product_details"),
            action("action_product_details"),
            bot("utter_nothing_shown"),
            user("nlu_fallback"),
        ],
        2,
    ),
    (
        "an ordinary bot answer does not count",
        [
            user("product_details"),
            action("action_product_details"),
            bot("utter_product_details"),
            user("nlu_fallback"),
        ],
        1,
    ),
    ("a bot message without metadata", [user("greet"), bot(None), user("nlu_fallback")], 1),
    (
        "the same words again (case and punctuation aside)",
        [
            user("payment_methods", text="Do you price match?"),
            action("utter_payment_methods"),
            user("payment_methods", text="do you price match"),
        ],
        2,
    ),
    (
        "a different message is not a repeat",
        [
            user("product_details", text="show me the second one"),
            action("utter_x"),
            user("product_details", text="show me the third one"),
        ],
        0,
    ),
    (
        "the same card button tapped twice is not a repeat",
        [
            user("product_details", 1.0, text='/product_details{"product_id":"P1"}'),
            action("action_product_details"),
            user("product_details", 1.0, text='/product_details{"product_id":"P1"}'),
        ],
        0,
    ),
    (
        "a repeat after a reset does not count",
        [user("greet", text="hello"), {"event": "resume"}, user("greet", text="hello")],
        0,
    ),
]


@pytest.mark.parametrize(("name", "events", "expected"), CASES, ids=[c[0] for c in CASES])
def test_stuck_turns(name: str, events: list[dict[str, Any]], expected: int) -> None:
    assert fallbacks_in_a_row(events, CONFIG) == expected, name


@pytest.mark.parametrize(
    ("language", "text", "again"),
    [
        ("en", "where is my parcel?", "Where is my parcel"),
        ("es", "¿dónde está mi pedido?", "dónde está mi pedido"),
        ("de", "Wo ist mein Paket?", "wo ist mein Paket!"),
        ("fr", "où est mon colis ?", "Où est mon colis"),
    ],
)
def test_repeats_in_four_languages(language: str, text: str, again: str) -> None:
    events = [
        user("track_order", text=text),
        action("action_track_order"),
        user("track_order", text=again),
    ]
    assert fallbacks_in_a_row(events, CONFIG) == 2, language


def test_switches_in_the_configuration() -> None:
    events = [user("x", 0.5, text="same"), action("utter_x"), user("x", 0.5, text="same")]
    assert fallbacks_in_a_row(events, EscalationConfig()) == 0
    assert fallbacks_in_a_row(events, EscalationConfig(fallback_min_confidence=0.6)) == 2
    assert fallbacks_in_a_row(events, EscalationConfig(fallback_count_repeats=True)) == 2


def test_shipped_fallback_settings() -> None:
    assert {"nlu_fallback", "out_of_scope"} <= CONFIG.fallback_intents
    assert "utter_nothing_shown" in CONFIG.fallback_responses
    assert 0.45 < CONFIG.fallback_min_confidence < 1
    assert CONFIG.fallback_count_repeats is True
