"""The orders client interface and the order rules the assistant explains to shoppers.

:class:`OrdersClient` is what the actions talk to; the profile service's HTTP client
(``actions.clients.profiles.ProfileClient``) implements it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from actions.clients.types import (
    Order,
    OrderChange,
    OrderResult,
    Refund,
    ReturnResult,
)

__all__ = [
    "OrdersClient",
    "OrdersClientError",
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


class OrdersClientError(Exception):
    """The orders service could not answer (network, timeout, server error)."""


class OrdersClient(Protocol):
    """Order look-ups and requests for one shop."""

    async def get_order(self, order_id: str, customer_id: str | None = None) -> Order | None:
        """The order, or ``None`` when it does not exist (or is not this customer's).

        Args:
            order_id: ``ORD-NNNNNN``.
            customer_id: The verified customer id, when the shopper is logged in.

        Raises:
            OrdersClientError: The service could not answer.
        """
        ...

    async def cancel_order(self, order_id: str, customer_id: str | None = None) -> OrderResult:
        """Cancel an order that has not shipped yet.

        Args:
            order_id: ``ORD-NNNNNN``.
            customer_id: The verified customer id, when known.

        Raises:
            OrdersClientError: The service could not answer.
        """
        ...

    async def change_order(
        self, order_id: str, change: OrderChange, customer_id: str | None = None
    ) -> OrderResult:
        """Change the shipping address or an item's size/colour before shipping.

        Args:
            order_id: ``ORD-NNNNNN``.
            change: What to change.
            customer_id: The verified customer id, when known.

        Raises:
            OrdersClientError: The service could not answer.
        """
        ...

    async def start_return(
        self,
        order_id: str,
        reason: str,
        customer_id: str | None = None,
        product_ids: list[str] | None = None,
    ) -> ReturnResult:
        """Open a return for a delivered order inside its return window.

        Args:
            order_id: ``ORD-NNNNNN``.
            reason: Why the customer returns it (free text or a code).
            customer_id: The verified customer id, when known.
            product_ids: Items to return; all items when omitted.

        Raises:
            OrdersClientError: The service could not answer.
        """
        ...

    async def refund_status(self, order_id: str, customer_id: str | None = None) -> Refund | None:
        """The latest refund of an order, or ``None`` when there is none.

        Args:
            order_id: ``ORD-NNNNNN``.
            customer_id: The verified customer id, when known.

        Raises:
            OrdersClientError: The service could not answer.
        """
        ...


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
