"""The messaging channels end to end: recorded webhooks into the real rasa, native formats out.

The stack's rasa runs with the four channels' credentials and their platform API addresses
pointing at :class:`tests.support.fake_platform.FakePlatform` (``messaging_platform`` in
``conftest.py``), the only thing replaced: the requests are the platforms' recorded webhook
payloads, signed the way each platform signs them, posted to rasa's
``/webhooks/<channel>/webhook``; the action server searches the real catalog; what the channels
send back arrives at the fake platform, where the tests read its format.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from stack import Stack
from test_handoff import AgentSession, key

from formats.cards import payload
from tests.support.fake_platform import CHANNEL_CREDENTIALS as CREDENTIALS
from tests.support.fake_platform import Call, FakePlatform
from tests.support.platform_payloads import (
    hub_signature,
    messenger_event,
    slack_event,
    slack_headers,
    telegram_update,
    twilio_form,
    twilio_signature,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SEARCH = "show me running shoes"
WAIT = 90.0  # the first message after start warms the model and the catalog search


def webhook(stack: Stack, channel: str) -> str:
    return f"{stack.config.rasa_url}/webhooks/{channel}/webhook"


def tracker(stack: Stack, conversation_id: str) -> dict[str, Any]:
    answer = httpx.get(
        f"{stack.config.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": stack.token},
        timeout=30,
    )
    answer.raise_for_status()
    return dict(answer.json())


def shown_carousel(stack: Stack, conversation_id: str) -> dict[str, Any]:
    """The last product carousel rasa sent in the conversation (from its tracker)."""
    for event in reversed(tracker(stack, conversation_id)["events"]):
        custom = (event.get("data") or {}).get("custom") if event["event"] == "bot" else None
        if isinstance(custom, dict) and custom.get("type") == "product_carousel":
            return custom
    raise AssertionError(f"no carousel in the conversation {conversation_id}")


def model_entities(stack: Stack) -> list[str]:
    """The entities of the domain rasa's loaded model was trained with."""
    answer = httpx.get(
        f"{stack.config.rasa_url}/domain",
        params={"token": stack.token},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    answer.raise_for_status()
    return [e if isinstance(e, str) else next(iter(e)) for e in answer.json()["entities"]]


# -- Telegram ----------------------------------------------------------------------------------


def telegram_post(stack: Stack, update: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        webhook(stack, "telegram"),
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": CREDENTIALS["TELEGRAM_SECRET_TOKEN"]},
        timeout=WAIT,
    )


def telegram_sent(platform: FakePlatform, chat_id: int) -> list[Call]:
    return [
        c
        for c in platform.of("telegram")
        if c.method in ("sendMessage", "sendPhoto") and c.field("chat_id") == str(chat_id)
    ]


def with_chat(update: dict[str, Any], chat_id: int) -> dict[str, Any]:
    update["message"]["chat"]["id"] = chat_id
    update["message"]["from"]["id"] = chat_id
    update["update_id"] = random.randrange(10**8)
    return update


def test_telegram_search_arrives_as_cards_with_inline_keyboards(
    stack: Stack, messaging_platform: FakePlatform
) -> None:
    chat_id = random.randrange(10**9, 2 * 10**9)
    answer = telegram_post(stack, with_chat(telegram_update(SEARCH), chat_id))
    assert (answer.status_code, answer.text) == (200, "success")

    def has_cards(_: list[Call]) -> bool:
        return any(c.field("reply_markup") for c in telegram_sent(messaging_platform, chat_id))

    messaging_platform.wait_for(has_cards, WAIT)
    cards = [c for c in telegram_sent(messaging_platform, chat_id) if c.field("reply_markup")]
    products = shown_carousel(stack, str(chat_id))["products"]
    assert len(cards) == len(products)
    first = cards[0]
    assert first.field("text").startswith(f"1. {products[0]['title']}")
    assert first.json_field("reply_markup") == {
        "inline_keyboard": [
            [
                {"text": "Details", "callback_data": payload("details", products[0]["id"])},
                {"text": "More like this", "callback_data": payload("similar", products[0]["id"])},
                {"text": "Compare", "callback_data": payload("compare", products[0]["id"])},
            ]
        ]
    }


def test_telegram_without_the_secret_token_is_refused(stack: Stack) -> None:
    answer = httpx.post(webhook(stack, "telegram"), json=telegram_update("hi"), timeout=30)
    assert answer.status_code == 403


def test_an_agent_reply_from_the_console_reaches_the_telegram_shopper(
    stack: Stack, messaging_platform: FakePlatform
) -> None:
    chat_id = random.randrange(2 * 10**9, 3 * 10**9)
    assert telegram_post(stack, with_chat(telegram_update(SEARCH), chat_id)).status_code == 200
    update = with_chat(telegram_update("I want to talk to a human"), chat_id)
    assert telegram_post(stack, update).status_code == 200

    agent = AgentSession(stack.config.console_url, *stack.console_admin)
    try:
        case = agent.case_of(str(chat_id))
        assert case["channel"] == "telegram"
        assert agent.post(f"/cases/{case['case_id']}/claim").status_code == 200
        sent = agent.post(
            f"/cases/{case['case_id']}/reply",
            {"text": "Hi, I'm Sam from the shop.", "idempotency_key": key()},
        )
        assert sent.status_code == 201, sent.text
    finally:
        agent.close()

    def replied(_: list[Call]) -> bool:
        return any(
            (c.field("text") or "").endswith("Hi, I'm Sam from the shop.")
            for c in telegram_sent(messaging_platform, chat_id)
        )

    messaging_platform.wait_for(replied, 30)
    (reply,) = [
        c
        for c in telegram_sent(messaging_platform, chat_id)
        if (c.field("text") or "").endswith("Hi, I'm Sam from the shop.")
    ]
    name, _, text = reply.field("text").partition(": ")
    assert name and text == "Hi, I'm Sam from the shop."  # marked as written by a person


# -- Slack -------------------------------------------------------------------------------------


def test_slack_search_arrives_as_blocks_with_buttons(
    stack: Stack, messaging_platform: FakePlatform
) -> None:
    user, channel = f"U{uuid.uuid4().hex[:10].upper()}", f"D{uuid.uuid4().hex[:10].upper()}"
    body = json.dumps(slack_event(SEARCH, user=user, channel=channel)).encode()
    headers = {
        "Content-Type": "application/json",
        **slack_headers(CREDENTIALS["SLACK_SIGNING_SECRET"], body),
    }
    assert httpx.post(webhook(stack, "slack"), content=body, headers=headers).status_code == 200

    def posted(calls: list[Call]) -> list[Call]:
        return [
            c
            for c in calls
            if c.platform == "slack" and c.body.get("channel") == channel and c.body.get("blocks")
        ]

    calls = messaging_platform.wait_for(lambda calls: bool(posted(calls)), WAIT)
    blocks = posted(calls)[0].body["blocks"]
    products = shown_carousel(stack, user)["products"]
    values = [e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert values[:3] == [
        payload("details", products[0]["id"]),
        payload("similar", products[0]["id"]),
        payload("compare", products[0]["id"]),
    ]
    assert blocks[0]["type"] == "section" and products[0]["title"] in blocks[0]["text"]["text"]

    forged = {**headers, "X-Slack-Signature": "v0=" + "0" * 64}
    assert httpx.post(webhook(stack, "slack"), content=body, headers=forged).status_code == 400


# -- Messenger ---------------------------------------------------------------------------------


def test_messenger_search_arrives_as_a_generic_template(
    stack: Stack, messaging_platform: FakePlatform
) -> None:
    psid = str(random.randrange(10**15, 10**16))
    body = json.dumps(messenger_event(SEARCH, psid=psid)).encode()
    headers = {
        "Content-Type": "application/json",
        **hub_signature(CREDENTIALS["FACEBOOK_SECRET"], body),
    }
    answer = httpx.post(webhook(stack, "facebook"), content=body, headers=headers, timeout=WAIT)
    assert (answer.status_code, answer.text) == (200, "success")

    def templates(calls: list[Call]) -> list[dict[str, Any]]:
        return [
            c.body["message"]["attachment"]["payload"]
            for c in calls
            if c.platform == "facebook"
            and c.body.get("recipient", {}).get("id") == psid
            and "attachment" in c.body.get("message", {})
        ]

    template = templates(messaging_platform.wait_for(lambda c: bool(templates(c)), WAIT))[0]
    products = shown_carousel(stack, psid)["products"]
    assert template["template_type"] == "generic"
    assert [e["title"] for e in template["elements"]] == [p["title"][:80] for p in products][:10]
    assert template["elements"][0]["buttons"][0] == {
        "type": "postback",
        "title": "Details",
        "payload": payload("details", products[0]["id"]),
    }

    forged = {**headers, "X-Hub-Signature-256": "sha256=" + "0" * 64}
    assert httpx.post(webhook(stack, "facebook"), content=body, headers=forged).status_code == 403


# -- Twilio (WhatsApp) -------------------------------------------------------------------------


def twilio_post(stack: Stack, sender: str, text: str) -> httpx.Response:
    form = twilio_form(text, sender)
    url = webhook(stack, "twilio")
    signature = twilio_signature(CREDENTIALS["TWILIO_AUTH_TOKEN"], url, form)
    return httpx.post(
        url,
        content=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
        timeout=WAIT,
    )


def twilio_bodies(platform: FakePlatform, sender: str) -> list[str]:
    return [c.field("Body") or "" for c in platform.of("twilio") if c.field("To") == sender]


def test_whatsapp_search_is_a_numbered_list_and_2_picks_product_2(
    stack: Stack, messaging_platform: FakePlatform
) -> None:
    sender = f"whatsapp:+1555{random.randrange(10**6, 10**7)}"
    assert twilio_post(stack, sender, SEARCH).status_code == 204

    def listed(_: list[Call]) -> bool:
        return any(b.startswith("1. ") for b in twilio_bodies(messaging_platform, sender))

    messaging_platform.wait_for(listed, WAIT)
    products = shown_carousel(stack, sender)["products"]
    assert len(products) >= 2
    (listing,) = [b for b in twilio_bodies(messaging_platform, sender) if b.startswith("1. ")]
    assert listing.startswith(f"1. {products[0]['title']}")
    assert f"\n2. {products[1]['title']}" in listing
    assert listing.endswith("Reply with a number to see that product.")

    before = len(twilio_bodies(messaging_platform, sender))
    assert twilio_post(stack, sender, "2").status_code == 204
    latest = [e for e in tracker(stack, sender)["events"] if e["event"] == "user"][-1]
    assert latest["text"] == payload("details", products[1]["id"])
    assert latest["parse_data"]["intent"]["name"] == "product_details"

    if "product_id" not in model_entities(stack):
        pytest.xfail("the trained model predates the product_id entity: retrain (make train)")

    def details() -> str:
        return "\n".join(twilio_bodies(messaging_platform, sender)[before:])

    try:
        messaging_platform.wait_for(lambda _: products[1]["title"] in details(), WAIT)
    except AssertionError:
        raise AssertionError(f"no details of {products[1]['title']!r}: {details()!r}") from None


def test_whatsapp_forged_signature_is_refused(stack: Stack) -> None:
    form = twilio_form("hi", "whatsapp:+15550000000")
    answer = httpx.post(
        webhook(stack, "twilio"),
        content=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl",
        },
    )
    assert answer.status_code == 403
