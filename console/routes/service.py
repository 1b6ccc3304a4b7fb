"""The service API for the action server (docs/console-api.md).

The token is checked by :class:`servicekit.guard.RequestGuard` before these handlers run.
Ids in paths use the ``path`` converter: an id holding ``/`` (sent as ``%2F``, which the
server decodes before routing) still reaches its route, so no erasure is dropped.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from console.ids import ExternalPathId, travels_raw
from console.rasa import UNADDRESSABLE, RasaClient, RasaError
from console.schemas import Availability, CaseIn, ErasureOut, TicketIn, TicketOut
from console.store import ConsoleError, Store

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["service"])
ExternalId = Annotated[str, Path(min_length=1, max_length=200)]
_PATH_ID: TypeAdapter[str] = TypeAdapter(ExternalPathId)
RASA_UNCHECKED = "Rasa unreachable: the conversation id could not be checked; retry"


def _path_id(value: str) -> str:
    try:
        return _PATH_ID.validate_python(value)
    except ValidationError:
        raise ConsoleError(422, "invalid id: control characters") from None


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.post("/cases", status_code=201)
async def open_case(request: Request, body: CaseIn) -> JSONResponse:
    """Open (or return) the conversation's case.

    An id that cannot travel unescaped is first checked with Rasa (its tracker must echo
    the id): a case the console could not answer is refused (422), so the action server
    offers the shopper a ticket instead of pausing a conversation nobody can reach.
    """
    if not travels_raw(body.conversation_id):
        rasa: RasaClient = request.app.state.rasa
        try:
            reachable = await rasa.addressable(body.conversation_id)
        except RasaError:
            raise ConsoleError(503, RASA_UNCHECKED) from None
        if not reachable:
            raise ConsoleError(422, UNADDRESSABLE)
    answer, created = await run_in_threadpool(_store(request).open_case, body)
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


@router.delete("/customers/{customer_id:path}")
def erase_customer(request: Request, customer_id: ExternalId) -> ErasureOut:
    """Erase a customer's cases, transcripts, profile snapshots and tickets."""
    return _store(request).erase(customer_id=_path_id(customer_id))


@router.delete("/conversations/{conversation_id:path}")
def erase_conversation(request: Request, conversation_id: ExternalId) -> ErasureOut:
    """Erase a conversation's cases, transcripts, profile snapshots and tickets."""
    return _store(request).erase(conversation_id=_path_id(conversation_id))
