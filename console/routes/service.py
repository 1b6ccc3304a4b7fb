"""The service API for the action server (docs/console-api.md).

The token is checked by :class:`servicekit.guard.RequestGuard` before these handlers run.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from console.schemas import Availability, CaseIn, ErasureOut, TicketIn, TicketOut
from console.store import Store

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["service"])
ExternalId = Annotated[str, Path(min_length=1, max_length=200)]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.post("/cases", status_code=201)
def open_case(request: Request, body: CaseIn) -> JSONResponse:
    """Open (or return) the conversation's case."""
    answer, created = _store(request).open_case(body)
    return JSONResponse(answer, status_code=201 if created else 200)


@router.post("/tickets", status_code=201)
def create_ticket(request: Request, body: TicketIn) -> TicketOut:
    """Store a callback or email ticket."""
    return TicketOut(ticket_id=_store(request).create_ticket(body))


@router.get("/availability")
def availability(request: Request) -> Availability:
    """Whether agents answer now."""
    store = _store(request)
    hours = request.app.state.settings.hours
    now = store.clock()
    is_open = hours.is_open(now)
    return Availability(
        open=is_open,
        agents_online=store.count_online(),
        opens_at=None if is_open else hours.next_opening(now).isoformat(),
    )


@router.delete("/customers/{customer_id}")
def erase_customer(request: Request, customer_id: ExternalId) -> ErasureOut:
    """Erase a customer's cases, transcripts, profile snapshots and tickets."""
    return _store(request).erase(customer_id=customer_id)


@router.delete("/conversations/{conversation_id}")
def erase_conversation(request: Request, conversation_id: ExternalId) -> ErasureOut:
    """Erase a conversation's cases, transcripts, profile snapshots and tickets."""
    return _store(request).erase(conversation_id=conversation_id)
