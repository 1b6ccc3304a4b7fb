"""What a customer may do with an order, and what doing it changes.

The policy itself (``can_cancel``, ``changeable_fields``, ``return_eligibility``) is
``contracts/order_rules.py``, shared with the assistant; this module carries it out, with
ids ``RET-<number>-<n>`` and ``REF-<number>-<n>``. The functions work on wire-shaped orders
and change them in place; the caller stores the result when the outcome is ``ok``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from contracts.order_rules import (
    CANCELLABLE_STATUSES,
    CHANGEABLE_FIELDS,
    can_cancel,
    changeable_fields,
    return_eligibility,
)
from contracts.profiles import (
    Order,
    OrderResult,
    OrderStatus,
    Refund,
    ReturnRequest,
    ReturnResult,
)

__all__ = [
    "CANCELLABLE_STATUSES",
    "CHANGEABLE_FIELDS",
    "RETURN_WINDOW_DAYS",
    "can_cancel",
    "changeable_fields",
    "return_eligibility",
    "cancel",
    "change",
    "start_return",
    "latest_refund",
]

#: Days after delivery during which a return can be started.
RETURN_WINDOW_DAYS = 30


def _number(order: Order) -> str:
    return order["order_id"].removeprefix("ORD-")


def _set_status(order: Order, status: OrderStatus, today: dt.date) -> None:
    order["status"] = status
    order["status_history"].append({"status": status, "at": today.isoformat()})


def _new_refund(order: Order, amount: float, today: dt.date) -> Refund:
    return {
        "refund_id": f"REF-{_number(order)}-{len(order.get('refunds', [])) + 1}",
        "status": "requested",
        "amount": amount,
        "currency": order["currency"],
        "requested_at": today.isoformat(),
        "expected_by": (today + dt.timedelta(days=7)).isoformat(),
        "method": "original payment method",
    }


def cancel(order: Order, today: dt.date) -> OrderResult:
    """Cancel an order that has not shipped; a paid order gets a refund of its total.

    Args:
        order: The order (changed in place when the outcome is ``ok``).
        today: The business date.

    Returns:
        ``ok`` with the cancelled order, or ``not_allowed`` with the reason.
    """
    if not can_cancel(order):
        return {
            "outcome": "not_allowed",
            "order": copy.deepcopy(order),
            "detail": f"order is {order['status']}",
        }
    paid = order["status"] == "paid"
    _set_status(order, "cancelled", today)
    if paid:
        refund = _new_refund(order, order["total"], today)
        order.setdefault("refunds", []).append(refund)
    return {"outcome": "ok", "order": copy.deepcopy(order)}


def change(order: Order, request: Mapping[str, Any]) -> OrderResult:
    """Change the shipping address, or one item's size or colour, before shipping.

    Args:
        order: The order (changed in place when the outcome is ``ok``).
        request: The fields of an ``OrderChange`` that were sent.

    Returns:
        ``ok`` with the changed order; ``not_allowed`` once it shipped; ``invalid``
        when the product is not in the order or nothing would change.
    """
    allowed = changeable_fields(order)
    if not allowed:
        return {
            "outcome": "not_allowed",
            "order": copy.deepcopy(order),
            "detail": f"order is {order['status']}",
        }
    wants_item = "size" in request or "colour" in request
    if "shipping_address" not in request and not wants_item:
        return {"outcome": "invalid", "detail": "nothing to change"}
    target = []
    if wants_item:
        target = [
            item
            for item in order["items"]
            if "product_id" not in request or item["product_id"] == request["product_id"]
        ]
        if not target:
            return {"outcome": "invalid", "detail": "product_id"}
    if "shipping_address" in request:
        address = {k: v for k, v in dict(request["shipping_address"]).items() if v is not None}
        order["shipping_address"] = address  # type: ignore[typeddict-item]
    for item in target[:1]:
        if "size" in request:
            item["size"] = request["size"]
        if "colour" in request:
            item["colour"] = request["colour"]
    return {"outcome": "ok", "order": copy.deepcopy(order)}


def start_return(
    order: Order, reason: str, today: dt.date, product_ids: Sequence[str] | None = None
) -> ReturnResult:
    """Open a return for a delivered order inside its return window.

    Args:
        order: The order (changed in place when the outcome is ``ok``).
        reason: Why the customer returns it.
        today: The business date.
        product_ids: Items to return; all items when omitted.

    Returns:
        ``ok`` with the return; ``outside_window``; ``not_allowed`` with the reason
        (``not_delivered``, ``already_returned``, ``cancelled``); ``invalid`` when a
        product is not in the order.
    """
    eligibility = return_eligibility(order, today)
    if eligibility == "outside_window":
        return {"outcome": "outside_window", "order": copy.deepcopy(order)}
    if eligibility != "ok":
        return {"outcome": "not_allowed", "order": copy.deepcopy(order), "detail": eligibility}
    if product_ids is not None:
        known = {item["product_id"] for item in order["items"]}
        if any(pid not in known for pid in product_ids):
            return {"outcome": "invalid", "detail": "product_id"}
    number = _number(order)
    request: ReturnRequest = {
        "return_id": f"RET-{number}-{len(order.get('returns', [])) + 1}",
        "reason": reason[:200],
        "created_at": today.isoformat(),
        "status": "open",
        "label_url": f"/returns/{number}/label.pdf",
    }
    order.setdefault("returns", []).append(request)
    return {"outcome": "ok", "return_request": request, "order": copy.deepcopy(order)}


def latest_refund(order: Order) -> Refund | None:
    """The order's latest refund.

    Args:
        order: The order.

    Returns:
        The last refund, or ``None`` when there is none.
    """
    refunds = order.get("refunds") or []
    return copy.deepcopy(refunds[-1]) if refunds else None
