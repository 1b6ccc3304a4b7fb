"""The service's operations, one transaction each.

Every public method opens its own transaction: it commits when the method returns and
rolls back on any error, so a failed request leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from contracts.profiles import (
    Basket,
    BasketPage,
    ChannelLink,
    Customer,
    CustomerPage,
    CustomerSummary,
    ErasureReport,
    Order,
    OrderResult,
    Refund,
    ReturnResult,
)
from profiles import models, orders_rules
from profiles.convert import (
    customer_to_wire,
    order_from_wire,
    order_to_wire,
    to_cents,
)
from profiles.erasure import erase_customer

__all__ = ["Store", "NotFound", "Clock"]

CUSTOMER_NUMBER = re.compile(r"^CUS-(\d{1,9})$")


class NotFound(LookupError):
    """A customer, order or link is unknown (or not the customer's)."""


class Clock:
    """The service's dates and times."""

    def __init__(self, today: dt.date | None = None) -> None:
        """Create the clock.

        Args:
            today: A fixed business date; the real date when omitted.
        """
        self._today = today

    def today(self) -> dt.date:
        """The business date.

        Returns:
            The fixed date, or today's UTC date.
        """
        return self._today or self.now().date()

    def now(self) -> dt.datetime:
        """The current time.

        Returns:
            The current UTC time (real, even with a fixed business date).
        """
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _order_query() -> Any:
    return select(models.Order).options(
        selectinload(models.Order.items),
        selectinload(models.Order.history),
        selectinload(models.Order.shipment),
        selectinload(models.Order.returns),
        selectinload(models.Order.refunds),
    )


class Store:
    """Customers, orders, consent, channel links, erasure and insights."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, basket_key: bytes) -> None:
        """Create the store.

        Args:
            sessions: The session factory.
            clock: The service's clock.
            basket_key: Secret used to derive opaque basket ids from order ids.
        """
        self._sessions = sessions
        self._clock = clock
        self._basket_key = basket_key

    # customers -------------------------------------------------------------------------

    @staticmethod
    def _customer(session: Session, customer_id: str) -> models.Customer:
        row = session.get(models.Customer, customer_id)
        if row is None:
            raise NotFound("customer not found")
        return row

    def list_customers(self, limit: int, offset: int) -> CustomerPage:
        """A page of customers in id order.

        Args:
            limit: Page size.
            offset: Rows to skip.

        Returns:
            The page and the total count.
        """
        with self._sessions.begin() as session:
            total = session.scalar(select(func.count()).select_from(models.Customer)) or 0
            rows = session.scalars(
                select(models.Customer)
                .order_by(models.Customer.customer_id)
                .limit(limit)
                .offset(offset)
            )
            return {"customers": [customer_to_wire(r) for r in rows], "total": int(total)}

    def get_customer(self, customer_id: str) -> Customer:
        """One customer.

        Args:
            customer_id: The id.

        Returns:
            The customer.

        Raises:
            NotFound: Unknown id.
        """
        with self._sessions.begin() as session:
            return customer_to_wire(self._customer(session, customer_id))

    def _next_customer_id(self, session: Session) -> str:
        ids = session.scalars(
            select(models.Customer.customer_id).where(models.Customer.customer_id.like("CUS-%"))
        )
        numbers = [int(m.group(1)) for i in ids if (m := CUSTOMER_NUMBER.match(i))]
        return f"CUS-{max(numbers, default=3000) + 1}"

    def create_customer(self, data: Mapping[str, Any]) -> Customer:
        """Create a customer with the next free ``CUS-`` id.

        Args:
            data: The validated ``CustomerCreate`` fields.

        Returns:
            The new customer.
        """
        now = self._clock.now()
        with self._sessions.begin() as session:
            row = models.Customer(
                customer_id=self._next_customer_id(session),
                created_at=now,
                updated_at=now,
                personalisation_granted=None,
                marketing_granted=None,
            )
            self._apply_profile(row, data)
            for kind in ("personalisation", "marketing"):
                consent = (data.get("consent") or {}).get(kind)
                if consent is not None and consent.get("granted") is not None:
                    setattr(row, f"{kind}_granted", consent["granted"])
                    setattr(row, f"{kind}_updated_at", now)
            session.add(row)
            session.flush()
            return customer_to_wire(row)

    @staticmethod
    def _apply_profile(row: models.Customer, data: Mapping[str, Any]) -> None:
        for key in (
            "name",
            "email",
            "phone",
            "preferred_language",
            "segment",
            "sizes",
            "favourite_brands",
            "favourite_categories",
        ):
            if key in data:
                setattr(row, key, data[key])
        if "price_band" in data:
            band = data["price_band"]
            row.price_min_cents = to_cents(band["min"]) if band else None
            row.price_max_cents = to_cents(band["max"]) if band else None
            row.price_currency = band["currency"] if band else None

    def update_customer(self, customer_id: str, changes: Mapping[str, Any]) -> Customer:
        """Change profile fields.

        Args:
            customer_id: The id.
            changes: The fields that were sent (validated ``CustomerPatch``).

        Returns:
            The customer.

        Raises:
            NotFound: Unknown id.
        """
        with self._sessions.begin() as session:
            row = self._customer(session, customer_id)
            if changes:
                self._apply_profile(row, changes)
                row.updated_at = self._clock.now()
            session.flush()
            return customer_to_wire(row)

    def set_consent(self, customer_id: str, kind: str, granted: bool) -> Customer:
        """Record a consent decision with the current time.

        Args:
            customer_id: The id.
            kind: ``personalisation`` or ``marketing``.
            granted: The decision.

        Returns:
            The customer.

        Raises:
            NotFound: Unknown id.
        """
        now = self._clock.now()
        with self._sessions.begin() as session:
            row = self._customer(session, customer_id)
            setattr(row, f"{kind}_granted", granted)
            setattr(row, f"{kind}_updated_at", now)
            row.updated_at = now
            session.flush()
            return customer_to_wire(row)

    def summary(self, customer_id: str) -> CustomerSummary:
        """The profile and how much else is kept about the customer.

        Args:
            customer_id: The id.

        Returns:
            The summary.

        Raises:
            NotFound: Unknown id.
        """
        with self._sessions.begin() as session:
            row = self._customer(session, customer_id)

            def count(model: Any) -> int:
                query = select(func.count()).select_from(model)
                return int(session.scalar(query.where(model.customer_id == customer_id)) or 0)

            return {
                "customer": customer_to_wire(row),
                "order_count": count(models.Order),
                "channel_links": count(models.ChannelIdentity),
                "conversations": count(models.Conversation),
            }

    def erase(self, customer_id: str) -> ErasureReport:
        """Erase a customer (see :mod:`profiles.erasure`).

        Args:
            customer_id: The id.

        Returns:
            What was erased.

        Raises:
            NotFound: Unknown id.
        """
        with self._sessions.begin() as session:
            return erase_customer(session, self._customer(session, customer_id))

    def add_conversation(self, customer_id: str, sender_id: str, channel: str) -> None:
        """Remember a Rasa conversation of the customer (idempotent).

        Args:
            customer_id: The id.
            sender_id: Rasa's sender id.
            channel: The input channel.

        Raises:
            NotFound: Unknown id.
        """
        with self._sessions.begin() as session:
            self._customer(session, customer_id)
            if session.get(models.Conversation, (customer_id, sender_id)) is None:
                session.add(
                    models.Conversation(
                        customer_id=customer_id,
                        sender_id=sender_id,
                        channel=channel,
                        created_at=self._clock.now(),
                    )
                )

    # orders ----------------------------------------------------------------------------

    @staticmethod
    def _order(session: Session, customer_id: str, order_id: str) -> models.Order:
        row = session.scalars(
            _order_query().where(
                models.Order.order_id == order_id.upper(),
                models.Order.customer_id == customer_id,
            )
        ).first()
        if row is None:
            raise NotFound("order not found")
        return cast(models.Order, row)

    def list_orders(self, customer_id: str, limit: int) -> list[Order]:
        """The customer's orders, newest first.

        Args:
            customer_id: The id.
            limit: At most this many.

        Returns:
            The orders.

        Raises:
            NotFound: Unknown customer.
        """
        with self._sessions.begin() as session:
            self._customer(session, customer_id)
            rows = session.scalars(
                _order_query()
                .where(models.Order.customer_id == customer_id)
                .order_by(models.Order.placed_at.desc(), models.Order.order_id.desc())
                .limit(limit)
            )
            return [order_to_wire(r) for r in rows]

    def get_order(self, customer_id: str, order_id: str) -> Order:
        """One of the customer's orders.

        Args:
            customer_id: The id.
            order_id: The order id (any case).

        Returns:
            The order.

        Raises:
            NotFound: Unknown order, or another customer's.
        """
        with self._sessions.begin() as session:
            return order_to_wire(self._order(session, customer_id, order_id))

    def cancel(self, customer_id: str, order_id: str) -> OrderResult:
        """Cancel one of the customer's orders (see :func:`orders_rules.cancel`).

        Args:
            customer_id: The id.
            order_id: The order id.

        Returns:
            The outcome.

        Raises:
            NotFound: Unknown order, or another customer's.
        """
        with self._sessions.begin() as session:
            row = self._order(session, customer_id, order_id)
            order = order_to_wire(row)
            result = orders_rules.cancel(order, self._clock.today())
            if result["outcome"] == "ok":
                order_from_wire(order, row)
            return result

    def change(self, customer_id: str, order_id: str, request: Mapping[str, Any]) -> OrderResult:
        """Change one of the customer's orders (see :func:`orders_rules.change`).

        Args:
            customer_id: The id.
            order_id: The order id.
            request: The change fields that were sent.

        Returns:
            The outcome.

        Raises:
            NotFound: Unknown order, or another customer's.
        """
        with self._sessions.begin() as session:
            row = self._order(session, customer_id, order_id)
            order = order_to_wire(row)
            result = orders_rules.change(order, request)
            if result["outcome"] == "ok":
                order_from_wire(order, row)
            return result

    def start_return(
        self, customer_id: str, order_id: str, reason: str, product_ids: list[str] | None
    ) -> ReturnResult:
        """Open a return (see :func:`orders_rules.start_return`).

        Args:
            customer_id: The id.
            order_id: The order id.
            reason: Why.
            product_ids: Items to return; all when ``None``.

        Returns:
            The outcome.

        Raises:
            NotFound: Unknown order, or another customer's.
        """
        with self._sessions.begin() as session:
            row = self._order(session, customer_id, order_id)
            order = order_to_wire(row)
            result = orders_rules.start_return(order, reason, self._clock.today(), product_ids)
            if result["outcome"] == "ok":
                return_id = result["return_request"]["return_id"]
                order_from_wire(order, row, product_ids={return_id: product_ids})
            return result

    def refund(self, customer_id: str, order_id: str) -> Refund | None:
        """The latest refund of one of the customer's orders.

        Args:
            customer_id: The id.
            order_id: The order id.

        Returns:
            The refund or ``None``.

        Raises:
            NotFound: Unknown order, or another customer's.
        """
        with self._sessions.begin() as session:
            return orders_rules.latest_refund(
                order_to_wire(self._order(session, customer_id, order_id))
            )

    # channel identities ----------------------------------------------------------------

    def get_link(self, channel: str, external_id: str) -> ChannelLink:
        """The customer a channel user is linked to.

        Args:
            channel: The channel.
            external_id: The user's id on that channel.

        Returns:
            The link.

        Raises:
            NotFound: No link.
        """
        with self._sessions.begin() as session:
            row = session.get(models.ChannelIdentity, (channel, external_id))
            if row is None:
                raise NotFound("channel identity not found")
            return {"channel": channel, "external_id": external_id, "customer_id": row.customer_id}

    def put_link(self, channel: str, external_id: str, customer_id: str) -> ChannelLink:
        """Link a channel user to a customer (replacing an earlier link).

        Args:
            channel: The channel.
            external_id: The user's id on that channel.
            customer_id: The customer.

        Returns:
            The link.

        Raises:
            NotFound: Unknown customer.
        """
        with self._sessions.begin() as session:
            self._customer(session, customer_id)
            row = session.get(models.ChannelIdentity, (channel, external_id))
            if row is None:
                session.add(
                    models.ChannelIdentity(
                        channel=channel,
                        external_id=external_id,
                        customer_id=customer_id,
                        created_at=self._clock.now(),
                    )
                )
            else:
                row.customer_id = customer_id
            return {"channel": channel, "external_id": external_id, "customer_id": customer_id}

    def delete_link(self, channel: str, external_id: str) -> None:
        """Remove a link.

        Args:
            channel: The channel.
            external_id: The user's id on that channel.

        Raises:
            NotFound: No link.
        """
        with self._sessions.begin() as session:
            row = session.get(models.ChannelIdentity, (channel, external_id))
            if row is None:
                raise NotFound("channel identity not found")
            session.delete(row)

    # insights --------------------------------------------------------------------------

    def _basket_id(self, order_id: str) -> str:
        digest = hmac.new(self._basket_key, order_id.encode("utf-8"), hashlib.sha256)
        return f"B-{digest.hexdigest()[:20]}"

    def baskets(self, limit: int, offset: int) -> BasketPage:
        """Every customer's baskets (not cancelled), without who bought them.

        Args:
            limit: Page size.
            offset: Baskets to skip.

        Returns:
            Baskets oldest first, with opaque ids, and the total.
        """
        with self._sessions.begin() as session:
            where = models.Order.status != "cancelled"
            total = session.scalar(select(func.count()).select_from(models.Order).where(where))
            rows = session.scalars(
                select(models.Order)
                .where(where)
                .options(selectinload(models.Order.items))
                .order_by(models.Order.placed_at, models.Order.order_id)
                .limit(limit)
                .offset(offset)
            )
            baskets: list[Basket] = [
                {
                    "basket": self._basket_id(row.order_id),
                    "product_ids": [item.product_id for item in row.items],
                    "placed_at": row.placed_at.isoformat(),
                }
                for row in rows
            ]
            return {"baskets": baskets, "total": int(total or 0)}
