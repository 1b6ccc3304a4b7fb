"""ErasureReport of a customer ("delete my data").

The profile, its channel links and its conversation records are deleted; the orders
stay in the shop's books (items, prices, dates, status) with their personal fields
blanked and the customer link replaced by one opaque ``ERASED-...`` id.
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from contracts.profiles import ErasureReport
from profiles import models

__all__ = ["erase_customer"]


def erase_customer(session: Session, customer: models.Customer) -> ErasureReport:
    """Erase a customer inside the caller's transaction.

    Args:
        session: The session (the caller commits).
        customer: The customer's row.

    Returns:
        What was erased, including the Rasa sender ids whose trackers the caller
        still has to delete.
    """
    customer_id = customer.customer_id
    senders = list(
        session.scalars(
            select(models.Conversation.sender_id)
            .where(models.Conversation.customer_id == customer_id)
            .order_by(models.Conversation.sender_id)
        )
    )
    links = session.scalar(
        select(func.count())
        .select_from(models.ChannelIdentity)
        .where(models.ChannelIdentity.customer_id == customer_id)
    )
    session.execute(
        delete(models.ChannelIdentity).where(models.ChannelIdentity.customer_id == customer_id)
    )
    session.execute(
        delete(models.Conversation).where(models.Conversation.customer_id == customer_id)
    )
    orders = list(
        session.scalars(
            select(models.Order)
            .where(models.Order.customer_id == customer_id)
            .options(selectinload(models.Order.shipment))
        )
    )
    opaque = f"ERASED-{secrets.token_hex(8)}"
    for order in orders:
        order.customer_id = None
        order.erased_ref = opaque
        order.ship_name = ""
        order.ship_line1 = ""
        order.ship_line2 = None
        order.ship_postcode = ""
        if order.shipment is not None:
            order.shipment.tracking_number = ""
            order.shipment.tracking_url = None
    session.flush()
    session.delete(customer)
    session.flush()
    return {
        "customer_id": customer_id,
        "profile_deleted": True,
        "channel_links_deleted": int(links or 0),
        "orders_anonymised": len(orders),
        "conversations": senders,
    }
