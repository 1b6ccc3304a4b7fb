"""Order actions: the order-id form, track/cancel/change/return/refund, confirmations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from action_helpers import (
    check_renderable,
    load_fixture,
    response_names,
    run_action,
    slot_events,
    tracker_from,
)

from actions.clients.profiles import ProfileClient
from actions.orders import ActionOrderRequest, ValidateOrderForm
from actions.pending import ActionConfirmPending, ActionDeclinePending
from actions.runtime import Runtime, reset_runtime, set_runtime
from actions.settings import ActionSettings

pytestmark = pytest.mark.asyncio

REQUEST = ActionOrderRequest()
CONFIRM = ActionConfirmPending()
DECLINE = ActionDeclinePending()
_SCENARIOS = Path(__file__).resolve().parents[3] / "profiles" / "seed" / "scenarios.json"
#: Who owns each hand-written scenario order (the seeded profile service's data).
OWNERS: dict[str, str] = {
    o["order_id"]: o["customer_id"]
    for o in json.loads(_SCENARIOS.read_text(encoding="utf-8"))["orders"]
}


def verified(customer_id: str | None) -> dict[str, Any]:
    """Message metadata as the verified socket.io channel writes it."""
    if customer_id is None:
        return {"identity": {"verified": False}}
    return {"customer_id": customer_id, "identity": {"verified": True}}


def _state(fixture: str, **slots: Any) -> dict[str, Any]:
    state = load_fixture(fixture)
    state["slots"] = {**state["slots"], **slots}
    return state


async def _request(
    domain: dict[str, Any], order_id: str, request: str, **extra: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    state = _state("order_request", order_id=order_id, order_request=request)
    state["latest_message"]["metadata"] = extra.get("metadata", verified(OWNERS.get(order_id)))
    return await run_action(REQUEST, tracker_from(state), domain)


async def _confirm(
    action: Any, domain: dict[str, Any], pending: str, text: str = "yes"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    state = _state("order_confirm", pending_confirmation=pending)
    state["latest_message"]["text"] = text
    owner = OWNERS.get(pending.partition(":")[2]) if pending else None
    state["latest_message"]["metadata"] = verified(owner)
    return await run_action(action, tracker_from(state), domain)


# --- the form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it's #100234", "ORD-100234"),
        ("ord 100234", "ORD-100234"),
        ("ORD-100267", "ORD-100267"),
        ("100234", "ORD-100234"),
        ("order number 100301 please", "ORD-100301"),
    ],
)
async def test_form_normalises_order_ids(
    runtime: Runtime, domain: dict[str, Any], text: str, expected: str
) -> None:
    state = load_fixture("order_form_validation")
    state["latest_message"]["text"] = text
    state["events"][-1]["value"] = text
    events, messages = await run_action(ValidateOrderForm(), tracker_from(state), domain)
    assert slot_events(events)["order_id"] == expected
    assert messages == []


@pytest.mark.parametrize("text", ["12345", "my order from last week", "1002345", "#12-34"])
async def test_form_rejects_invalid_ids_and_asks_again(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any], text: str
) -> None:
    state = load_fixture("order_form_validation")
    state["latest_message"]["text"] = text
    state["events"][-1]["value"] = text
    events, messages = await run_action(ValidateOrderForm(), tracker_from(state), domain)
    check_renderable(messages, responses)
    assert slot_events(events) == {"order_id": None}
    assert response_names(messages) == ["utter_invalid_order_id"]


async def test_the_request_that_opens_the_form_is_not_called_invalid(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    state = load_fixture("order_form_validation")
    state["latest_message"]["text"] = "where is my order?"
    state["latest_message"]["intent"] = {"name": "track_order", "confidence": 0.99}
    state["events"][-1]["value"] = "where is my order?"
    events, messages = await run_action(ValidateOrderForm(), tracker_from(state), domain)
    assert slot_events(events) == {"order_id": None}
    assert messages == []


# --- track -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order_id", "response"),
    [
        ("ORD-100234", "utter_order_status_processing"),
        ("ORD-100246", "utter_order_status_processing"),
        ("ORD-100267", "utter_order_status_shipped"),
        ("ORD-100293", "utter_order_status_delivered"),
        ("ORD-100330", "utter_order_status_cancelled"),
        ("ORD-100343", "utter_order_status_returned"),
    ],
)
async def test_track(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    order_id: str,
    response: str,
) -> None:
    events, messages = await _request(domain, order_id, "track")
    check_renderable(messages, responses)
    assert events == []
    assert response_names(messages) == [response]
    assert messages[0]["order_id"] == order_id


async def test_track_shipped_names_carrier_tracking_and_eta(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    events, messages = await _request(domain, "ORD-100267", "track")
    message = messages[0]
    assert message["carrier"] == "DHL"
    assert message["tracking_number"].startswith("JD01")
    assert message["eta"] == "3 June 2025"
    assert message["tracking_url"].endswith(message["tracking_number"])


async def test_unknown_order_is_not_found_and_forgotten(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _request(domain, "ORD-999999", "track", metadata=verified("CUS-2001"))
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_order_not_found"]
    assert slot_events(events) == {"order_id": None}


async def test_someone_elses_order_is_not_found(runtime: Runtime, domain: dict[str, Any]) -> None:
    # ORD-100234 belongs to CUS-2001.
    assert OWNERS["ORD-100234"] == "CUS-2001"
    events, messages = await _request(domain, "ORD-100234", "track", metadata=verified("CUS-2002"))
    assert response_names(messages) == ["utter_order_not_found"]
    events, messages = await _request(domain, "ORD-100234", "track", metadata=verified("CUS-2001"))
    assert response_names(messages) == ["utter_order_status_processing"]


@pytest.mark.parametrize(
    "metadata",
    [
        {},
        {"customer_id": "CUS-2001"},  # claimed, not verified by the channel
        {"customer_id": "CUS-2001", "identity": {"verified": "yes"}},
    ],
)
@pytest.mark.parametrize("request_kind", ["track", "cancel", "return", "refund", "change"])
async def test_anonymous_shoppers_are_asked_to_log_in(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    metadata: dict[str, Any],
    request_kind: str,
) -> None:
    events, messages = await _request(domain, "ORD-100234", request_kind, metadata=metadata)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_login_required"]
    assert slot_events(events) == {"order_id": None}


async def test_an_anonymous_request_without_an_order_number_asks_to_log_in(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    events, messages = await _request(domain, None, "track", metadata={})  # type: ignore[arg-type]
    assert response_names(messages) == ["utter_login_required"]


async def test_a_verified_claim_from_another_channel_is_not_trusted(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    state = _state("order_request", order_id="ORD-100234", order_request="track")
    state["latest_message"]["metadata"] = verified("CUS-2001")
    state["latest_input_channel"] = "rest"
    events, messages = await run_action(REQUEST, tracker_from(state), domain)
    assert response_names(messages) == ["utter_login_required"]


async def test_the_form_asks_no_order_number_of_anonymous_shoppers(
    runtime: Runtime, domain: dict[str, Any]
) -> None:
    form = ValidateOrderForm()
    anonymous = tracker_from(_state("order_request", order_id=None, order_request="track"))
    assert await form.required_slots(["order_id"], None, anonymous, domain) == []
    state = _state("order_request", order_id=None, order_request="track")
    state["latest_message"]["metadata"] = verified("CUS-2001")
    assert await form.required_slots(["order_id"], None, tracker_from(state), domain) == [
        "order_id"
    ]


# --- cancel ----------------------------------------------------------------------------


async def test_cancel_asks_first_then_cancels_on_yes(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _request(domain, "ORD-100234", "cancel")
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_confirm_cancel"]
    pending = slot_events(events)["pending_confirmation"]
    assert pending == "cancel_order:ORD-100234"
    assert [b["payload"] for b in responses["utter_confirm_cancel"][0]["buttons"]] == [
        "/affirm",
        "/deny",
    ]
    order = await runtime.orders.get_order("ORD-100234", OWNERS["ORD-100234"])
    assert order is not None and order["status"] == "placed"  # nothing happened yet

    events, messages = await _confirm(CONFIRM, domain, pending)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_order_cancelled"]
    assert slot_events(events) == {"pending_confirmation": None}
    order = await runtime.orders.get_order("ORD-100234", OWNERS["ORD-100234"])
    assert order is not None and order["status"] == "cancelled"


async def test_cancelling_a_paid_order_mentions_the_refund(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _confirm(CONFIRM, domain, "cancel_order:ORD-100246")
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_order_cancelled_refund"]
    assert messages[0]["expected_by"] == "9 June 2025"


async def test_cancel_declined_keeps_the_order(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _confirm(DECLINE, domain, "cancel_order:ORD-100234", text="no")
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_cancel_kept"]
    assert slot_events(events) == {"pending_confirmation": None}
    order = await runtime.orders.get_order("ORD-100234", OWNERS["ORD-100234"])
    assert order is not None and order["status"] == "placed"


@pytest.mark.parametrize(
    ("order_id", "response"),
    [
        ("ORD-100267", "utter_cannot_cancel_shipped"),
        ("ORD-100293", "utter_cannot_cancel_delivered"),
        ("ORD-100330", "utter_already_cancelled"),
        ("ORD-100343", "utter_cannot_cancel_returned"),
    ],
)
async def test_cancel_explains_why_not(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    order_id: str,
    response: str,
) -> None:
    events, messages = await _request(domain, order_id, "cancel")
    check_renderable(messages, responses)
    assert response_names(messages) == [response]
    assert events == []


# --- change ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order_id", "response"),
    [
        ("ORD-100234", "utter_change_possible"),
        ("ORD-100251", "utter_change_possible"),
        ("ORD-100267", "utter_change_not_possible_shipped"),
        ("ORD-100293", "utter_change_not_possible_delivered"),
        ("ORD-100330", "utter_change_not_possible_closed"),
    ],
)
async def test_change_says_what_can_change(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    order_id: str,
    response: str,
) -> None:
    events, messages = await _request(domain, order_id, "change")
    check_renderable(messages, responses)
    assert response_names(messages) == [response]


# --- return ----------------------------------------------------------------------------


async def test_return_inside_the_window_asks_then_starts_with_the_reason(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _request(domain, "ORD-100293", "return")
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_confirm_return"]
    assert messages[0]["window_end"] == "26 June 2025"
    pending = slot_events(events)["pending_confirmation"]
    assert pending == "return_order:ORD-100293"

    events, messages = await _confirm(CONFIRM, domain, pending, "yes, they're too <b>small</b>")
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_return_started"]
    assert messages[0]["return_id"] == "RET-100293-1"
    order = await runtime.orders.get_order("ORD-100293", OWNERS["ORD-100293"])
    assert order is not None
    assert order["returns"][-1]["reason"] == "they're too small"


@pytest.mark.parametrize(
    ("order_id", "response"),
    [
        ("ORD-100314", "utter_return_outside_window"),
        ("ORD-100267", "utter_return_not_delivered"),
        ("ORD-100234", "utter_return_not_delivered"),
        ("ORD-100343", "utter_return_already_open"),
        ("ORD-100330", "utter_return_cancelled_order"),
    ],
)
async def test_return_explains_why_not(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    order_id: str,
    response: str,
) -> None:
    events, messages = await _request(domain, order_id, "return")
    check_renderable(messages, responses)
    assert response_names(messages) == [response]
    assert events == []


async def test_return_declined(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _confirm(DECLINE, domain, "return_order:ORD-100293", text="no")
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_return_not_started"]
    order = await runtime.orders.get_order("ORD-100293", OWNERS["ORD-100293"])
    assert order is not None and not order.get("returns")


# --- refund ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order_id", "response"),
    [
        ("ORD-100356", "utter_refund_processing"),
        ("ORD-100364", "utter_refund_completed"),
        ("ORD-100335", "utter_refund_completed"),
        ("ORD-100234", "utter_no_refund"),
    ],
)
async def test_refund_status(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    order_id: str,
    response: str,
) -> None:
    events, messages = await _request(domain, order_id, "refund")
    check_renderable(messages, responses)
    assert response_names(messages) == [response]


# --- confirmations with nothing pending ------------------------------------------------


async def test_yes_and_no_without_a_question(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    state = _state("order_confirm", pending_confirmation=None)
    events, messages = await run_action(CONFIRM, tracker_from(state), domain)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_nothing_pending"]
    events, messages = await run_action(DECLINE, tracker_from(state), domain)
    assert response_names(messages) == ["utter_ok_nothing_changed"]
    assert slot_events(events) == {"pending_confirmation": None}


# --- a failing orders service ----------------------------------------------------------


def _failing_transport(error: Exception) -> httpx.MockTransport:
    """The network under the profile client fails (the edge of the system, not our code)."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("error", "response"),
    [
        (httpx.ConnectError("connection refused"), "utter_orders_unavailable"),
        (httpx.ReadTimeout("timed out"), "utter_orders_unavailable"),
        (RuntimeError("bug with ORD-100234 and 14 Alder Street"), "utter_action_error"),
    ],
)
async def test_failing_client_gets_a_polite_answer(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    response: str,
) -> None:
    client = ProfileClient("http://profiles.test", "token", transport=_failing_transport(error))
    set_runtime(Runtime(ActionSettings(), catalog=runtime.catalog, profiles=client))
    try:
        for request in ("track", "cancel", "return", "refund"):
            events, messages = await _request(domain, "ORD-100234", request)
            check_renderable(messages, responses)
            assert response_names(messages) == [response]
            assert events == []
        events, messages = await _confirm(CONFIRM, domain, "cancel_order:ORD-100234")
        assert response_names(messages) == [response]
    finally:
        reset_runtime()
    # Logs name the failure but no personal data from the exception message.
    assert "Alder" not in caplog.text and "ORD-100234" not in caplog.text
