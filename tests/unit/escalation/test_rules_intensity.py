"""The rules with the sentiment intensity and grievance intents (shipped configuration)."""

from __future__ import annotations

from typing import Any

import pytest

from escalation import EscalationConfig, EscalationState, SentimentEntry, decide, load_config

CONFIG = load_config()


def s(label: str, score: float, intent: str, intensity: float | None) -> SentimentEntry:
    """A trail entry with an intensity."""
    return {"label": label, "score": score, "intent": intent, "intensity": intensity}


CASES: list[tuple[str, EscalationState, str | None]] = [
    (
        "furious complaint (strong words, exclamations)",
        EscalationState("complaint", [s("negative", -0.95, "complaint", 0.75)]),
        "strong_complaint",
    ),
    (
        "mildly worded complaint the model scores near -1",
        EscalationState("complaint", [s("negative", -0.97, "complaint", 0.0)]),
        None,
    ),
    (
        "plain complaint without cues",
        EscalationState("complaint", [s("negative", -0.99, "complaint", 0.25)]),
        None,
    ),
    (
        "furious payment problem (a grievance intent)",
        EscalationState("payment_issue", [s("negative", -0.2, "payment_issue", 1.0)]),
        "strong_complaint",
    ),
    (
        "furious message the NLU could not place",
        EscalationState("nlu_fallback", [s("negative", -1.0, "nlu_fallback", 1.0)]),
        "strong_complaint",
    ),
    (
        "heated but positive (excited shopper)",
        EscalationState("complaint", [s("positive", 0.9, "complaint", 0.9)]),
        None,
    ),
    (
        "heated negative search is not a complaint",
        EscalationState("search_product", [s("negative", -0.9, "search_product", 0.9)]),
        None,
    ),
    (
        "two negatives, the latest hedged: not a run",
        EscalationState(
            "search_product",
            [
                s("negative", -0.9, "search_product", 0.0),
                s("negative", -0.98, "search_product", 0.0),
            ],
        ),
        None,
    ),
    (
        "two plain negatives: a run",
        EscalationState(
            "track_order",
            [s("negative", -0.9, "track_order", 0.25), s("negative", -0.6, "track_order", 0.55)],
        ),
        "negative_sentiment",
    ),
    (
        "calmed down: the latest negative-scored message has signs of calm",
        EscalationState(
            "track_order",
            [s("negative", -0.9, "track_order", 0.25), s("negative", -0.9, "track_order", 0.0)],
        ),
        None,
    ),
    (
        "vip: return labelled negative is a complaint",
        EscalationState("return_item", [s("negative", -0.0, "return_item", 0.25)], segment="vip"),
        "vip_complaint",
    ),
    (
        "vip: neutral return is not",
        EscalationState("return_item", [s("neutral", -0.1, "return_item", 0.25)], segment="vip"),
        None,
    ),
    (
        "regular: return labelled negative is not",
        EscalationState(
            "return_item", [s("negative", -0.6, "return_item", 0.25)], segment="regular"
        ),
        None,
    ),
    (
        "vip: hedged complaint still counts",
        EscalationState("complaint", [s("negative", -0.4, "complaint", 0.0)], segment="vip"),
        "vip_complaint",
    ),
    (
        "vip: search labelled negative is not a grievance",
        EscalationState(
            "search_product", [s("negative", -0.9, "search_product", 0.25)], segment="vip"
        ),
        None,
    ),
]


@pytest.mark.parametrize(("name", "state", "expected"), CASES, ids=[c[0] for c in CASES])
def test_decide_with_intensity(name: str, state: EscalationState, expected: str | None) -> None:
    decision = decide(state, CONFIG)
    assert (decision.reason if decision else None) == expected, name


def test_without_intensity_the_score_alone_decides_for_complaints() -> None:
    old: list[Any] = [{"label": "negative", "score": -0.8, "intent": "complaint"}]
    decision = decide(EscalationState("complaint", old), CONFIG)
    assert decision is not None and decision.reason == "strong_complaint"
    grievance: list[Any] = [{"label": "negative", "score": -0.95, "intent": "payment_issue"}]
    assert decide(EscalationState("payment_issue", grievance), CONFIG) is None


@pytest.mark.parametrize("bad", ["high", True, [1]])
def test_malformed_intensity_counts_as_unknown(bad: Any) -> None:
    trail: list[Any] = [
        {"label": "negative", "score": -0.9, "intent": "complaint", "intensity": bad}
    ]
    decision = decide(EscalationState("complaint", trail), CONFIG)
    assert decision is not None and decision.reason == "strong_complaint"


def test_detail_names_the_intensity() -> None:
    decision = decide(
        EscalationState("complaint", [s("negative", -0.9, "complaint", 0.85)]), CONFIG
    )
    assert decision is not None and "0.85" in decision.detail


def test_thresholds_come_from_the_configuration() -> None:
    lenient = EscalationConfig(
        grievance_intents=frozenset({"payment_issue"}), strong_min_intensity=0.3
    )
    state = EscalationState("payment_issue", [s("negative", -0.9, "payment_issue", 0.4)])
    assert decide(state, CONFIG) is None
    decision = decide(state, lenient)
    assert decision is not None and decision.reason == "strong_complaint"


def test_shipped_thresholds() -> None:
    assert CONFIG.strong_min_intensity == 0.7
    assert CONFIG.negative_min_intensity == 0.2
    assert {"return_item", "payment_issue", "track_order"} <= CONFIG.grievance_intents
    assert "complaint" not in CONFIG.grievance_intents
