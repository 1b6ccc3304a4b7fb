"""The escalation rules: given what the conversation looks like now, hand off or not.

:func:`decide` tries the enabled rules in a fixed order; the first that fires is the
reason sent to the console (docs/console-api.md):

1. ``request_human``: the latest intent asks for a person;
2. ``strong_complaint``: the latest message is heated: negative (labelled so, or a score
   at or below ``strong_max_score``) with an intensity of at least
   ``strong_min_intensity``, and its intent is a complaint, a grievance (an order or
   payment problem) or one the NLU could not place (a furious message is furious whatever
   it is about). Without an intensity (an older trail) only a complaint at or below
   ``strong_max_score`` fires;
3. ``negative_sentiment``: at least ``negative_min`` of the last ``negative_window``
   messages are negative (label, score, and intensity when known), the latest among them;
4. ``repeated_fallback``: ``fallback_in_a_row`` fallbacks in a row;
5. ``vip_complaint``: the customer's segment is a VIP segment and the latest message is a
   complaint, or a grievance labelled negative.

Intensity (in [0, 1]) is the SentimentAnalyzer's lexical measure of how heated a message
is (strong words, threats, exclamations, capitals up; hedges and signs of calm down): the
model's score is overconfident and cannot tell "slightly damaged" from "a scam!!!".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, TypedDict

from escalation.config import EscalationConfig

__all__ = ["REASONS", "Decision", "EscalationState", "SentimentEntry", "decide"]

#: Every reason code, in the order the rules are tried.
REASONS: Final = (
    "request_human",
    "strong_complaint",
    "negative_sentiment",
    "repeated_fallback",
    "vip_complaint",
)


class SentimentEntry(TypedDict, total=False):
    """One message's sentiment in the trail (the ``sentiment_trail`` slot's items)."""

    label: str
    score: float
    intensity: float | None
    intent: str | None
    message_id: str | None


@dataclass(frozen=True)
class EscalationState:
    """What the rules look at.

    Attributes:
        intent: The latest message's intent (``None`` when unknown).
        trail: Recent sentiments, oldest first; the last one is the latest message's
            (when that message had a sentiment).
        fallbacks_in_a_row: Consecutive user turns, up to the latest, the bot did not
            understand.
        segment: The verified customer's profile segment (``None``: anonymous/unknown).
        language: The conversation's language (carried into the decision's detail only).
    """

    intent: str | None
    trail: Sequence[SentimentEntry] = field(default_factory=tuple)
    fallbacks_in_a_row: int = 0
    segment: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class Decision:
    """Hand the conversation to a person.

    Attributes:
        reason: One of :data:`REASONS`.
        detail: A short English explanation for the agent.
    """

    reason: str
    detail: str


def _score(entry: SentimentEntry) -> float:
    try:
        return float(entry.get("score", 0.0))
    except (TypeError, ValueError):
        return 0.0


def _intensity(entry: SentimentEntry) -> float | None:
    value = entry.get("intensity")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _is_negative(entry: SentimentEntry, config: EscalationConfig) -> bool:
    if entry.get("label") != "negative" or _score(entry) > config.negative_score:
        return False
    intensity = _intensity(entry)
    return intensity is None or intensity >= config.negative_min_intensity


def _latest(state: EscalationState) -> SentimentEntry | None:
    """The latest message's sentiment: the trail's last entry, if it is that message's."""
    if not state.trail:
        return None
    last = state.trail[-1]
    intent = last.get("intent")
    if intent is not None and state.intent is not None and intent != state.intent:
        return None
    return last


def _request_human(state: EscalationState, config: EscalationConfig) -> Decision | None:
    if state.intent in config.request_intents:
        return Decision("request_human", "the shopper asked for a person")
    return None


def _strong_complaint(state: EscalationState, config: EscalationConfig) -> Decision | None:
    latest = _latest(state)
    if latest is None:
        return None
    score = _score(latest)
    intensity = _intensity(latest)
    if intensity is None:  # a trail without intensity: the score alone decides
        if state.intent in config.complaint_intents and score <= config.strong_max_score:
            return Decision("strong_complaint", f"complaint with sentiment {score:.2f}")
        return None
    heated_intents = config.complaint_intents | config.grievance_intents
    if state.intent not in heated_intents | config.fallback_intents:
        return None
    negative = latest.get("label") == "negative" or score <= config.strong_max_score
    if negative and intensity >= config.strong_min_intensity:
        return Decision(
            "strong_complaint",
            f"{state.intent} with sentiment {score:.2f} and intensity {intensity:.2f}",
        )
    return None


def _negative_sentiment(state: EscalationState, config: EscalationConfig) -> Decision | None:
    latest = _latest(state)
    if latest is None or not _is_negative(latest, config):
        return None
    recent = list(state.trail)[-config.negative_window :]
    negatives = sum(1 for entry in recent if _is_negative(entry, config))
    if negatives >= config.negative_min:
        return Decision(
            "negative_sentiment", f"{negatives} of the last {len(recent)} messages negative"
        )
    return None


def _repeated_fallback(state: EscalationState, config: EscalationConfig) -> Decision | None:
    if state.fallbacks_in_a_row >= config.fallback_in_a_row:
        return Decision(
            "repeated_fallback", f"the bot did not understand {state.fallbacks_in_a_row} in a row"
        )
    return None


def _vip_complaint(state: EscalationState, config: EscalationConfig) -> Decision | None:
    if state.segment not in config.vip_segments:
        return None
    if state.intent in config.complaint_intents:
        return Decision("vip_complaint", f"complaint from a {state.segment} customer")
    if state.intent in config.grievance_intents:
        latest = _latest(state)
        if (
            latest is not None
            and latest.get("label") == "negative"
            and _score(latest) <= config.vip_grievance_score
        ):
            return Decision(
                "vip_complaint", f"unhappy {state.intent} from a {state.segment} customer"
            )
    return None


_CHECKS = {
    "request_human": _request_human,
    "strong_complaint": _strong_complaint,
    "negative_sentiment": _negative_sentiment,
    "repeated_fallback": _repeated_fallback,
    "vip_complaint": _vip_complaint,
}


def decide(state: EscalationState, config: EscalationConfig) -> Decision | None:
    """Whether to hand off now, and why.

    Args:
        state: The conversation as the rules see it.
        config: The rules' settings.

    Returns:
        The first rule that fired, or ``None``.
    """
    for name in config.enabled:
        decision = _CHECKS[name](state, config)
        if decision is not None:
            return decision
    return None
