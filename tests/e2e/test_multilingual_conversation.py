"""Multi-turn searches in Spanish and German through the real stack (rasa + action server)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import yaml
from stack import ROOT, Stack
from test_rest_conversation import Shopper, carousel, texts

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def variants(response: str, language: str) -> set[str]:
    """The texts of a response's variants for a language (placeholder-free responses only)."""
    found: set[str] = set()
    for path in (ROOT / "assistant" / "domain").glob("*.yml"):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {})
        for variant in responses.get(response, []):
            conditions = {c["name"]: c["value"] for c in variant.get("condition") or []}
            if conditions.get("language", "en") == language:
                found.add(variant["text"])
    assert found, f"{response} has no {language} variants"
    return found


def tracker(client: httpx.Client, stack: Stack, sender: str) -> dict[str, Any]:
    response = client.get(f"/conversations/{sender}/tracker", params={"token": stack.token})
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def test_spanish_search_refine_and_details(rasa: httpx.Client, stack: Stack) -> None:
    shopper = Shopper(rasa)
    assert texts(shopper.say("hola")) in variants("utter_greet", "es")
    state = tracker(rasa, stack, shopper.sender)
    assert state["slots"]["language"] == "es"
    assert state["latest_message"]["language"] == "es"
    assert state["latest_message"]["sentiment"]["label"] in {"negative", "neutral", "positive"}

    answer = shopper.say("busco zapatillas de running rojas")
    shoes = carousel(answer)
    assert all(p["category"] == "running shoes" and "red" in p["colours"] for p in shoes)
    assert "zapatillas de running" in texts(answer)  # the summary is in Spanish

    cheap = carousel(shopper.say("por menos de 100 euros"))
    assert all(
        p["category"] == "running shoes" and "red" in p["colours"] and p["price"] <= 100
        for p in cheap
    )
    cheaper = carousel(shopper.say("más baratas"))
    assert max(p["price"] for p in cheaper) < max(p["price"] for p in cheap)
    assert all(p["category"] == "running shoes" for p in cheaper)

    details = texts(shopper.say("el segundo en talla 10?"))
    assert cheaper[1]["title"] in details
    assert "10" in details
    # emoji, numbers and English brand names cannot tell a language: the reply stays Spanish
    for text in ("👍👍", "12345", "Trailforge"):
        assert shopper.say(text), f"no reply to {text!r}"
        assert tracker(rasa, stack, shopper.sender)["slots"]["language"] == "es"


def test_german_search_refine_and_details(rasa: httpx.Client, stack: Stack) -> None:
    shopper = Shopper(rasa)
    assert texts(shopper.say("Hallo!")) in variants("utter_greet", "de")

    tents = carousel(shopper.say("ich suche ein Zelt"))
    assert all(p["category"] == "tents" for p in tents)

    cheap = carousel(shopper.say("unter 300 Euro bitte"))
    assert all(p["category"] == "tents" and p["price"] <= 300 for p in cheap)

    first = texts(shopper.say("zeig mir den ersten genauer"))
    assert cheap[0]["title"] in first
    # a bare "ok" is too short to tell: the conversation stays German
    shopper.say("ok")
    assert tracker(rasa, stack, shopper.sender)["slots"]["language"] == "de"
