"""The orders client interface, the order rules, and a client answering from a fixture.

:class:`OrdersClient` is what the actions talk to. :class:`FixtureOrdersClient` answers
from a JSON file (``actions/fixtures/orders.json`` by default) and keeps changes in
memory; the HTTP client of the profile service will implement the same protocol.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, cast

from actions.clients.types import (
    Order,
    OrderChange,
    OrderResult,
    OrderStatus,
    Refund,
    ReturnRequest,
    ReturnResult,
)

__all__ = [
    "OrdersClient",
    "OrdersClientError",
    "FixtureOrdersClient",
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


class FixtureOrdersClient:
    """An :class:`OrdersClient` over a JSON fixture, with changes kept in memory.

    The fixture is ``{"reference_date": "YYYY-MM-DD", "orders": [Order, ...]}``; the
    reference date is "today" for return windows, so answers do not drift with time.
    """

    def __init__(self, orders: list[Order], today: dt.date) -> None:
        """Create the client.

        Args:
            orders: The orders it knows.
            today: The date used for return windows and new dates.
        """
        self._orders: dict[str, Order] = {o["order_id"]: copy.deepcopy(o) for o in orders}
        self.today = today

    @classmethod
    def from_file(cls, path: Path, today: dt.date | None = None) -> FixtureOrdersClient:
        """Load the fixture file.

        Args:
            path: The JSON file.
            today: Overrides the file's ``reference_date``.

        Returns:
            The client.
        """
        data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
        reference = dt.date.fromisoformat(str(data.get("reference_date", dt.date.today())))
        return cls(cast(list[Order], data["orders"]), today or reference)

    def _find(self, order_id: str, customer_id: str | None) -> Order | None:
        order = self._orders.get(order_id.upper())
        if order is None:
            return None
        if customer_id is not None and order["customer_id"] != customer_id:
            return None
        return order

    def _set_status(self, order: Order, status: OrderStatus) -> None:
        order["status"] = status
        order["status_history"].append({"status": status, "at": self.today.isoformat()})

    async def get_order(self, order_id: str, customer_id: str | None = None) -> Order | None:
        """See :meth:`OrdersClient.get_order`."""
        order = self._find(order_id, customer_id)
        return copy.deepcopy(order) if order else None

    async def cancel_order(self, order_id: str, customer_id: str | None = None) -> OrderResult:
        """See :meth:`OrdersClient.cancel_order`."""
        order = self._find(order_id, customer_id)
        if order is None:
            return {"outcome": "not_found"}
        if not can_cancel(order):
            return {"outcome": "not_allowed", "order": copy.deepcopy(order)}
        paid = order["status"] == "paid"
        self._set_status(order, "cancelled")
        if paid:
            order.setdefault("refunds", []).append(self._new_refund(order, order["total"]))
        return {"outcome": "ok", "order": copy.deepcopy(order)}

    async def change_order(
        self, order_id: str, change: OrderChange, customer_id: str | None = None
    ) -> OrderResult:
        """See :meth:`OrdersClient.change_order`."""
        order = self._find(order_id, customer_id)
        if order is None:
            return {"outcome": "not_found"}
        allowed = changeable_fields(order)
        if not allowed:
            return {"outcome": "not_allowed", "order": copy.deepcopy(order)}
        if "shipping_address" in change:
            order["shipping_address"] = change["shipping_address"]
        if "size" in change or "colour" in change:
            target = [
                item
                for item in order["items"]
                if "product_id" not in change or item["product_id"] == change["product_id"]
            ]
            if not target:
                return {"outcome": "invalid", "detail": "product_id"}
            for item in target[:1]:
                if "size" in change:
                    item["size"] = change["size"]
                if "colour" in change:
                    item["colour"] = change["colour"]
        return {"outcome": "ok", "order": copy.deepcopy(order)}

    async def start_return(
        self,
        order_id: str,
        reason: str,
        customer_id: str | None = None,
        product_ids: list[str] | None = None,
    ) -> ReturnResult:
        """See :meth:`OrdersClient.start_return`."""
        order = self._find(order_id, customer_id)
        if order is None:
            return {"outcome": "not_found"}
        eligibility = return_eligibility(order, self.today)
        if eligibility == "outside_window":
            return {"outcome": "outside_window", "order": copy.deepcopy(order)}
        if eligibility != "ok":
            return {"outcome": "not_allowed", "order": copy.deepcopy(order), "detail": eligibility}
        number = order["order_id"].removeprefix("ORD-")
        request: ReturnRequest = {
            "return_id": f"RET-{number}-{len(order.get('returns', [])) + 1}",
            "reason": reason[:200],
            "created_at": self.today.isoformat(),
            "status": "open",
            "label_url": f"/returns/{number}/label.pdf",
        }
        order.setdefault("returns", []).append(request)
        return {"outcome": "ok", "return_request": request, "order": copy.deepcopy(order)}

    async def refund_status(self, order_id: str, customer_id: str | None = None) -> Refund | None:
        """See :meth:`OrdersClient.refund_status`."""
        order = self._find(order_id, customer_id)
        if order is None or not order.get("refunds"):
            return None
        return copy.deepcopy(order["refunds"][-1])

    def _new_refund(self, order: Order, amount: float) -> Refund:
        number = order["order_id"].removeprefix("ORD-")
        return {
            "refund_id": f"REF-{number}-{len(order.get('refunds', [])) + 1}",
            "status": "requested",
            "amount": amount,
            "currency": order["currency"],
            "requested_at": self.today.isoformat(),
            "expected_by": (self.today + dt.timedelta(days=7)).isoformat(),
            "method": "original payment method",
        }
