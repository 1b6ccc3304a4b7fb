"""A customer's orders: look-up, cancel, change, return, refund."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from contracts.profiles import Order, OrderList, OrderResult, RefundAnswer, ReturnResult
from profiles.routes.deps import CustomerId, OrderId, StoreDep
from profiles.schemas import OrderChangeIn, ReturnIn

__all__ = ["router"]

router = APIRouter(prefix="/v1/customers/{customer_id}/orders", tags=["orders"])


@router.get("")
def list_orders(
    customer_id: CustomerId,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> OrderList:
    """The customer's orders, newest first."""
    return {"orders": store.list_orders(customer_id, limit)}


@router.get("/{order_id}")
def get_order(customer_id: CustomerId, order_id: OrderId, store: StoreDep) -> Order:
    """One of the customer's orders (another customer's is "not found")."""
    return store.get_order(customer_id, order_id)


@router.post("/{order_id}/cancel")
def cancel(customer_id: CustomerId, order_id: OrderId, store: StoreDep) -> OrderResult:
    """Cancel an order that has not shipped."""
    return store.cancel(customer_id, order_id)


@router.post("/{order_id}/change")
def change(
    customer_id: CustomerId, order_id: OrderId, body: OrderChangeIn, store: StoreDep
) -> OrderResult:
    """Change the address or an item's size/colour before shipping."""
    return store.change(customer_id, order_id, body.model_dump(exclude_unset=True))


@router.post("/{order_id}/returns")
def start_return(
    customer_id: CustomerId, order_id: OrderId, body: ReturnIn, store: StoreDep
) -> ReturnResult:
    """Open a return inside the return window."""
    return store.start_return(customer_id, order_id, body.reason, body.product_ids)


@router.get("/{order_id}/refund")
def refund(customer_id: CustomerId, order_id: OrderId, store: StoreDep) -> RefundAnswer:
    """The order's latest refund, or null."""
    return {"refund": store.refund(customer_id, order_id)}
