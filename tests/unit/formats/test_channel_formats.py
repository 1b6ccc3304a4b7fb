"""Channel-aware rendering: the carousel, buttons and agent replies in each channel's format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from formats import messenger, slack, telegram, twilio
from formats.cards import card_buttons, payload
from formats.message import (
    agent_name,
    card_facts,
    card_options,
    public_image,
    public_url,
)
from formats.text import chosen_payload, options_of

BASE = "https://shop.example"


def card(product_id: str, title: str, **extra: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": product_id,
        "title": title,
        "brand": "Trailforge",
        "price": 89.0,
        "currency": "USD",
        "price_text": "$89",
        "rating": 4.6,
        "review_count": 120,
        "in_stock": True,
        "image_url": "/static/products/running-shoes.svg",
        "url": f"/products/{product_id}",
        "colours_in_stock": ["red"],
        "sizes_in_stock": ["9", "10"],
    }
    value.update(extra)
    return value


def carousel(*cards: dict[str, Any], language: str = "en") -> dict[str, Any]:
    return {"type": "product_carousel", "language": language, "products": list(cards)}


SHOES = carousel(
    card("P1", "Fastpack Pro", buttons=card_buttons("P1", "en")),
    card("P2", "Tempo Racer", image_url="https://cdn.shop.example/tempo.jpg", reason="size 10"),
)
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
HOSTILE = "<b>hi</b> <script>alert(1)</script> <!channel> & more"


# -- shared pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://cdn.example/a.png", "https://cdn.example/a.png"),
        ("https://cdn.example/a.JPG", "https://cdn.example/a.JPG"),
        ("/static/a.png", "https://shop.example/static/a.png"),
        ("http://cdn.example/a.png", None),  # platforms want https
        ("https://cdn.example/a.svg", None),  # not a raster image
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_public_image(url: Any, expected: str | None) -> None:
    assert public_image(url, BASE) == expected


def test_relative_links_need_the_shop_address() -> None:
    assert public_url("/products/P1") is None
    assert public_url("/products/P1", BASE) == "https://shop.example/products/P1"
    assert public_url("data:text/html,x", BASE) is None


def test_card_facts_and_labels_follow_the_language() -> None:
    assert card_facts(card("P1", "x"), "en") == "$89 · ★ 4.6 (120) · In stock"
    assert card_facts(card("P1", "x", in_stock=False), "de") == "$89 · ★ 4.6 (120) · Nicht vorrätig"
    assert [b["title"] for b in card_options(card("P1", "x"), "es")] == [
        "Detalles",
        "Más como este",
        "Comparar",
    ]
    own = [{"kind": "details", "title": "Voir", "payload": payload("details", "P1")}]
    assert card_options(card("P1", "x", buttons=own), "en") == own


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ({"text": "x", "agent": "Alice"}, "Alice"),
        ({"text": "x", "agent": {"name": "Bob"}}, "Bob"),
        ({"text": "x", "agent": "  "}, None),
        ({"text": "x"}, None),
    ],
)
def test_agent_name(message: dict[str, Any], name: str | None) -> None:
    assert agent_name(message) == name


def test_the_carousel_numbering_matches_what_a_number_picks() -> None:
    offered = options_of({"custom": SHOES})
    assert chosen_payload("2", offered) == payload("details", "P2")


# -- Telegram --------------------------------------------------------------------------------


def test_telegram_carousel_is_one_message_per_card_with_its_keyboard() -> None:
    calls = telegram.render({"text": "Here are two", "custom": SHOES}, BASE)
    assert [c["method"] for c in calls] == ["sendMessage", "sendMessage", "sendPhoto"]
    assert calls[0] == {"method": "sendMessage", "text": "Here are two"}
    first = calls[1]
    assert first["text"] == (
        "1. Fastpack Pro (Trailforge)\n$89 · ★ 4.6 (120) · In stock\n"
        "https://shop.example/products/P1"
    )
    assert first["reply_markup"]["inline_keyboard"] == [
        [
            {"text": "Details", "callback_data": payload("details", "P1")},
            {"text": "More like this", "callback_data": payload("similar", "P1")},
            {"text": "Compare", "callback_data": payload("compare", "P1")},
        ]
    ]
    assert calls[2]["photo"] == "https://cdn.shop.example/tempo.jpg"
    assert calls[2]["caption"].startswith("2. Tempo Racer (Trailforge)")
    assert "(size 10)" in calls[2]["caption"]


def test_telegram_buttons_one_per_row_and_too_long_payloads_left_out() -> None:
    long_payload = "/inform" + json.dumps({"note": "x" * 80})
    calls = telegram.render(
        {"text": "Pick", "buttons": [*YES_NO, {"title": "Long", "payload": long_payload}]}
    )
    assert calls == [
        {
            "method": "sendMessage",
            "text": "Pick",
            "reply_markup": {
                "inline_keyboard": [
                    [{"text": "Yes", "callback_data": "/affirm"}],
                    [{"text": "No", "callback_data": "/deny"}],
                ]
            },
        }
    ]


def test_telegram_agent_text_is_plain_and_named() -> None:
    (call,) = telegram.render({"text": HOSTILE, "agent": "Alice"})
    assert call == {"method": "sendMessage", "text": f"Alice: {HOSTILE}"}  # no parse_mode


def test_telegram_spanish_carousel_uses_the_spanish_labels() -> None:
    calls = telegram.render({"custom": carousel(card("P1", "Zapatilla"), language="es")})
    keys = calls[0]["reply_markup"]["inline_keyboard"][0]
    assert [k["text"] for k in keys] == ["Detalles", "Más como este", "Comparar"]
    assert "Disponible" in calls[0]["text"]


def test_telegram_caps_the_carousel_at_ten_cards() -> None:
    many = carousel(*(card(f"P{i}", f"Shoe {i}") for i in range(14)))
    assert len(telegram.render({"custom": many})) == 10


def test_telegram_other_custom_payloads_pass_through() -> None:
    location = {"method": "sendLocation", "latitude": 1.0, "longitude": 2.0}
    assert telegram.render({"custom": location}) == [location]
    assert telegram.render({"custom": {"text": "raw"}}) == [
        {"method": "sendMessage", "text": "raw"}
    ]


# -- Slack -----------------------------------------------------------------------------------


def test_slack_carousel_blocks() -> None:
    (call,) = slack.render({"text": "Two matches", "custom": SHOES}, BASE)
    blocks = call["blocks"]
    assert [b["type"] for b in blocks] == [
        "section",
        "divider",
        "section",
        "actions",
        "divider",
        "section",
        "context",
        "actions",
    ]
    assert blocks[2]["text"]["text"] == (
        "*1. <https://shop.example/products/P1|Fastpack Pro>*\nTrailforge\n"
        "$89 · ★ 4.6 (120) · In stock"
    )
    assert blocks[5]["accessory"]["image_url"] == "https://cdn.shop.example/tempo.jpg"
    assert blocks[3]["elements"][0] == {
        "type": "button",
        "text": {"type": "plain_text", "text": "Details"},
        "action_id": "card1-1",
        "value": payload("details", "P1"),
    }
    action_ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(action_ids) == len(set(action_ids)) == 6
    assert call["text"].startswith("Two matches\n1. Fastpack Pro (Trailforge) - $89")


def test_slack_escapes_what_it_shows() -> None:
    (call,) = slack.render({"text": HOSTILE})
    assert call == {
        "text": "&lt;b&gt;hi&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; "
        "&lt;!channel&gt; &amp; more"
    }
    (titled,) = slack.render({"custom": carousel(card("P1", "<!here> deal"))})
    assert "&lt;!here&gt; deal" in titled["blocks"][0]["text"]["text"]


def test_slack_buttons_carry_their_payloads_and_agents_get_a_name_line() -> None:
    (call,) = slack.render({"text": "Helpful?", "buttons": YES_NO, "agent": "Alice"})
    assert call["text"] == "Alice: Helpful?"
    assert call["blocks"][0] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "*Alice*"}],
    }
    assert [e["value"] for e in call["blocks"][2]["elements"]] == ["/affirm", "/deny"]


# -- Messenger -------------------------------------------------------------------------------


def test_messenger_generic_template() -> None:
    text, template = messenger.render({"text": "Two matches", "custom": SHOES}, BASE)
    assert text == {"text": "Two matches"}
    payload_ = template["attachment"]["payload"]
    assert payload_["template_type"] == "generic"
    first, second = payload_["elements"]
    assert first["title"] == "Fastpack Pro"
    assert first["subtitle"] == "Trailforge · $89 · ★ 4.6 (120) · In stock"
    assert "image_url" not in first  # the SVG cannot be shown
    assert first["default_action"] == {
        "type": "web_url",
        "url": "https://shop.example/products/P1",
    }
    assert [b["payload"] for b in first["buttons"]] == [
        payload("details", "P1"),
        payload("similar", "P1"),
        payload("compare", "P1"),
    ]
    assert second["image_url"] == "https://cdn.shop.example/tempo.jpg"


def test_messenger_limits_elements_titles_and_buttons() -> None:
    many = carousel(*(card(f"P{i}", "T" * 120) for i in range(12)), language="fr")
    (template,) = messenger.render({"custom": many})
    elements = template["attachment"]["payload"]["elements"]
    assert len(elements) == 10
    assert all(len(e["title"]) <= 80 and len(e["subtitle"]) <= 80 for e in elements)
    assert all(len(b["title"]) <= 20 for e in elements for b in e["buttons"])
    assert [b["title"] for b in elements[0]["buttons"]] == [
        "Détails",
        "Articles similaires",
        "Comparer",
    ]


def test_messenger_buttons_template_or_quick_replies() -> None:
    (few,) = messenger.render({"text": "Helpful?", "buttons": YES_NO})
    assert few["attachment"]["payload"]["template_type"] == "button"
    sizes = [{"title": str(s), "payload": f'/inform{{"size":"{s}"}}'} for s in range(5, 11)]
    (more,) = messenger.render({"text": "Which size?", "buttons": sizes})
    assert more["text"] == "Which size?"
    assert [q["title"] for q in more["quick_replies"]] == ["5", "6", "7", "8", "9", "10"]


def test_messenger_agent_text_and_long_text_split() -> None:
    assert messenger.render({"text": "On it", "agent": "Alice"}) == [{"text": "Alice: On it"}]
    parts = messenger.render({"text": "\n".join(["word " * 30] * 30)})
    assert len(parts) > 1 and all(len(p["text"]) <= 2000 for p in parts)


# -- Twilio (WhatsApp, SMS) ------------------------------------------------------------------


def test_twilio_carousel_is_a_numbered_list_with_a_hint() -> None:
    (call,) = twilio.render({"text": "Two matches", "custom": SHOES}, BASE)
    assert call == {
        "Body": "Two matches\n\n"
        "1. Fastpack Pro (Trailforge) - $89\n"
        "   red | 9, 10\n"
        "   https://shop.example/products/P1\n"
        "2. Tempo Racer (Trailforge) - $89\n"
        "   (size 10)\n"
        "   red | 9, 10\n"
        "   https://shop.example/products/P2\n\n"
        "Reply with a number to see that product."
    }


def test_twilio_hint_follows_the_carousel_language() -> None:
    (call,) = twilio.render({"custom": carousel(card("P1", "Schuh"), language="de")})
    assert call["Body"].endswith("Antworte mit einer Nummer, um den Artikel zu sehen.")


def test_twilio_buttons_are_numbered_in_one_message() -> None:
    assert twilio.render({"text": "Helpful?", "buttons": YES_NO, "agent": "Alice"}) == [
        {"Body": "Alice: Helpful?\n1. Yes\n2. No"}
    ]


def test_twilio_splits_long_bodies_at_line_breaks() -> None:
    many = carousel(*(card(f"P{i}", "A very long product title " * 6) for i in range(10)))
    calls = twilio.render({"custom": many})
    assert len(calls) > 1
    assert all(len(c["Body"]) <= twilio.MAX_BODY for c in calls)
    assert calls[0]["Body"].startswith("1. ")


def test_twilio_media_only_for_https() -> None:
    assert twilio.render({"image": "https://cdn.example/a.png"}) == [
        {"MediaUrl": ["https://cdn.example/a.png"]}
    ]
    assert twilio.render({"image": "http://cdn.example/a.png"}) == []
