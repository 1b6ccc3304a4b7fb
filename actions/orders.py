"""Order conversations: the order-id form, and track / cancel / change / return / refund.

Cancelling and returning change an order, so both first ask for confirmation: the
action sets ``pending_confirmation`` to ``cancel_order:<id>`` or ``return_order:<id>``
and ``action_confirm_pending`` / ``action_decline_pending`` (``actions.pending``) carry
it out or drop it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction, report_failure
from actions.clients.orders import OrdersClientError
from actions.entities import normalise_order_id
from actions.phrases import LanguagePhrases
from actions.rendering import format_price
from actions.runtime import get_runtime
from contracts.order_rules import can_cancel, changeable_fields, return_eligibility
from contracts.profiles import Order
from formats.text import join_values

__all__ = [
    "ValidateOrderForm",
    "ActionOrderRequest",
    "CANCEL_PREFIX",
    "RETURN_PREFIX",
    "format_date",
    "order_items",
]

CANCEL_PREFIX = "cancel_order:"
RETURN_PREFIX = "return_order:"


def format_date(value: str | None, phrases: LanguagePhrases) -> str:
    """An ISO date written out in the shopper's language ("5 June 2025", "5. Juni 2025").

    Args:
        value: ``YYYY-MM-DD`` (a longer ISO timestamp is cut to its date).
        phrases: The fragments of the shopper's language.

    Returns:
        The date for humans, or "-" when missing or unreadable.
    """
    if not value:
        return "-"
    try:
        date = dt.date.fromisoformat(value[:10])
    except ValueError:
        return "-"
    return phrases.date(date)


def order_items(order: Order) -> str:
    """The items of an order as "Title (size 10), Title x2".

    Args:
        order: The order.

    Returns:
        The items, comma separated.
    """
    parts: list[str] = []
    for item in order["items"]:
        text = item["title"]
        details = [v for v in (item.get("colour"), item.get("size")) if v]
        if details:
            text += f" ({', '.join(details)})"
        if item["quantity"] > 1:
            text += f" x{item['quantity']}"
        parts.append(text)
    return join_values(parts, limit=4)


#: Intents that open the order form; their text is a request, not an answer to "which order?".
ORDER_REQUEST_INTENTS = frozenset(
    {"track_order", "cancel_order", "change_order", "return_item", "refund_status"}
)


class ValidateOrderForm(FormValidationAction):  # type: ignore[misc]
    """Validates ``order_id`` in ``order_form``: any spelling becomes ``ORD-NNNNNN``."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "validate_order_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Validate, turning any failure into a polite message.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            The validation events.
        """
        try:
            events: list[dict[str, Any]] = await super().run(dispatcher, tracker, domain)
            return events
        except Exception as exc:  # noqa: BLE001 - the conversation must go on
            report_failure(self.name(), exc, dispatcher)
            return []

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The slots to ask for: none for anonymous shoppers.

        Their form ends at once and ``action_order_request`` asks them to log in.

        Args:
            domain_slots: The form's slots from the domain.
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            The slots to fill.
        """
        if await get_runtime().identity.customer_id(tracker) is None:
            return []
        return list(domain_slots)

    def validate_order_id(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Normalise the order id, or reject it so the form asks again.

        Args:
            slot_value: The candidate (an entity value or the whole message).
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``{"order_id": "ORD-NNNNNN"}``, or ``{"order_id": None}`` after
            ``utter_invalid_order_id``.
        """
        order_id = normalise_order_id(slot_value) or normalise_order_id(
            tracker.latest_message.get("text")
        )
        if order_id is None:
            intent = (tracker.latest_message.get("intent") or {}).get("name")
            # The request that opens the form ("where is my order?") is no failed answer:
            # the form just asks for the number.
            if intent not in ORDER_REQUEST_INTENTS:
                dispatcher.utter_message(response="utter_invalid_order_id")
            return {"order_id": None}
        return {"order_id": order_id}


def _track(dispatcher: CollectingDispatcher, order: Order, phrases: LanguagePhrases) -> None:
    order_id, status = order["order_id"], order["status"]
    shipment = order.get("shipment")
    if status in ("placed", "paid"):
        dispatcher.utter_message(
            response="utter_order_status_processing",
            order_id=order_id,
            status=phrases.term(status),
            ship_date=format_date(order.get("estimated_ship_date"), phrases),
        )
    elif status == "shipped" and shipment:
        dispatcher.utter_message(
            response="utter_order_status_shipped",
            order_id=order_id,
            carrier=shipment["carrier"],
            tracking_number=shipment["tracking_number"],
            tracking_url=shipment.get("tracking_url", "-"),
            eta=format_date(shipment.get("estimated_delivery"), phrases),
        )
    elif status == "delivered":
        delivered = shipment.get("delivered_at") if shipment else None
        dispatcher.utter_message(
            response="utter_order_status_delivered",
            order_id=order_id,
            delivered_at=format_date(delivered or _status_date(order, "delivered"), phrases),
        )
    elif status == "cancelled":
        dispatcher.utter_message(
            response="utter_order_status_cancelled",
            order_id=order_id,
            cancelled_at=format_date(_status_date(order, "cancelled"), phrases),
        )
    else:
        dispatcher.utter_message(
            response="utter_order_status_returned",
            order_id=order_id,
            returned_at=format_date(_status_date(order, "returned"), phrases),
        )


def _status_date(order: Order, status: str) -> str | None:
    for change in reversed(order["status_history"]):
        if change["status"] == status:
            return change["at"]
    return None


def _cancel(dispatcher: CollectingDispatcher, order: Order) -> list[EventType]:
    order_id, status = order["order_id"], order["status"]
    if can_cancel(order):
        dispatcher.utter_message(
            response="utter_confirm_cancel",
            order_id=order_id,
            items=order_items(order),
            total=format_price(order["total"], order["currency"]),
        )
        return [SlotSet("pending_confirmation", f"{CANCEL_PREFIX}{order_id}")]
    responses = {
        "shipped": "utter_cannot_cancel_shipped",
        "delivered": "utter_cannot_cancel_delivered",
        "cancelled": "utter_already_cancelled",
    }
    dispatcher.utter_message(
        response=responses.get(status, "utter_cannot_cancel_returned"), order_id=order_id
    )
    return []


def _change(dispatcher: CollectingDispatcher, order: Order, phrases: LanguagePhrases) -> None:
    order_id, status = order["order_id"], order["status"]
    if changeable_fields(order):
        dispatcher.utter_message(response="utter_change_possible", order_id=order_id)
    elif status == "shipped":
        dispatcher.utter_message(response="utter_change_not_possible_shipped", order_id=order_id)
    elif status == "delivered":
        dispatcher.utter_message(response="utter_change_not_possible_delivered", order_id=order_id)
    else:
        dispatcher.utter_message(
            response="utter_change_not_possible_closed",
            order_id=order_id,
            status=phrases.term(status),
        )


def _return(
    dispatcher: CollectingDispatcher, order: Order, today: dt.date, phrases: LanguagePhrases
) -> list[EventType]:
    order_id = order["order_id"]
    window_end = format_date(order.get("return_window_ends"), phrases)
    eligibility = return_eligibility(order, today)
    if eligibility == "ok":
        dispatcher.utter_message(
            response="utter_confirm_return",
            order_id=order_id,
            items=order_items(order),
            window_end=window_end,
        )
        return [SlotSet("pending_confirmation", f"{RETURN_PREFIX}{order_id}")]
    responses = {
        "outside_window": "utter_return_outside_window",
        "not_delivered": "utter_return_not_delivered",
        "already_returned": "utter_return_already_open",
        "cancelled": "utter_return_cancelled_order",
    }
    dispatcher.utter_message(
        response=responses[eligibility],
        order_id=order_id,
        window_end=window_end,
        status=phrases.term(order["status"]),
    )
    return []


async def _refund(
    dispatcher: CollectingDispatcher,
    order: Order,
    customer_id: str | None,
    phrases: LanguagePhrases,
) -> None:
    order_id = order["order_id"]
    refund = await get_runtime().orders.refund_status(order_id, customer_id)
    if refund is None:
        dispatcher.utter_message(response="utter_no_refund", order_id=order_id)
        return
    dispatcher.utter_message(
        response=f"utter_refund_{refund['status']}",
        order_id=order_id,
        amount=format_price(refund["amount"], refund["currency"]),
        expected_by=format_date(refund.get("expected_by"), phrases),
        completed_at=format_date(refund.get("completed_at"), phrases),
        method=refund.get("method", "-"),
    )


class ActionOrderRequest(SafeAction):
    """Answer the request in ``order_request`` about the order in ``order_id``."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_order_request"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Look the order up and track / cancel / change / return / refund.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``pending_confirmation`` for cancel/return; ``order_id`` cleared when the
            order does not exist.
        """
        runtime = get_runtime()
        customer_id = await runtime.identity.customer_id(tracker)
        if customer_id is None:
            dispatcher.utter_message(response="utter_login_required")
            return [SlotSet("order_id", None)]
        order_id = normalise_order_id(tracker.get_slot("order_id"))
        if order_id is None:
            dispatcher.utter_message(response="utter_invalid_order_id")
            return [SlotSet("order_id", None)]
        request = str(tracker.get_slot("order_request") or "track")
        phrases = runtime.phrases_for(tracker)
        try:
            order = await runtime.orders.get_order(order_id, customer_id)
            if order is None:
                dispatcher.utter_message(response="utter_order_not_found", order_id=order_id)
                return [SlotSet("order_id", None)]
            if request == "cancel":
                return _cancel(dispatcher, order)
            if request == "change":
                _change(dispatcher, order, phrases)
            elif request == "return":
                return _return(dispatcher, order, runtime.today(), phrases)
            elif request == "refund":
                await _refund(dispatcher, order, customer_id, phrases)
            else:
                _track(dispatcher, order, phrases)
        except OrdersClientError:
            dispatcher.utter_message(response="utter_orders_unavailable")
        return []
