"""Conversions between the tables and the wire shapes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from contracts.profiles import (
    Address,
    ConsentState,
    Customer,
    Order,
    OrderItem,
    Refund,
    ReturnRequest,
    Shipment,
)
from profiles import models

__all__ = [
    "to_cents",
    "from_cents",
    "timestamp",
    "parse_timestamp",
    "customer_to_wire",
    "order_to_wire",
    "order_from_wire",
    "customer_from_wire",
]


def to_cents(amount: float) -> int:
    """Money as integer cents.

    Args:
        amount: An amount.

    Returns:
        The amount in cents, rounded half away from zero.
    """
    return int(round(amount * 100))


def from_cents(cents: int) -> float:
    """Cents as a wire amount.

    Args:
        cents: The amount in cents.

    Returns:
        The amount.
    """
    return round(cents / 100, 2)


def timestamp(value: dt.datetime) -> str:
    """A UTC timestamp as ISO 8601 with ``Z``.

    Args:
        value: The time (naive values are taken as UTC, as SQLite returns them).

    Returns:
        ``YYYY-MM-DDTHH:MM:SSZ``.
    """
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def parse_timestamp(text: str) -> dt.datetime:
    """Parse an ISO 8601 timestamp (``Z`` allowed) as an aware UTC time.

    Args:
        text: The timestamp.

    Returns:
        The time in UTC.
    """
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _consent(granted: bool | None, at: dt.datetime | None) -> ConsentState:
    return {"granted": granted, "updated_at": timestamp(at) if at is not None else None}


def customer_to_wire(row: models.Customer) -> Customer:
    """A customer row as the wire ``Customer``.

    Args:
        row: The row.

    Returns:
        The customer.
    """
    band = None
    if row.price_min_cents is not None and row.price_max_cents is not None:
        band = {
            "min": from_cents(row.price_min_cents),
            "max": from_cents(row.price_max_cents),
            "currency": row.price_currency or "USD",
        }
    return cast(
        Customer,
        {
            "customer_id": row.customer_id,
            "name": row.name,
            "email": row.email,
            "phone": row.phone,
            "preferred_language": row.preferred_language,
            "sizes": dict(row.sizes or {}),
            "favourite_brands": list(row.favourite_brands or []),
            "favourite_categories": list(row.favourite_categories or []),
            "price_band": band,
            "segment": row.segment,
            "consent": {
                "personalisation": _consent(
                    row.personalisation_granted, row.personalisation_updated_at
                ),
                "marketing": _consent(row.marketing_granted, row.marketing_updated_at),
            },
            "created_at": timestamp(row.created_at),
            "updated_at": timestamp(row.updated_at),
        },
    )


def customer_from_wire(data: Mapping[str, Any]) -> models.Customer:
    """A new customer row from a wire ``Customer`` (the seed's shape).

    Args:
        data: The customer.

    Returns:
        The row (not added to any session).
    """
    band = data.get("price_band")
    consent = data.get("consent") or {}
    personal = consent.get("personalisation") or {}
    marketing = consent.get("marketing") or {}

    def when(state: Mapping[str, Any]) -> dt.datetime | None:
        at = state.get("updated_at")
        return parse_timestamp(at) if at else None

    return models.Customer(
        customer_id=data["customer_id"],
        name=data["name"],
        email=data["email"],
        phone=data.get("phone"),
        preferred_language=data["preferred_language"],
        sizes=dict(data.get("sizes") or {}),
        favourite_brands=list(data.get("favourite_brands") or []),
        favourite_categories=list(data.get("favourite_categories") or []),
        price_min_cents=to_cents(band["min"]) if band else None,
        price_max_cents=to_cents(band["max"]) if band else None,
        price_currency=band.get("currency", "USD") if band else None,
        segment=data.get("segment", "regular"),
        personalisation_granted=personal.get("granted"),
        personalisation_updated_at=when(personal),
        marketing_granted=marketing.get("granted"),
        marketing_updated_at=when(marketing),
        created_at=parse_timestamp(data["created_at"]),
        updated_at=parse_timestamp(data["updated_at"]),
    )


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _opt_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def order_to_wire(row: models.Order) -> Order:
    """An order row (with its children loaded) as the wire ``Order``.

    Args:
        row: The row.

    Returns:
        The order; optional keys are present only when they have a value.
    """
    address: dict[str, Any] = {
        "name": row.ship_name,
        "line1": row.ship_line1,
        "city": row.ship_city,
        "postcode": row.ship_postcode,
        "country": row.ship_country,
    }
    if row.ship_line2:
        address["line2"] = row.ship_line2
    items: list[OrderItem] = []
    for item in row.items:
        line: dict[str, Any] = {
            "product_id": item.product_id,
            "title": item.title,
            "quantity": item.quantity,
            "unit_price": from_cents(item.unit_price_cents),
        }
        for key in ("sku", "colour", "size"):
            if getattr(item, key) is not None:
                line[key] = getattr(item, key)
        items.append(cast(OrderItem, line))
    order: dict[str, Any] = {
        "order_id": row.order_id,
        "customer_id": row.customer_id or row.erased_ref or "",
        "status": row.status,
        "placed_at": row.placed_at.isoformat(),
        "currency": row.currency,
        "total": from_cents(row.total_cents),
        "items": items,
        "status_history": [{"status": h.status, "at": h.at.isoformat()} for h in row.history],
        "shipping_address": cast(Address, address),
    }
    if row.estimated_ship_date is not None:
        order["estimated_ship_date"] = row.estimated_ship_date.isoformat()
    if row.return_window_ends is not None:
        order["return_window_ends"] = row.return_window_ends.isoformat()
    if row.shipment is not None:
        ship = row.shipment
        shipment: dict[str, Any] = {
            "carrier": ship.carrier,
            "tracking_number": ship.tracking_number,
        }
        if ship.tracking_url:
            shipment["tracking_url"] = ship.tracking_url
        for key in ("shipped_at", "estimated_delivery", "delivered_at"):
            value = _date(getattr(ship, key))
            if value is not None:
                shipment[key] = value
        order["shipment"] = cast(Shipment, shipment)
    if row.returns:
        returns: list[ReturnRequest] = []
        for ret in row.returns:
            request: dict[str, Any] = {
                "return_id": ret.return_id,
                "reason": ret.reason,
                "created_at": ret.created_at.isoformat(),
                "status": ret.status,
            }
            if ret.label_url:
                request["label_url"] = ret.label_url
            returns.append(cast(ReturnRequest, request))
        order["returns"] = returns
    if row.refunds:
        refunds: list[Refund] = []
        for ref in row.refunds:
            refund: dict[str, Any] = {
                "refund_id": ref.refund_id,
                "status": ref.status,
                "amount": from_cents(ref.amount_cents),
                "currency": ref.currency,
                "requested_at": ref.requested_at.isoformat(),
            }
            for key in ("expected_by", "completed_at"):
                value = _date(getattr(ref, key))
                if value is not None:
                    refund[key] = value
            if ref.method:
                refund["method"] = ref.method
            refunds.append(cast(Refund, refund))
        order["refunds"] = refunds
    return cast(Order, order)


def order_from_wire(
    data: Mapping[str, Any],
    row: models.Order | None = None,
    product_ids: Mapping[str, list[str] | None] | None = None,
) -> models.Order:
    """Write a wire ``Order`` into a row (a new one, or an existing one in place).

    Items and history are replaced; returns and refunds are matched by id; the
    shipment is updated, created or removed.

    Args:
        data: The order.
        row: The row to update; a new row when omitted.
        product_ids: Per return id, the product ids it covers (new returns only).

    Returns:
        The row.
    """
    if row is None:
        row = models.Order(order_id=data["order_id"])
        if not str(data["customer_id"]).startswith("ERASED-"):
            row.customer_id = data["customer_id"]
    address = data["shipping_address"]
    row.status = data["status"]
    row.placed_at = dt.date.fromisoformat(data["placed_at"][:10])
    row.currency = data["currency"]
    row.total_cents = to_cents(data["total"])
    row.ship_name = address["name"]
    row.ship_line1 = address["line1"]
    row.ship_line2 = address.get("line2")
    row.ship_city = address["city"]
    row.ship_postcode = address["postcode"]
    row.ship_country = address["country"]
    row.estimated_ship_date = _opt_date(data.get("estimated_ship_date"))
    row.return_window_ends = _opt_date(data.get("return_window_ends"))
    row.items = [
        models.OrderItem(
            position=index,
            product_id=item["product_id"],
            title=item["title"],
            quantity=item["quantity"],
            unit_price_cents=to_cents(item["unit_price"]),
            colour=item.get("colour"),
            size=item.get("size"),
            sku=item.get("sku"),
        )
        for index, item in enumerate(data["items"])
    ]
    row.history = [
        models.StatusChange(
            position=index, status=h["status"], at=dt.date.fromisoformat(h["at"][:10])
        )
        for index, h in enumerate(data["status_history"])
    ]
    ship = data.get("shipment")
    if ship is None:
        row.shipment = None
    else:
        target = row.shipment or models.Shipment(order_id=row.order_id)
        target.carrier = ship["carrier"]
        target.tracking_number = ship["tracking_number"]
        target.tracking_url = ship.get("tracking_url")
        target.shipped_at = _opt_date(ship.get("shipped_at"))
        target.estimated_delivery = _opt_date(ship.get("estimated_delivery"))
        target.delivered_at = _opt_date(ship.get("delivered_at"))
        row.shipment = target
    existing_returns = {r.return_id: r for r in row.returns}
    returns = []
    for index, ret in enumerate(data.get("returns") or []):
        target_ret = existing_returns.get(ret["return_id"]) or models.ReturnRequest(
            return_id=ret["return_id"],
            product_ids=(product_ids or {}).get(ret["return_id"]),
        )
        target_ret.position = index
        target_ret.reason = ret["reason"]
        target_ret.created_at = dt.date.fromisoformat(ret["created_at"][:10])
        target_ret.status = ret["status"]
        target_ret.label_url = ret.get("label_url")
        returns.append(target_ret)
    row.returns = returns
    existing_refunds = {r.refund_id: r for r in row.refunds}
    refunds = []
    for index, ref in enumerate(data.get("refunds") or []):
        target_ref = existing_refunds.get(ref["refund_id"]) or models.Refund(
            refund_id=ref["refund_id"]
        )
        target_ref.position = index
        target_ref.status = ref["status"]
        target_ref.amount_cents = to_cents(ref["amount"])
        target_ref.currency = ref["currency"]
        target_ref.requested_at = dt.date.fromisoformat(ref["requested_at"][:10])
        target_ref.expected_by = _opt_date(ref.get("expected_by"))
        target_ref.completed_at = _opt_date(ref.get("completed_at"))
        target_ref.method = ref.get("method")
        refunds.append(target_ref)
    row.refunds = refunds
    return row
