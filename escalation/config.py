"""Load and validate the escalation rules' configuration (``assistant/escalation.yml``).

Every problem is reported at load time with the key that is wrong, so a typo in the file
stops the action server at start-up instead of silently disabling a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "EscalationConfig",
    "EscalationConfigError",
    "load_config",
    "parse_config",
]

#: The project's configuration file.
DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "assistant" / "escalation.yml"

_RULES = (
    "request_human",
    "strong_complaint",
    "negative_sentiment",
    "repeated_fallback",
    "vip_complaint",
)
_TOP_KEYS = frozenset(
    {
        "version",
        "request_intents",
        "complaint_intents",
        "grievance_intents",
        "fallback_intents",
        "fallback_actions",
        "fallback_responses",
        "rules",
    }
)
_RULE_KEYS: dict[str, frozenset[str]] = {
    "request_human": frozenset({"enabled"}),
    "strong_complaint": frozenset({"enabled", "max_score", "min_intensity"}),
    "negative_sentiment": frozenset(
        {"enabled", "window", "min_negative", "negative_score", "min_intensity"}
    ),
    "repeated_fallback": frozenset({"enabled", "in_a_row", "min_confidence", "count_repeats"}),
    "vip_complaint": frozenset({"enabled", "segments", "grievance_score"}),
}


class EscalationConfigError(ValueError):
    """The configuration file is missing, malformed or has a value that cannot be used."""


@dataclass(frozen=True)
class EscalationConfig:
    """The validated rules' settings (defaults are the shipped file's values).

    Attributes:
        request_intents: Intents that ask for a person.
        complaint_intents: Intents that count as a complaint.
        grievance_intents: Intents about a problem with an order or a payment; with
            negative sentiment they count as a complaint too.
        fallback_intents: Intents that mean the NLU did not understand.
        fallback_actions: Bot actions that mean the bot did not understand.
        fallback_responses: Bot responses (``utter_action`` of a bot message) that mean
            the bot did not understand or could not help.
        enabled: The rules that are on, in the order they are tried.
        strong_max_score: A message at or below this score is negative for
            ``strong_complaint`` (as is one labelled negative).
        strong_min_intensity: ... and its intensity must be at least this.
        negative_window: How many recent messages ``negative_sentiment`` looks at.
        negative_min: How many of them must be negative.
        negative_score: A negative message's score must be at or below this.
        negative_min_intensity: ... and its intensity (when known) at least this.
        fallback_in_a_row: Fallbacks in a row that fire ``repeated_fallback``.
        fallback_min_confidence: A user turn whose intent confidence is below this counts
            as not understood (0 turns this off).
        fallback_count_repeats: A message repeated word for word counts as not understood
            (and so does the one it repeats).
        vip_segments: Profile segments whose complaints fire ``vip_complaint``.
        vip_grievance_score: A grievance intent counts as a VIP's complaint when labelled
            negative with a score at or below this.
    """

    request_intents: frozenset[str] = frozenset({"request_human"})
    complaint_intents: frozenset[str] = frozenset({"complaint"})
    grievance_intents: frozenset[str] = frozenset()
    fallback_intents: frozenset[str] = frozenset({"nlu_fallback"})
    fallback_actions: frozenset[str] = frozenset({"action_default_fallback"})
    fallback_responses: frozenset[str] = frozenset()
    enabled: tuple[str, ...] = _RULES
    strong_max_score: float = -0.7
    strong_min_intensity: float = 0.0
    negative_window: int = 3
    negative_min: int = 2
    negative_score: float = -0.35
    negative_min_intensity: float = 0.0
    fallback_in_a_row: int = 2
    fallback_min_confidence: float = 0.0
    fallback_count_repeats: bool = False
    vip_segments: frozenset[str] = field(default_factory=lambda: frozenset({"vip"}))
    vip_grievance_score: float = -0.35


def _names(data: Mapping[str, Any], key: str, default: frozenset[str]) -> frozenset[str]:
    if key not in data:
        return default
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise EscalationConfigError(f"{key} must be a list of names")
    return frozenset(v.strip() for v in value)


def _number(section: Mapping[str, Any], rule: str, key: str, default: float) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EscalationConfigError(f"rules.{rule}.{key} must be a number")
    return float(value)


def _share(section: Mapping[str, Any], rule: str, key: str, default: float) -> float:
    value = _number(section, rule, key, default)
    if not 0.0 <= value <= 1.0:
        raise EscalationConfigError(f"rules.{rule}.{key} must be in [0, 1]")
    return value


def _flag(section: Mapping[str, Any], rule: str, key: str, default: bool) -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise EscalationConfigError(f"rules.{rule}.{key} must be true or false")
    return value


def _count(section: Mapping[str, Any], rule: str, key: str, default: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise EscalationConfigError(f"rules.{rule}.{key} must be an integer >= 1")
    return value


def parse_config(data: Any) -> EscalationConfig:
    """Validate a parsed configuration document.

    Args:
        data: The YAML document (a mapping).

    Returns:
        The configuration.

    Raises:
        EscalationConfigError: An unknown key, a missing rule or a value out of range.
    """
    if not isinstance(data, Mapping):
        raise EscalationConfigError("the escalation configuration must be a mapping")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise EscalationConfigError(f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
    if data.get("version", 1) != 1:
        raise EscalationConfigError("version must be 1")
    rules = data.get("rules")
    if not isinstance(rules, Mapping):
        raise EscalationConfigError("rules must be a mapping of the five rules")
    for name in rules:
        if name not in _RULE_KEYS:
            raise EscalationConfigError(f"unknown rule {name!r}")
    sections: dict[str, Mapping[str, Any]] = {}
    for name in _RULES:
        section = rules.get(name)
        if not isinstance(section, Mapping):
            raise EscalationConfigError(f"rules.{name} is missing")
        unknown = set(section) - _RULE_KEYS[name]
        if unknown:
            raise EscalationConfigError(f"rules.{name}: unknown keys {sorted(map(str, unknown))}")
        if not isinstance(section.get("enabled", True), bool):
            raise EscalationConfigError(f"rules.{name}.enabled must be true or false")
        sections[name] = section
    defaults = EscalationConfig()
    strong = _number(
        sections["strong_complaint"], "strong_complaint", "max_score", defaults.strong_max_score
    )
    negative = sections["negative_sentiment"]
    window = _count(negative, "negative_sentiment", "window", defaults.negative_window)
    minimum = _count(negative, "negative_sentiment", "min_negative", defaults.negative_min)
    negative_score = _number(
        negative, "negative_sentiment", "negative_score", defaults.negative_score
    )
    vip = sections["vip_complaint"]
    grievance_score = _number(vip, "vip_complaint", "grievance_score", defaults.vip_grievance_score)
    for rule, score in (
        ("strong_complaint", strong),
        ("negative_sentiment", negative_score),
        ("vip_complaint", grievance_score),
    ):
        if not -1.0 <= score <= 1.0:
            raise EscalationConfigError(f"rules.{rule}: scores are in [-1, 1]")
    if minimum > window:
        raise EscalationConfigError("rules.negative_sentiment.min_negative must be <= window")
    fallback = sections["repeated_fallback"]
    in_a_row = _count(fallback, "repeated_fallback", "in_a_row", defaults.fallback_in_a_row)
    segments = _names(vip, "segments", defaults.vip_segments)
    return EscalationConfig(
        request_intents=_names(data, "request_intents", defaults.request_intents),
        complaint_intents=_names(data, "complaint_intents", defaults.complaint_intents),
        grievance_intents=_names(data, "grievance_intents", defaults.grievance_intents),
        fallback_intents=_names(data, "fallback_intents", defaults.fallback_intents),
        fallback_actions=_names(data, "fallback_actions", defaults.fallback_actions),
        fallback_responses=_names(data, "fallback_responses", defaults.fallback_responses),
        enabled=tuple(n for n in _RULES if sections[n].get("enabled", True)),
        strong_max_score=strong,
        strong_min_intensity=_share(
            sections["strong_complaint"],
            "strong_complaint",
            "min_intensity",
            defaults.strong_min_intensity,
        ),
        negative_window=window,
        negative_min=minimum,
        negative_score=negative_score,
        negative_min_intensity=_share(
            negative, "negative_sentiment", "min_intensity", defaults.negative_min_intensity
        ),
        fallback_in_a_row=in_a_row,
        fallback_min_confidence=_share(
            fallback, "repeated_fallback", "min_confidence", defaults.fallback_min_confidence
        ),
        fallback_count_repeats=_flag(
            fallback, "repeated_fallback", "count_repeats", defaults.fallback_count_repeats
        ),
        vip_segments=segments,
        vip_grievance_score=grievance_score,
    )


def load_config(path: Path | str = DEFAULT_CONFIG_PATH) -> EscalationConfig:
    """Read and validate a configuration file.

    Args:
        path: The YAML file (default: ``assistant/escalation.yml``).

    Returns:
        The configuration.

    Raises:
        EscalationConfigError: The file cannot be read or is invalid.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise EscalationConfigError(f"cannot read {path}: {type(exc).__name__}") from exc
    return parse_config(data)
