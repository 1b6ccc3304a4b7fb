"""The profile service's wire shapes: one definition for the service and its client.

``profiles/`` answers with these shapes and ``actions/clients/profiles.py`` reads them
(the contract is written out in ``docs/profiles-api.md``). Dates are ISO 8601 strings
(``YYYY-MM-DD``), timestamps ISO 8601 UTC, money a number with an ISO 4217 ``currency``.
TypedDicts come from ``typing_extensions`` so that pydantic can build the service's OpenAPI
schema from them on Python 3.11.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import NotRequired, TypedDict

__all__ = [
    "ActionOutcome",
    "Address",
    "Basket",
    "BasketPage",
    "ChannelLink",
    "Consent",
    "ConsentKind",
    "ConsentState",
    "Customer",
    "CustomerPage",
    "CustomerSummary",
    "ErasureReport",
    "Health",
    "Language",
    "Order",
    "OrderChange",
    "OrderItem",
    "OrderList",
    "OrderResult",
    "OrderStatus",
    "PriceBand",
    "Refund",
    "RefundAnswer",
    "RefundState",
    "ReturnRequest",
    "ReturnResult",
    "Segment",
    "Shipment",
    "StatusChange",
]

OrderStatus = Literal["placed", "paid", "shipped", "delivered", "cancelled", "returned"]
Language = Literal["en", "es", "de", "fr"]
Segment = Literal["vip", "regular", "new", "bargain_hunter"]
ConsentKind = Literal["personalisation", "marketing"]
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
    """An order."""

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


class PriceBand(TypedDict):
    """The price range a customer usually buys in."""

    min: float
    max: float
    currency: str


class ConsentState(TypedDict):
    """One consent: ``granted`` is ``None`` when the customer was never asked."""

    granted: bool | None
    updated_at: str | None


class Consent(TypedDict):
    """The customer's consents."""

    personalisation: ConsentState
    marketing: ConsentState


class Customer(TypedDict):
    """A customer profile."""

    customer_id: str
    name: str
    email: str
    phone: str | None
    preferred_language: Language
    sizes: dict[str, str]
    favourite_brands: list[str]
    favourite_categories: list[str]
    price_band: PriceBand | None
    segment: Segment
    consent: Consent
    created_at: str
    updated_at: str


class CustomerPage(TypedDict):
    """A page of customers."""

    customers: list[Customer]
    total: int


class CustomerSummary(TypedDict):
    """What the shop keeps about a customer ("what do you know about me")."""

    customer: Customer
    order_count: int
    channel_links: int
    conversations: int


class ErasureReport(TypedDict):
    """What an erasure removed; ``conversations`` are the Rasa sender ids to erase too."""

    customer_id: str
    profile_deleted: bool
    channel_links_deleted: int
    orders_anonymised: int
    conversations: list[str]


class OrderList(TypedDict):
    """A customer's orders, newest first."""

    orders: list[Order]


class RefundAnswer(TypedDict):
    """The latest refund of an order."""

    refund: Refund | None


class ChannelLink(TypedDict):
    """A messaging-channel user linked to a customer."""

    channel: str
    external_id: str
    customer_id: str


class Basket(TypedDict):
    """One order's products, without who bought them."""

    basket: str
    product_ids: list[str]
    placed_at: str


class BasketPage(TypedDict):
    """A page of baskets."""

    baskets: list[Basket]
    total: int


class Health(TypedDict):
    """Liveness."""

    status: str
