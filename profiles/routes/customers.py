"""Customers: profile, consent, summary, erasure, conversations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from contracts.profiles import Customer, CustomerPage, CustomerSummary, ErasureReport
from profiles.routes.deps import CustomerId, StoreDep
from profiles.schemas import (
    ConsentKind,
    ConsentUpdate,
    ConversationIn,
    CustomerCreate,
    CustomerPatch,
)

__all__ = ["router"]

router = APIRouter(prefix="/v1/customers", tags=["customers"])


@router.get("")
def list_customers(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> CustomerPage:
    """A page of customers in id order."""
    return store.list_customers(limit, offset)


@router.post("", status_code=201)
def create_customer(body: CustomerCreate, store: StoreDep) -> Customer:
    """Create a customer; the service assigns the id and timestamps."""
    return store.create_customer(body.model_dump())


@router.get("/{customer_id}")
def get_customer(customer_id: CustomerId, store: StoreDep) -> Customer:
    """One customer."""
    return store.get_customer(customer_id)


@router.patch("/{customer_id}")
def update_customer(customer_id: CustomerId, body: CustomerPatch, store: StoreDep) -> Customer:
    """Change profile fields (only those sent)."""
    return store.update_customer(customer_id, body.model_dump(exclude_unset=True))


@router.put("/{customer_id}/consent/{kind}")
def set_consent(
    customer_id: CustomerId, kind: ConsentKind, body: ConsentUpdate, store: StoreDep
) -> Customer:
    """Record a consent decision; the service sets its timestamp."""
    return store.set_consent(customer_id, kind, body.granted)


@router.get("/{customer_id}/summary")
def summary(customer_id: CustomerId, store: StoreDep) -> CustomerSummary:
    """The profile and how much else is kept ("what do you know about me")."""
    return store.summary(customer_id)


@router.delete("/{customer_id}")
def erase(customer_id: CustomerId, store: StoreDep) -> ErasureReport:
    """Erase the customer: profile, links and conversations go, orders are anonymised."""
    return store.erase(customer_id)


@router.post("/{customer_id}/conversations", status_code=204, response_class=Response)
def add_conversation(customer_id: CustomerId, body: ConversationIn, store: StoreDep) -> Response:
    """Remember a Rasa conversation of the customer, to erase with them (idempotent)."""
    store.add_conversation(customer_id, body.sender_id, body.channel)
    return Response(status_code=204)
