"""Wire types of the profile service: orders (also the fixture client's) and customers.

The fixture client and the profile service's HTTP client both speak these shapes; the
customer shapes below the order ones are the profile service's (``docs/profiles-api.md``).
Dates are ISO 8601 strings (``YYYY-MM-DD``); money is a number with an ISO 4217
``currency``.
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
    "Language",
    "Segment",
    "ConsentKind",
    "ConsentState",
    "Consent",
    "PriceBand",
    "Customer",
    "CustomerSummary",
    "ErasureReport",
    "ChannelLink",
    "Basket",
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


# --- the profile service's customer shapes ----------------------------------------------

Language = Literal["en", "es", "de", "fr"]
Segment = Literal["vip", "regular", "new", "bargain_hunter"]
ConsentKind = Literal["personalisation", "marketing"]


class ConsentState(TypedDict):
    """One consent flag; ``granted`` is ``None`` when the customer was never asked."""

    granted: bool | None
    updated_at: str | None


class Consent(TypedDict):
    """The customer's consent flags."""

    personalisation: ConsentState
    marketing: ConsentState


class PriceBand(TypedDict):
    """The price range a customer usually buys in."""

    min: float
    max: float
    currency: str


class Customer(TypedDict):
    """A customer profile as the profile service returns it."""

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


class CustomerSummary(TypedDict):
    """What is kept about a customer ("what do you know about me")."""

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


class ChannelLink(TypedDict):
    """A messaging-app identity linked to a customer."""

    channel: str
    external_id: str
    customer_id: str


class Basket(TypedDict):
    """One order's products, without who bought them (for co-purchase recommendations)."""

    basket: str
    product_ids: list[str]
    placed_at: str
