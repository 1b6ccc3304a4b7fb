"""The escalation rules, table-driven: which rule fires (first in order), or none."""

from __future__ import annotations

from typing import Any

import pytest

from escalation import (
    EscalationConfig,
    EscalationState,
    SentimentEntry,
    decide,
    load_config,
)

CONFIG = load_config()


def s(label: str, score: float, intent: str | None = None) -> SentimentEntry:
    """A trail entry."""
    return {"label": label, "score": score, "intent": intent}


NEUTRAL = s("neutral", 0.0, "search_product")

CASES: list[tuple[str, EscalationState, str | None]] = [
    # request_human
    (
        "explicit request",
        EscalationState("request_human", [s("neutral", 0.0, "request_human")]),
        "request_human",
    ),
    ("request without sentiment", EscalationState("request_human"), "request_human"),
    (
        "request beats a furious complaint trail",
        EscalationState(
            "request_human",
            [s("negative", -0.9, "complaint"), s("negative", -0.9, "request_human")],
        ),
        "request_human",
    ),
    # strong_complaint
    (
        "furious complaint",
        EscalationState("complaint", [NEUTRAL, s("negative", -0.85, "complaint")]),
        "strong_complaint",
    ),
    (
        "complaint exactly at the threshold",
        EscalationState("complaint", [s("negative", -0.7, "complaint")]),
        "strong_complaint",
    ),
    (
        "mild complaint",
        EscalationState("complaint", [NEUTRAL, s("negative", -0.5, "complaint")]),
        None,
    ),
    (
        "strong negative but not a complaint",
        EscalationState("search_product", [NEUTRAL, s("negative", -0.95, "search_product")]),
        None,
    ),
    (
        "complaint whose trail entry is another message's",
        EscalationState("complaint", [s("negative", -0.9, "track_order")]),
        None,
    ),
    # negative_sentiment
    (
        "two of the last three negative",
        EscalationState(
            "track_order",
            [s("negative", -0.6, "track_order"), NEUTRAL, s("negative", -0.5, "track_order")],
        ),
        "negative_sentiment",
    ),
    (
        "two negatives in a row",
        EscalationState(
            "track_order",
            [NEUTRAL, s("negative", -0.5, "track_order"), s("negative", -0.6, "track_order")],
        ),
        "negative_sentiment",
    ),
    (
        "negatives outside the window",
        EscalationState(
            "track_order",
            [s("negative", -0.6), NEUTRAL, NEUTRAL, s("negative", -0.6, "track_order")],
        ),
        None,
    ),
    (
        "calmed down: latest is neutral",
        EscalationState(
            "thank", [s("negative", -0.6), s("negative", -0.6), s("neutral", 0.1, "thank")]
        ),
        None,
    ),
    (
        "weakly negative messages do not count",
        EscalationState(
            "search_product", [s("negative", -0.2), s("negative", -0.3, "search_product")]
        ),
        None,
    ),
    (
        "one negative message only",
        EscalationState("track_order", [NEUTRAL, NEUTRAL, s("negative", -0.6, "track_order")]),
        None,
    ),
    (
        "two negatives, the complaint is mild: negative_sentiment wins over nothing",
        EscalationState(
            "complaint", [s("negative", -0.5, "track_order"), s("negative", -0.5, "complaint")]
        ),
        "negative_sentiment",
    ),
    # repeated_fallback
    (
        "two fallbacks in a row",
        EscalationState("nlu_fallback", [NEUTRAL], fallbacks_in_a_row=2),
        "repeated_fallback",
    ),
    ("three fallbacks", EscalationState("nlu_fallback", fallbacks_in_a_row=3), "repeated_fallback"),
    ("one fallback", EscalationState("nlu_fallback", fallbacks_in_a_row=1), None),
    # vip_complaint
    (
        "vip mild complaint",
        EscalationState("complaint", [s("negative", -0.4, "complaint")], segment="vip"),
        "vip_complaint",
    ),
    (
        "regular mild complaint",
        EscalationState("complaint", [s("negative", -0.4, "complaint")], segment="regular"),
        None,
    ),
    (
        "vip furious complaint is a strong complaint first",
        EscalationState("complaint", [s("negative", -0.9, "complaint")], segment="vip"),
        "strong_complaint",
    ),
    ("vip without complaint", EscalationState("search_product", [NEUTRAL], segment="vip"), None),
    # nothing
    (
        "happy chat",
        EscalationState("thank", [s("positive", 0.8, "greet"), s("positive", 0.7, "thank")]),
        None,
    ),
    ("empty state", EscalationState(None), None),
]


@pytest.mark.parametrize(("name", "state", "expected"), CASES, ids=[c[0] for c in CASES])
def test_decide(name: str, state: EscalationState, expected: str | None) -> None:
    decision = decide(state, CONFIG)
    assert (decision.reason if decision else None) == expected, name
    if decision is not None:
        assert decision.detail


def test_disabled_rule_lets_the_next_one_fire() -> None:
    config = EscalationConfig(enabled=("negative_sentiment", "repeated_fallback", "vip_complaint"))
    state = EscalationState("complaint", [s("negative", -0.9, "complaint")], segment="vip")
    decision = decide(state, config)
    assert decision is not None and decision.reason == "vip_complaint"


def test_details_name_the_numbers() -> None:
    state = EscalationState("nlu_fallback", fallbacks_in_a_row=2)
    decision = decide(state, CONFIG)
    assert decision is not None and "2" in decision.detail
    state2 = EscalationState(
        "track_order",
        [s("negative", -0.6, "track_order"), NEUTRAL, s("negative", -0.5, "track_order")],
    )
    decision2 = decide(state2, CONFIG)
    assert decision2 is not None and decision2.detail == "2 of the last 3 messages negative"


@pytest.mark.parametrize("bad_score", ["x", None, [1]])
def test_malformed_scores_count_as_neutral(bad_score: Any) -> None:
    trail: list[Any] = [
        {"label": "negative", "score": bad_score, "intent": "complaint"},
    ]
    assert decide(EscalationState("complaint", trail), CONFIG) is None
