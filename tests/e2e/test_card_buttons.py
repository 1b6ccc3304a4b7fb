"""The product cards' buttons through rasa's REST channel with the real model and actions.

Each card of a carousel carries details / more like this / compare buttons whose payloads
(``/product_details{"product_id":"P1"}``...) are sent back as the shopper's message, as the
widget and the messaging channels do when a button is tapped.
"""

from __future__ import annotations

import httpx
import pytest
import yaml
from stack import ROOT
from test_rest_conversation import Shopper, carousel, texts

from formats.cards import card_buttons

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _variants(response: str) -> set[str]:
    domain = yaml.safe_load((ROOT / "assistant" / "domain" / "shopping.yml").read_text())
    return {variant["text"] for variant in domain["responses"][response]}


def _button(card: dict[str, object], kind: str) -> str:
    buttons = card["buttons"]
    assert isinstance(buttons, list)
    return str(next(b["payload"] for b in buttons if b["kind"] == kind))


def test_details_more_like_this_and_compare_buttons(rasa: httpx.Client) -> None:
    shopper = Shopper(rasa)
    messages = shopper.say("I'm looking for running shoes")
    payload = next(m["custom"] for m in messages if isinstance(m.get("custom"), dict))
    assert payload["language"] == "en"
    shoes = carousel(messages)
    assert all(card["buttons"] == card_buttons(card["id"], "en") for card in shoes)

    # details of the third card
    details = shopper.say(_button(shoes[2], "details"))
    assert shoes[2]["title"] in texts(details)
    assert [card["id"] for card in carousel(details)] == [shoes[2]["id"]]

    # more like the first card: a new list, which "the second one" then indexes
    similar_messages = shopper.say(_button(shoes[0], "similar"))
    assert shoes[0]["title"] in texts(similar_messages)
    similar = carousel(similar_messages)
    assert shoes[0]["id"] not in [card["id"] for card in similar]
    assert similar[1]["title"] in texts(shopper.say("tell me more about the second one"))

    # compare on another card: compared with the product just looked at
    comparison = texts(shopper.say(_button(similar[3], "compare")))
    assert similar[1]["title"] in comparison and similar[3]["title"] in comparison


def test_compare_taps_on_two_cards(rasa: httpx.Client) -> None:
    shopper = Shopper(rasa)
    tents = carousel(shopper.say("show me tents"))
    assert len(tents) >= 3
    waiting = texts(shopper.say(_button(tents[0], "compare")))
    assert tents[0]["title"] in waiting
    comparison = shopper.say(_button(tents[2], "compare"))
    assert tents[0]["title"] in texts(comparison) and tents[2]["title"] in texts(comparison)
    assert [card["id"] for card in carousel(comparison)] == [tents[0]["id"], tents[2]["id"]]


def test_a_button_naming_an_unknown_product(rasa: httpx.Client) -> None:
    shopper = Shopper(rasa)
    answer = texts(shopper.say('/product_details{"product_id":"NO-SUCH-1"}'))
    assert answer in _variants("utter_product_not_found")


def test_typed_more_like_this_and_spanish_buttons(rasa: httpx.Client) -> None:
    shopper = Shopper(rasa)
    messages = shopper.say("busco zapatillas de running")
    payload = next(m["custom"] for m in messages if isinstance(m.get("custom"), dict))
    assert payload["language"] == "es"
    shoes = carousel(messages)
    assert [b["title"] for b in shoes[0]["buttons"]] == ["Detalles", "Más como este", "Comparar"]
    similar_messages = shopper.say("¿tienes algo parecido a la segunda?")
    assert shoes[1]["title"] in texts(similar_messages)
    assert shoes[1]["id"] not in [card["id"] for card in carousel(similar_messages)]
