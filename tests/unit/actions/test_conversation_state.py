"""The language, mood and sentiment trail slots, and search in other languages."""

from __future__ import annotations

from typing import Any

import pytest

from actions.conversation_state import (
    TRAIL_LENGTH,
    ActionValidateSlotMappings,
    conversation_language,
)
from actions.phrases import Phrases
from actions.runtime import Runtime
from actions.search import ActionSearchProducts
from tests.unit.actions.action_helpers import (
    Conversation,
    check_renderable,
    response_names,
    run_action,
    slot_events,
    tracker_from,
)

VALIDATE = ActionValidateSlotMappings()
SEARCH = ActionSearchProducts()


def _state(latest: dict[str, Any], **slots: Any) -> dict[str, Any]:
    return {"latest_message": {"text": "x", "intent": {"name": "greet"}, **latest}, "slots": slots}


async def _extracted(
    latest: dict[str, Any], domain: dict[str, Any], **slots: Any
) -> dict[str, Any]:
    events, messages = await run_action(VALIDATE, tracker_from(_state(latest, **slots)), domain)
    assert messages == []
    return slot_events(events)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("parsed", "previous", "expected"),
    [
        ("es", "en", "es"),
        ("de", "es", "de"),
        ("fr", None, "fr"),
        ("de-AT", "en", "de"),
        ("it", "es", None),  # not one of ours: the slot keeps "es"
        (None, "fr", None),
        (42, "fr", None),
        ("en", "en", None),  # unchanged: no event
    ],
)
async def test_language_slot_follows_the_parse_result(
    domain: dict[str, Any], parsed: Any, previous: str | None, expected: str | None
) -> None:
    latest = {} if parsed is None else {"language": parsed}
    slots = await _extracted(latest, domain, language=previous)
    assert slots.get("language") == expected


@pytest.mark.asyncio
async def test_mood_and_trail_follow_the_sentiment(domain: dict[str, Any]) -> None:
    latest = {
        "sentiment": {"label": "negative", "score": -0.8, "model": "default"},
        "intent": {"name": "complaint"},
        "message_id": "m1",
    }
    slots = await _extracted(latest, domain, mood="neutral", sentiment_trail=None)
    assert slots["mood"] == "negative"
    assert slots["sentiment_trail"] == [
        {"label": "negative", "score": -0.8, "intent": "complaint", "message_id": "m1"}
    ]


@pytest.mark.asyncio
async def test_trail_keeps_the_last_entries_once_each(domain: dict[str, Any]) -> None:
    trail = [
        {"label": "neutral", "score": 0.0, "intent": "greet", "message_id": f"m{i}"}
        for i in range(TRAIL_LENGTH)
    ]
    latest = {"sentiment": {"label": "positive", "score": 0.7}, "message_id": "new"}
    slots = await _extracted(latest, domain, sentiment_trail=trail)
    new_trail = slots["sentiment_trail"]
    assert len(new_trail) == TRAIL_LENGTH
    assert new_trail[-1]["message_id"] == "new" and new_trail[0]["message_id"] == "m1"
    # the same message again (e.g. a re-run of the slot mappings) is not counted twice
    again = await _extracted(latest, domain, sentiment_trail=new_trail)
    assert "sentiment_trail" not in again


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "sentiment",
    [None, "negative", {"label": "furious", "score": -1}, {"label": "negative", "score": "x"}],
)
async def test_malformed_sentiment_changes_nothing(domain: dict[str, Any], sentiment: Any) -> None:
    latest = {} if sentiment is None else {"sentiment": sentiment}
    slots = await _extracted(latest, domain, mood="neutral", sentiment_trail=[])
    assert slots == {}


def test_scores_are_clipped_and_language_defaults_to_english() -> None:
    tracker = tracker_from(_state({"sentiment": {"label": "negative", "score": -3}}))
    assert conversation_language(tracker) == "en"
    tracker = tracker_from(_state({"language": "fr"}))
    assert conversation_language(tracker) == "fr"


@pytest.mark.parametrize("language", ["en", "es", "de", "fr"])
def test_every_language_has_complete_fragments(language: str) -> None:
    phrases = Phrases.from_files().for_language(language)
    assert phrases.language == language
    assert len(phrases.months) == 12
    assert "{value}" in phrases.constraint["colour"]
    assert "{price}" in phrases.constraint_alone.get("price_max", phrases.constraint["price_max"])


@pytest.mark.asyncio
async def test_spanish_search_uses_catalog_terms_and_spanish_phrases(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain)
    talk.user(
        {
            "text": "zapatillas impermeables rojas",
            "language": "es",
            "entities": [
                {"entity": "category", "value": "running shoes", "start": 0, "end": 11},
                {"entity": "colour", "value": "red", "start": 25, "end": 30},
            ],
        }
    )
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    slots = slot_events(events)
    assert slots["category"] == "running shoes" and slots["colour"] == "red"
    # the Spanish descriptive word is searched as the catalog's term, nothing else is
    assert slots["search_query"] == "waterproof running shoes"
    assert response_names(messages)[0] == "utter_search_results"
    summary = messages[0]["summary"]
    assert summary.startswith(
        Phrases.from_files().for_language("es").show("category", "running shoes")
    )
    assert "color" in summary and " in " not in summary


@pytest.mark.asyncio
async def test_german_more_asks_for_the_next_page(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain)
    talk.user(
        {
            "text": "Laufschuhe",
            "language": "de",
            "entities": [{"entity": "category", "value": "running shoes", "start": 0, "end": 10}],
        }
    )
    _, first = await talk.run(SEARCH)
    shown = talk.slots["shown_products"]
    talk.user({"text": "zeig mir noch mehr", "language": "de"})
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    assert response_names(messages)[0] in {"utter_more_results", "utter_no_more_results"}
    assert not set(slot_events(events).get("shown_products", [])) & set(shown)


@pytest.mark.asyncio
async def test_a_detected_first_language_is_set_even_when_it_is_the_initial_value(
    domain: dict[str, Any],
) -> None:
    latest = {"language": "en", "language_detection": {"source": "detected"}}
    assert (await _extracted(latest, domain, language="en")) == {"language": "en"}
    # a default (nothing detected) does not establish a language
    latest = {"language": "en", "language_detection": {"source": "default"}}
    assert (await _extracted(latest, domain, language="en")) == {}
