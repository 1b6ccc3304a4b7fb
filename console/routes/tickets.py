"""Tickets for agents: callback and email requests left outside agent hours.

Contacts are personal data: shown to logged-in agents only, never logged (not even in the
audit log, which keeps the ticket id only).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from console.routes.web import CheckedDep, LoginDep, done, parse, payload, render, store_of
from console.schemas import TicketHandleIn
from console.store import parse_ticket_ref

__all__ = ["router"]

router = APIRouter(tags=["agents"])
TicketRef = Annotated[str, Path(min_length=1, max_length=20)]


def _local(value: str | None, tz: str) -> str:
    if value is None:
        return ""
    return dt.datetime.fromisoformat(value).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


@router.get("/tickets.json")
def tickets_json(request: Request, _login: LoginDep) -> dict[str, Any]:
    """Open tickets (newest first), then the latest handled ones."""
    return {"tickets": store_of(request).tickets()}


@router.get("/tickets", response_class=HTMLResponse)
def tickets_page(request: Request, _login: LoginDep) -> Response:
    """The tickets page: each open ticket can be marked handled with a note."""
    tz: str = request.app.state.settings.hours.tz
    tickets = store_of(request).tickets()
    for ticket in tickets:
        ticket["created_local"] = _local(ticket["created_at"], tz)
        ticket["handled_local"] = _local(ticket["handled_at"], tz)
        ticket["form_key"] = secrets.token_hex(16)
    return render(request, "tickets.html", tickets=tickets, tz=tz)


@router.post("/tickets/{ref}/handle")
async def handle_ticket(request: Request, ref: TicketRef, login: CheckedDep) -> Response:
    """Mark a ticket handled with a note (200; the same key again: 200; handled: 409)."""
    body = parse(TicketHandleIn, await payload(request))
    ticket, new = await run_in_threadpool(
        store_of(request).handle_ticket,
        parse_ticket_ref(ref),
        login.actor,
        body.note,
        body.idempotency_key,
    )
    return done(request, {"ticket": ticket, "duplicate": not new}, "/tickets")
