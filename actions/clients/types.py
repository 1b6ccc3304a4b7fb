"""Wire types of the orders API (the profile service's order endpoints).

The fixture client and the later HTTP client both speak these shapes. Dates are ISO
8601 strings (``YYYY-MM-DD``); money is a number with an ISO 4217 ``currency``.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

__all__ = [
    "OrderStatus",
    "RefundState",
    "StatusChange",
    "Address",
    "OrderItem",
    "Shipment",
    "Refund",
    "ReturnRequest",
    "Order",
    "OrderChange",
    "ActionOutcome",
    "OrderResult",
    "ReturnResult",
]

OrderStatus = Literal["placed", "paid", "shipped", "delivered", "cancelled", "returned"]
RefundState = Literal["requested", "processing", "completed", "rejected"]
ActionOutcome = Literal["ok", "not_found", "not_allowed", "outside_window", "invalid"]


class StatusChange(TypedDict):
    """One entry of an order's status history."""

    status: OrderStatus
    at: str


class Address(TypedDict):
    """A shipping address."""

    name: str
    line1: str
    city: str
    postcode: str
    country: str
    line2: NotRequired[str]


class OrderItem(TypedDict):
    """One line of an order."""

    product_id: str
    title: str
    quantity: int
    unit_price: float
    colour: NotRequired[str]
    size: NotRequired[str]
    sku: NotRequired[str]


class Shipment(TypedDict):
    """How an order travels."""

    carrier: str
    tracking_number: str
    tracking_url: NotRequired[str]
    shipped_at: NotRequired[str]
    estimated_delivery: NotRequired[str]
    delivered_at: NotRequired[str]


class Refund(TypedDict):
    """Money on its way back."""

    refund_id: str
    status: RefundState
    amount: float
    currency: str
    requested_at: str
    expected_by: NotRequired[str]
    completed_at: NotRequired[str]
    method: NotRequired[str]


class ReturnRequest(TypedDict):
    """A return the customer started."""

    return_id: str
    reason: str
    created_at: str
    status: Literal["open", "received", "closed"]
    label_url: NotRequired[str]


class Order(TypedDict):
    """An order as the orders API returns it."""

    order_id: str
    customer_id: str
    status: OrderStatus
    placed_at: str
    currency: str
    total: float
    items: list[OrderItem]
    status_history: list[StatusChange]
    shipping_address: Address
    shipment: NotRequired[Shipment]
    estimated_ship_date: NotRequired[str]
    return_window_ends: NotRequired[str]
    returns: NotRequired[list[ReturnRequest]]
    refunds: NotRequired[list[Refund]]


class OrderChange(TypedDict, total=False):
    """What a customer may change before an order ships."""

    shipping_address: Address
    product_id: str
    size: str
    colour: str


class OrderResult(TypedDict):
    """Outcome of a cancel or change request."""

    outcome: ActionOutcome
    order: NotRequired[Order]
    detail: NotRequired[str]


class ReturnResult(TypedDict):
    """Outcome of a return request."""

    outcome: ActionOutcome
    return_request: NotRequired[ReturnRequest]
    order: NotRequired[Order]
    detail: NotRequired[str]
