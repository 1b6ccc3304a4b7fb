"""What the case page uses besides the transcript: catalog search, customer panel, heartbeat."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from console.catalog import CatalogSearch, CatalogUnavailable
from console.profiles import (
    ProfilesClient,
    ProfilesUnavailable,
    customer_panel,
    snapshot_panel,
)
from console.routes.web import CheckedDep, LoginDep, store_of
from console.schemas import Language
from console.store import ConsoleError, case_ref, parse_case_ref
from formats.cards import card_buttons

__all__ = ["router", "PROFILES_DOWN"]

router = APIRouter(tags=["agents"])
CaseRef = Annotated[str, Path(min_length=1, max_length=20)]
PROFILES_DOWN = "profile service unavailable"


@router.get("/catalog/search.json")
async def catalog_search(
    request: Request,
    _login: LoginDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
    language: Language = "en",
) -> dict[str, Any]:
    """Catalog products matching the agent's words, as carousel cards (503 without an index).

    Each card carries its buttons (details, more like this, compare) in ``language`` (the
    case's); a card sent to a shopper gets them in the case's language in any case.
    """
    catalog: CatalogSearch = request.app.state.catalog
    try:
        products = await run_in_threadpool(catalog.search, q, limit)
    except CatalogUnavailable as exc:
        raise ConsoleError(503, str(exc)) from None
    cards = [{**card, "buttons": card_buttons(str(card["id"]), language)} for card in products]
    return {"query": q, "language": language, "products": cards}


@router.get("/cases/{ref}/customer.json")
async def customer(request: Request, ref: CaseRef, _login: LoginDep) -> dict[str, Any]:
    """The customer panel: the live profile and recent orders, or the case's snapshot."""
    case = await run_in_threadpool(store_of(request).get_case, parse_case_ref(ref))
    if case.customer_id is None:
        panel = snapshot_panel(None, "anonymous shopper")
        panel["source"] = "none"
        return {"case_id": case_ref(case.id), "customer_id": None, **panel}
    profiles: ProfilesClient | None = request.app.state.profiles
    answer = {"case_id": case_ref(case.id), "customer_id": case.customer_id}
    if profiles is None:
        return {**answer, **snapshot_panel(case.profile, "profile service not configured")}
    try:
        record = await profiles.customer(case.customer_id)
    except ProfilesUnavailable as exc:
        message = "customer not found in the profile service" if exc.status == 404 else None
        return {**answer, **snapshot_panel(case.profile, message or PROFILES_DOWN)}
    try:
        orders, orders_ok = await profiles.orders(case.customer_id), True
    except ProfilesUnavailable:
        orders, orders_ok = [], False
    return {**answer, **customer_panel(record, orders, orders_ok)}


@router.post("/cases/{ref}/heartbeat")
async def heartbeat(request: Request, ref: CaseRef, login: CheckedDep) -> dict[str, Any]:
    """The case page is open: keep its agent's claim alive (409 once it has expired)."""
    case = await run_in_threadpool(store_of(request).heartbeat, parse_case_ref(ref), login.actor)
    return {
        "case_id": case_ref(case.id),
        "status": case.status,
        "claimed_by_id": case.claimed_by,
    }
