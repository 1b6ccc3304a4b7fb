"""Identity, consent, personalised results with reasons, opt-out, access and erasure.

Against the real profile service app (seeded demo customers) through the runtime's client:
CUS-1001 consented, CUS-1005 was never asked, CUS-1006 refused.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from action_helpers import Conversation, check_renderable, response_names, run_action, slot_events

from actions.clients.profiles import ProfileClient
from actions.identity import IdentityResolver
from actions.pending import ActionConfirmPending, ActionDeclinePending
from actions.personalise import render_reason
from actions.privacy import ActionPrivacyAccess, ActionPrivacyDelete, ActionPrivacyOptOut
from actions.recommend import ActionRecommend
from actions.runtime import Runtime, reset_runtime, set_runtime
from actions.search import ActionSearchProducts
from personalisation.reasons import REASON_CODES, Reason

pytestmark = pytest.mark.asyncio

SEARCH = ActionSearchProducts()
RECOMMEND = ActionRecommend()
CONFIRM = ActionConfirmPending()
DECLINE = ActionDeclinePending()


def verified(customer_id: str) -> dict[str, Any]:
    return {"customer_id": customer_id, "identity": {"verified": True}}


def shopper(domain: dict[str, Any], customer_id: str | None, channel: str = "socketio") -> Any:
    conversation = Conversation(domain, channel=channel)
    conversation.metadata = verified(customer_id) if customer_id else {}  # type: ignore[attr-defined]
    return conversation


def say(conversation: Any, text: str, intent: str, **extra: Any) -> None:
    conversation.user({"text": text, "intent": intent, "metadata": conversation.metadata, **extra})


RUNNING = {"entities": [{"entity": "category", "value": "running shoes"}]}


def carousel(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cards = [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"]]
    assert len(cards) == 1, messages
    products: list[dict[str, Any]] = cards[0]["products"]
    return products


# --- identity ----------------------------------------------------------------------------


async def test_identity_trusts_only_verified_channels_and_linked_platform_ids(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    resolver = IdentityResolver(runtime.profiles)

    def tracker(channel: str, metadata: dict[str, Any], sender: str = "s-1") -> Any:
        conversation = Conversation(domain, channel=channel)
        conversation.user({"text": "hi", "intent": "greet", "metadata": metadata})
        built = conversation.tracker()
        built.sender_id = sender
        return built

    assert await resolver.customer_id(tracker("socketio", verified("CUS-1001"))) == "CUS-1001"
    assert await resolver.customer_id(tracker("socketio", {"customer_id": "CUS-1001"})) is None
    assert await resolver.customer_id(tracker("rest", verified("CUS-1001"))) is None
    # a platform-authenticated id linked in the profile service (seeded link)
    assert await resolver.customer_id(tracker("telegram", {}, sender="100200300")) == "CUS-1001"
    assert await resolver.customer_id(tracker("telegram", {}, sender="999")) is None
    # the same platform id on another channel name is no link
    assert await resolver.customer_id(tracker("slack", {}, sender="100200300")) is None
    await resolver.settle()
    summary = await runtime.profiles.summary("CUS-1001")
    assert summary is not None and summary["conversations"] >= 2  # recorded for erasure


# --- consent -----------------------------------------------------------------------------


async def test_consent_is_asked_once_after_the_first_results(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    chat = shopper(domain, "CUS-1005")
    say(chat, "running shoes", "search_product", **RUNNING)
    events, messages = await chat.run(SEARCH)
    check_renderable(messages, responses)
    assert "utter_ask_personalisation_consent" in response_names(messages)
    assert slot_events(events)["pending_confirmation"] == "consent:personalisation"
    assert not any("reason" in p for p in carousel(messages))
    say(chat, "yes", "affirm")
    events, messages = await chat.run(CONFIRM)
    assert response_names(messages) == ["utter_consent_granted"]
    customer = await runtime.profiles.get_customer("CUS-1005")
    assert customer is not None
    assert customer["consent"]["personalisation"]["granted"] is True
    assert customer["consent"]["personalisation"]["updated_at"]
    say(chat, "running shoes again", "search_product", **RUNNING)
    events, messages = await chat.run(SEARCH)
    assert "utter_ask_personalisation_consent" not in response_names(messages)
    products = carousel(messages)
    assert products and all(p.get("reason") for p in products)


async def test_no_to_the_consent_question_is_stored_and_never_asked_again(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    chat = shopper(domain, "CUS-1005")
    say(chat, "running shoes", "search_product", **RUNNING)
    await chat.run(SEARCH)
    say(chat, "no thanks", "deny")
    events, messages = await chat.run(DECLINE)
    assert response_names(messages) == ["utter_consent_declined"]
    customer = await runtime.profiles.get_customer("CUS-1005")
    assert customer is not None and customer["consent"]["personalisation"]["granted"] is False
    fresh = shopper(domain, "CUS-1005")  # a new conversation
    say(fresh, "running shoes", "search_product", **RUNNING)
    events, messages = await fresh.run(SEARCH)
    assert "utter_ask_personalisation_consent" not in response_names(messages)
    assert not any("reason" in p for p in carousel(messages))


@pytest.mark.parametrize("customer", [None, "CUS-1001", "CUS-1006"])
async def test_no_question_for_anonymous_or_answered_customers(
    runtime: Runtime, domain: dict[str, Any], customer: str | None
) -> None:
    chat = shopper(domain, customer)
    say(chat, "running shoes", "search_product", **RUNNING)
    events, messages = await chat.run(SEARCH)
    assert "utter_ask_personalisation_consent" not in response_names(messages)
    assert "pending_confirmation" not in slot_events(events)


# --- personalised results ------------------------------------------------------------------


async def test_consented_results_carry_a_reason_each_and_opt_out_stops_it_next_turn(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    chat = shopper(domain, "CUS-1001")
    say(chat, "running shoes", "search_product", **RUNNING)
    events, messages = await chat.run(SEARCH)
    products = carousel(messages)
    assert products and all(p.get("reason") for p in products)
    say(chat, "which of them do you recommend", "recommend")
    events, messages = await chat.run(RECOMMEND)
    assert response_names(messages) == ["utter_recommendations"]  # under the constraints
    assert all(p.get("reason") for p in carousel(messages))
    fresh = shopper(domain, "CUS-1001")
    say(fresh, "recommend me something", "recommend")
    events, messages = await fresh.run(RECOMMEND)
    assert response_names(messages) == ["utter_recommendations_for_you"]  # from the profile
    assert all(p.get("reason") for p in carousel(messages))
    say(chat, "stop personalising", "privacy_opt_out")
    events, messages = await chat.run(ActionPrivacyOptOut())
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_privacy_opted_out"]
    say(chat, "running shoes", "search_product", **RUNNING)
    events, messages = await chat.run(SEARCH)
    assert not any("reason" in p for p in carousel(messages))
    say(fresh, "recommend me something", "recommend")
    events, messages = await fresh.run(RECOMMEND)
    assert response_names(messages) == ["utter_best_sellers"]
    assert not any("reason" in p for p in carousel(messages))


async def test_hard_filters_win_over_personal_boosts(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    chat = shopper(domain, "CUS-1001")
    red_running = {
        "entities": [
            {"entity": "category", "value": "running shoes"},
            {"entity": "colour", "value": "red"},
        ]
    }
    say(chat, "red running shoes", "search_product", **red_running)
    events, messages = await chat.run(SEARCH)
    for product in carousel(messages):
        assert product["category"] == "running shoes"
        assert "red" in product["colours_in_stock"]


async def test_reasons_render_in_every_language(runtime: Runtime) -> None:
    samples = {
        "size": "M",
        "brand": "Trailforge",
        "category": "running shoes",
        "title": "Swift Road Runner",
    }
    for language in ("en", "es", "de", "fr"):
        phrases = runtime.phrases.for_language(language)
        for code, params in REASON_CODES.items():
            text = render_reason(Reason(code, {p: samples[p] for p in params}), phrases)
            assert text and "{" not in text and code not in text, (language, code)
    german = runtime.phrases.for_language("de")
    assert render_reason(Reason("usual_size", {"size": "M"}), german) == (
        "in deiner üblichen Größe M"
    )


async def test_a_down_profile_service_degrades_quietly(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    down = ProfileClient("http://profiles.test", "t", transport=httpx.MockTransport(refuse))
    set_runtime(Runtime(runtime.settings, catalog=runtime.catalog, profiles=down))
    try:
        chat = shopper(domain, "CUS-1001")
        say(chat, "running shoes", "search_product", **RUNNING)
        events, messages = await chat.run(SEARCH)
        assert carousel(messages) and response_names(messages) == ["utter_search_results"]
        for action in (ActionPrivacyAccess(), ActionPrivacyOptOut(), ActionPrivacyDelete()):
            say(chat, "privacy", "privacy_access")
            events, messages = await chat.run(action)
            check_renderable(messages, responses)
            assert response_names(messages) == ["utter_privacy_unavailable"]
            assert events == []
    finally:
        reset_runtime()


# --- access and erasure --------------------------------------------------------------------


async def test_access_shows_the_profile_order_count_and_consent(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    chat = shopper(domain, "CUS-1001")
    say(chat, "what do you know about me", "privacy_access")
    events, messages = await chat.run(ActionPrivacyAccess())
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_privacy_access_profile"]
    customer = await runtime.profiles.get_customer("CUS-1001")
    summary = await runtime.profiles.summary("CUS-1001")
    assert customer is not None and summary is not None
    message = messages[0]
    assert message["email"] == customer["email"] and message["name"] == customer["name"]
    assert message["order_count"] == summary["order_count"] > 0
    assert message["consent_state"] == "on" and message["consent_date"] != "-"
    spanish = shopper(domain, "CUS-1001")
    say(spanish, "qué sabes de mí", "privacy_access", language="es")
    events, messages = await spanish.run(ActionPrivacyAccess())
    assert messages[0]["consent_state"] == "activada"


@pytest.mark.parametrize(
    ("action", "response"),
    [
        (ActionPrivacyAccess(), "utter_privacy_access_anonymous"),
        (ActionPrivacyOptOut(), "utter_privacy_opt_out_anonymous"),
        (ActionPrivacyDelete(), "utter_confirm_erasure_anonymous"),
    ],
)
async def test_anonymous_privacy_requests_explain_what_is_kept(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any], action: Any, response: str
) -> None:
    chat = shopper(domain, None)
    say(chat, "privacy", "privacy_access")
    events, messages = await chat.run(action)
    check_renderable(messages, responses)
    assert response_names(messages) == [response]


async def test_erasure_needs_a_yes_then_erases_everywhere(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    await runtime.profiles.record_conversation("CUS-1002", "old-conversation", "socketio")
    chat = shopper(domain, "CUS-1002")
    say(chat, "delete my data", "privacy_delete")
    events, messages = await chat.run(ActionPrivacyDelete())
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_confirm_erasure"]
    assert slot_events(events)["pending_confirmation"] == "erase_data:customer"
    say(chat, "no", "deny")
    events, messages = await chat.run(DECLINE)
    assert response_names(messages) == ["utter_erasure_kept"]
    assert await runtime.profiles.get_customer("CUS-1002") is not None

    say(chat, "delete my data", "privacy_delete")
    await chat.run(ActionPrivacyDelete())
    say(chat, "yes", "affirm")
    events, messages = await chat.run(CONFIRM)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_erasure_done"]
    assert messages[0]["channel_links"] >= 1  # CUS-1002 has seeded slack and whatsapp links
    assert messages[0]["orders"] >= 1
    marker = slot_events(events)["privacy_erasure"]
    assert "old-conversation" in marker["conversations"]
    assert await runtime.profiles.get_customer("CUS-1002") is None
    assert await runtime.profiles.customer_for_channel("slack", "U04DEMO1002") is None


async def test_anonymous_erasure_erases_this_conversation(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    chat = shopper(domain, None)
    say(chat, "delete my data", "privacy_delete")
    await chat.run(ActionPrivacyDelete())
    say(chat, "yes", "affirm")
    events, messages = await chat.run(CONFIRM)
    assert response_names(messages) == ["utter_erasure_done_anonymous"]
    assert slot_events(events)["privacy_erasure"]["conversations"] == []


async def test_run_action_helper_is_used_with_fresh_dispatchers(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    chat = shopper(domain, "CUS-1001")
    say(chat, "what do you know about me", "privacy_access")
    first = await run_action(ActionPrivacyAccess(), chat.tracker(), domain)
    second = await run_action(ActionPrivacyAccess(), chat.tracker(), domain)
    assert first == second


async def test_the_order_history_is_prefetched_only_with_consent(runtime: Runtime) -> None:
    store = runtime.personal
    for customer in ("CUS-1001", "CUS-1006", "CUS-9999"):
        store.prefetch(customer)
    store.prefetch(None)
    await store.settle()
    assert store.cached_customers() == {"CUS-1001"}  # CUS-1006 refused, CUS-9999 unknown
    store.forget("CUS-1001")
    assert store.cached_customers() == set()
