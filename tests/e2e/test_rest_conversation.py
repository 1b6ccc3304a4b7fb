"""Multi-turn conversations through rasa's REST channel with the real action server."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
import yaml
from stack import ROOT, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


class Shopper:
    """One conversation over the REST channel."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.sender = f"e2e-{uuid.uuid4().hex}"

    def say(self, text: str) -> list[dict[str, Any]]:
        response = self.client.post(
            "/webhooks/rest/webhook", json={"sender": self.sender, "message": text}
        )
        response.raise_for_status()
        messages = response.json()
        assert isinstance(messages, list)
        return messages


def carousel(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The products of the one product_carousel payload among the messages."""
    payloads = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
    carousels = [p for p in payloads if p.get("type") == "product_carousel"]
    assert len(carousels) == 1, f"expected one carousel in {messages}"
    products = carousels[0]["products"]
    assert products, "the carousel is empty"
    return products


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages if m.get("text"))


def test_search_keeps_constraints_across_turns(rasa: httpx.Client) -> None:
    shopper = Shopper(rasa)
    assert texts(shopper.say("hi there"))

    shoes = carousel(shopper.say("I'm looking for running shoes"))
    assert all(p["category"] == "running shoes" for p in shoes)

    red = carousel(shopper.say("in red"))
    assert all(p["category"] == "running shoes" and "red" in p["colours"] for p in red)

    cheap = carousel(shopper.say("under 80 dollars"))
    assert all(
        p["category"] == "running shoes" and "red" in p["colours"] and p["price"] <= 80
        for p in cheap
    )

    cheaper_messages = shopper.say("cheaper")
    cheaper = carousel(cheaper_messages)
    assert max(p["price"] for p in cheaper) < max(p["price"] for p in cheap)
    assert all("red" in p["colours"] and p["category"] == "running shoes" for p in cheaper)

    details = shopper.say("the second one, in size 10?")
    answer = texts(details)
    assert cheaper[1]["title"] in answer
    assert "10" in answer


def test_details_and_compare_of_shown_products(rasa: httpx.Client) -> None:
    shopper = Shopper(rasa)
    tents = carousel(shopper.say("show me tents"))
    assert len(tents) >= 2
    assert tents[0]["title"] in texts(shopper.say("tell me more about the first one"))
    comparison = texts(shopper.say("compare the first and the second"))
    assert tents[0]["title"] in comparison and tents[1]["title"] in comparison


def test_order_questions_over_rest_ask_the_shopper_to_log_in(rasa: httpx.Client) -> None:
    """REST carries no verified identity: no order is shown, whatever id is typed."""
    scenarios = json.loads((ROOT / "profiles" / "seed" / "scenarios.json").read_text())
    order = next(o for o in scenarios["orders"] if o["status"] == "shipped")
    shopper = Shopper(rasa)
    asked = texts(shopper.say("where is my order?"))
    assert "log in" in asked.lower()
    answer = texts(shopper.say(f"where is order {order['order_id']}?"))
    assert "log in" in answer.lower()
    assert order["shipment"]["tracking_number"] not in answer


def test_a_very_long_message_gets_the_fallback_reply(rasa: httpx.Client) -> None:
    domain = yaml.safe_load((ROOT / "assistant" / "domain" / "conversation.yml").read_text())
    fallback_texts = {variant["text"] for variant in domain["responses"]["utter_default"]}
    reply = texts(Shopper(rasa).say("I need help " + "x" * 10_000))
    assert reply in fallback_texts


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🙂🙂🙂", "x" * 10_000, "<script>alert('x')</script> shoes", "<b>hello</b>"],
)
def test_odd_messages_get_a_sensible_reply(rasa: httpx.Client, text: str) -> None:
    messages = Shopper(rasa).say(text)
    assert messages, "no reply at all"
    for message in messages:
        body = json.dumps(message)
        assert "<script" not in body and "<b>" not in body


def test_http_api_refuses_calls_without_the_token(stack: Stack, rasa: httpx.Client) -> None:
    assert rasa.get("/conversations/somebody/tracker").status_code == 401
    ok = rasa.get("/conversations/somebody/tracker", params={"token": stack.token})
    assert ok.status_code == 200


def test_demo_shop_embeds_the_widget_with_the_rasa_url(stack: Stack) -> None:
    page = httpx.get(stack.config.web_url)
    assert page.status_code == 200 and 'class="card"' in page.text
    assert f'window.ShopAssistantConfig = {{"server":"{stack.config.rasa_url}"' in page.text
    assert f'<script src="{stack.config.console_url}/widget/widget.js"' in page.text
