"""The shop's order policy: what a customer may still do with an order.

One definition for the profile service, which enforces it (``profiles/orders_rules.py``),
and the assistant, which explains it before asking for confirmation (``actions/orders.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from contracts.profiles import Order

__all__ = [
    "CANCELLABLE_STATUSES",
    "CHANGEABLE_FIELDS",
    "can_cancel",
    "changeable_fields",
    "return_eligibility",
]

#: Statuses in which an order can still be cancelled.
CANCELLABLE_STATUSES: frozenset[str] = frozenset({"placed", "paid"})
#: What can be changed in each status (nothing once the parcel has left).
CHANGEABLE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "placed": ("shipping_address", "size", "colour"),
    "paid": ("shipping_address", "size", "colour"),
}


def can_cancel(order: Order) -> bool:
    """Whether the order can still be cancelled.

    Args:
        order: The order.

    Returns:
        True while it is placed or paid.
    """
    return order["status"] in CANCELLABLE_STATUSES


def changeable_fields(order: Order) -> tuple[str, ...]:
    """What can still be changed on the order.

    Args:
        order: The order.

    Returns:
        Field names (empty once the order has shipped, or was cancelled/returned).
    """
    return CHANGEABLE_FIELDS.get(order["status"], ())


def return_eligibility(order: Order, today: dt.date) -> str:
    """Whether a return can be started today.

    Args:
        order: The order.
        today: The date to judge by.

    Returns:
        ``"ok"``; ``"not_delivered"`` before delivery; ``"already_returned"``;
        ``"cancelled"``; ``"outside_window"`` after the window closed.
    """
    status = order["status"]
    if status == "returned" or any(r["status"] != "closed" for r in order.get("returns", [])):
        return "already_returned"
    if status == "cancelled":
        return "cancelled"
    if status != "delivered":
        return "not_delivered"
    ends = order.get("return_window_ends")
    if ends is None or today > dt.date.fromisoformat(ends):
        return "outside_window"
    return "ok"
