"""Every response speaks every language, and empathetic variants win when the mood is negative."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

DOMAIN = Path(__file__).resolve().parents[3] / "assistant" / "domain"
LANGUAGES = ("en", "es", "de", "fr")
MOODS = ("negative", "neutral", "positive")
_PLACEHOLDER = re.compile(r"{(\w+)}")


def _responses() -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(DOMAIN.glob("*.yml")):
        found.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {}))
    return found


RESPONSES = _responses()


def _conditions(variant: dict[str, Any]) -> dict[str, Any]:
    return {c["name"]: c["value"] for c in variant.get("condition") or []}


def _chosen(variants: list[dict[str, Any]], slots: dict[str, str]) -> list[dict[str, Any]]:
    """The variants Rasa 3.6 picks from (matching conditional ones, else the defaults)."""
    conditional = [v for v in variants if v.get("condition")]
    matching = [v for v in conditional if all(slots.get(k) == x for k, x in _conditions(v).items())]
    return matching or [v for v in variants if not v.get("condition")]


def _placeholders(variant: dict[str, Any]) -> set[str]:
    return set(_PLACEHOLDER.findall(str(variant.get("text", ""))))


def _payloads(variant: dict[str, Any]) -> list[str]:
    return [b["payload"] for b in variant.get("buttons") or []]


def test_there_are_responses() -> None:
    assert len(RESPONSES) > 80


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_each_language_gets_its_own_variants(name: str) -> None:
    variants = RESPONSES[name]
    english = [v for v in variants if not v.get("condition")]
    assert english, f"{name} has no English default"
    known = set().union(*(_placeholders(v) for v in english))
    payloads = {tuple(_payloads(v)) for v in english}
    for language in LANGUAGES:
        for mood in MOODS:
            chosen = _chosen(variants, {"language": language, "mood": mood})
            assert chosen, (name, language, mood)
            for variant in chosen:
                if language == "en":
                    assert _conditions(variant).get("language") in (None, "en")
                else:
                    assert _conditions(variant).get("language") == language, (name, language)
                assert _placeholders(variant) <= known, (name, language, variant["text"])
                assert tuple(_payloads(variant)) in payloads, (name, language)
                assert variant.get("custom") == english[0].get("custom")


EMPATHETIC = sorted(
    name
    for name, variants in RESPONSES.items()
    if any(_conditions(v).get("mood") == "negative" for v in variants)
)


def test_the_main_replies_have_empathetic_variants() -> None:
    for name in ("utter_default", "utter_no_results", "utter_order_not_found"):
        assert name in EMPATHETIC


@pytest.mark.parametrize("name", EMPATHETIC)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_negative_mood_always_gets_an_empathetic_variant(name: str, language: str) -> None:
    variants = RESPONSES[name]
    negative = _chosen(variants, {"language": language, "mood": "negative"})
    assert all(_conditions(v).get("mood") == "negative" for v in negative)
    for mood in ("neutral", "positive"):
        calm = _chosen(variants, {"language": language, "mood": mood})
        assert not any(_conditions(v).get("mood") == "negative" for v in calm)
