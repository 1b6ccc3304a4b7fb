"""The orders client interface and the order rules the assistant explains to shoppers.

:class:`OrdersClient` is what the actions talk to; the profile service's HTTP client
(``actions.clients.profiles.ProfileClient``) implements it.
"""

from __future__ import annotations

from typing import Protocol

from contracts.profiles import (
    Order,
    OrderChange,
    OrderResult,
    Refund,
    ReturnResult,
)

__all__ = [
    "OrdersClient",
    "OrdersClientError",
]


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
