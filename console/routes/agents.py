"""The agent side: login, queue, cases, transcript, replies, hand back, resolve, admin pages."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from console.accounts import COOKIE, LOGIN_COOKIE, SESSION_IDLE
from console.dashboard import Dashboard
from console.rasa import UNADDRESSABLE, RasaClient, RasaError, RasaUnaddressable
from console.routes.web import (
    CSRF_FAILED,
    AdminDep,
    CheckedDep,
    LoginDep,
    accounts_of,
    done,
    parse,
    payload,
    render,
    store_of,
    wants_json,
)
from console.schemas import ActionIn, AgentIn, CardIn, PasswordIn, ProductCard, ReplyIn, ResolveIn
from console.store import ConsoleError, case_ref, parse_case_ref, utc
from formats.cards import card_buttons

__all__ = ["router"]

router = APIRouter(tags=["agents"])
CaseRef = Annotated[str, Path(min_length=1, max_length=20)]
RASA_DOWN = "Rasa did not accept the message; it is stored, send it again to retry"


def _rasa(request: Request) -> RasaClient:
    rasa: RasaClient = request.app.state.rasa
    return rasa


# -- login -----------------------------------------------------------------------------
def _login_form(request: Request, status: int = 200, **context: Any) -> Response:
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not (16 <= len(nonce) <= 64 and nonce.replace("-", "").replace("_", "").isalnum()):
        nonce = secrets.token_urlsafe(24)
    page = render(
        request,
        "login.html",
        status=status,
        login_csrf=accounts_of(request).login_csrf(nonce),
        **context,
    )
    page.set_cookie(
        LOGIN_COOKIE,
        nonce,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.cookie_secure,
        path="/login",
    )
    return page


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    """The login form (with its CSRF token)."""
    return _login_form(request)


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Check the form's CSRF token and the password, open a session, go to the queue."""
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    expected = accounts_of(request).login_csrf(nonce)
    token = request.headers.get("x-csrf-token") or csrf_token
    if not nonce or not hmac.compare_digest(token.encode(), expected.encode()):
        if wants_json(request):
            return JSONResponse({"detail": CSRF_FAILED}, status_code=403)
        return _login_form(request, 403, error=CSRF_FAILED, email=email)
    client = request.client.host if request.client else "?"
    try:
        cookie = accounts_of(request).login(email, password, client)
    except ConsoleError as exc:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status)
        return _login_form(request, exc.status, error=exc.detail, email=email)
    response: Response = (
        JSONResponse({"ok": True}) if wants_json(request) else RedirectResponse("/queue", 303)
    )
    response.set_cookie(
        COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.cookie_secure,
        max_age=int(SESSION_IDLE.total_seconds()),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, login: CheckedDep) -> Response:
    """End the session."""
    accounts_of(request).logout(login)
    response = done(request, {"ok": True}, "/login")
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/session")
def session_info(login: LoginDep) -> dict[str, Any]:
    """Who is logged in, and the CSRF token scripts send as ``X-CSRF-Token``."""
    return {
        "agent_id": login.actor.id,
        "display_name": login.actor.name,
        "role": login.role,
        "csrf_token": login.csrf,
    }


# -- queue and cases -------------------------------------------------------------------
@router.get("/", include_in_schema=False)
def home(_login: LoginDep) -> Response:
    """To the queue."""
    return RedirectResponse("/queue", 303)


@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request, _login: LoginDep) -> Response:
    """The queue, by priority."""
    return render(request, "queue.html", cases=store_of(request).queue())


@router.get("/queue.json")
def queue_json(request: Request, _login: LoginDep) -> dict[str, Any]:
    """The queue, by priority, as JSON."""
    return {"cases": store_of(request).queue()}


def _case_dict(request: Request, case_id: int) -> dict[str, Any]:
    store = store_of(request)
    case = store.get_case(case_id)
    return {
        "case_id": case_ref(case.id),
        "conversation_id": case.conversation_id,
        "status": case.status,
        "channel": case.channel,
        "language": case.language,
        "reason": case.reason,
        "reason_detail": case.reason_detail,
        "priority": case.priority,
        "customer_id": case.customer_id,
        "profile": case.profile,
        "sentiment_trail": case.sentiment_trail,
        "summary": case.summary,
        "claimed_by": store.agent_name(case.claimed_by),
        "claimed_by_id": case.claimed_by,
        "created_at": utc(case.created_at).isoformat(),
        "resolved_note": case.resolved_note,
    }


@router.get("/cases/{ref}", response_class=HTMLResponse)
def case_page(request: Request, ref: CaseRef, _login: LoginDep) -> Response:
    """A case: summary, reason, sentiment trail, customer panel, the console's events."""
    case_id = parse_case_ref(ref)
    case = _case_dict(request, case_id)
    store = store_of(request)
    timeout: int = request.app.state.settings.claim_timeout
    return render(
        request,
        "case.html",
        case=case,
        events=store.events(case_id),
        canned=store.canned(case["language"]),
        # The page pings several times per claim timeout (never slower than every 30 s).
        heartbeat_seconds=max(1, min(30, timeout // 4)),
        form_key=secrets.token_hex(16),
    )


@router.get("/cases/{ref}/data")
def case_json(request: Request, ref: CaseRef, _login: LoginDep) -> dict[str, Any]:
    """A case as JSON."""
    return _case_dict(request, parse_case_ref(ref))


PAUSE_FAILED = (
    "claimed, but Rasa could not be reached to pause the conversation: "
    "the bot may still answer the shopper"
)


@router.post("/cases/{ref}/claim")
async def claim(request: Request, ref: CaseRef, login: CheckedDep) -> Response:
    """Claim a queued case (409 when someone else has it) and make sure the bot is paused.

    A case opened by the action server's retry may belong to a conversation that was never
    paused; the claim appends ``pause`` then, so the bot does not talk over the agent.
    """
    case = await run_in_threadpool(store_of(request).claim, parse_case_ref(ref), login.actor)
    answer: dict[str, Any] = {
        "case_id": case_ref(case.id),
        "status": case.status,
        "claimed_by": login.actor.name,
    }
    try:
        answer["paused_now"] = await _rasa(request).ensure_paused(case.conversation_id)
    except RasaUnaddressable:
        answer["warning"] = UNADDRESSABLE
    except RasaError:
        answer["warning"] = PAUSE_FAILED
    return done(request, answer, f"/cases/{case_ref(case.id)}")


SENT_KINDS = frozenset({"reply", "product_card"})


def with_buttons(card: dict[str, Any], language: str | None) -> dict[str, Any]:
    """A card with its buttons (details, more like this, compare) in the shopper's language.

    Args:
        card: The product card (``id`` required).
        language: The case's language.

    Returns:
        A copy of the card whose ``buttons`` are the ones every carousel card carries.
    """
    return {**card, "buttons": card_buttons(str(card["id"]), language)}


def _carousel(card: dict[str, Any] | None, language: str | None) -> dict[str, Any]:
    """The carousel payload of one agent's card (the contract every channel renders)."""
    return {
        "type": "product_carousel",
        "language": language or "en",
        "products": [with_buttons(card, language)] if card else [],
    }


def _stamp(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


@router.get("/cases/{ref}/transcript")
async def transcript(request: Request, ref: CaseRef, _login: LoginDep) -> dict[str, Any]:
    """Rasa's user and bot messages merged with the console's own events, oldest first.

    Texts are returned as stored; pages must insert them as text (never as HTML).
    """
    case_id = parse_case_ref(ref)
    store = store_of(request)
    case = await run_in_threadpool(store.get_case, case_id)
    items: list[dict[str, Any]] = []
    rasa_ok = True
    try:
        tracker = await _rasa(request).tracker(case.conversation_id)
    except RasaError:
        tracker, rasa_ok = {}, False
    for event in tracker.get("events") or []:
        if not isinstance(event, dict) or event.get("event") not in ("user", "bot"):
            continue
        metadata = event.get("metadata") or {}
        agent = metadata.get("agent") if isinstance(metadata, dict) else None
        if event["event"] == "user":
            source = "shopper"
        else:
            source = "agent" if agent else "bot"
        data = event.get("data")
        custom = data.get("custom") if isinstance(data, dict) else None
        items.append(
            {
                "from": source,
                "agent": agent,
                "text": str(event.get("text") or ""),
                "at": _stamp(event.get("timestamp")),
                "kind": "message",
                "custom": custom if isinstance(custom, dict) else None,
            }
        )
    names: dict[int, str | None] = {}
    for ev in await run_in_threadpool(store.events, case_id):
        sent = ev.kind in SENT_KINDS
        if sent and ev.delivered and rasa_ok:
            continue  # already in Rasa's tracker as a bot event
        if ev.agent_id is not None and ev.agent_id not in names:
            names[ev.agent_id] = await run_in_threadpool(store.agent_name, ev.agent_id)
        items.append(
            {
                "from": "agent" if sent else "console",
                "agent": names.get(ev.agent_id) if ev.agent_id is not None else None,
                "text": ev.text,
                "at": utc(ev.at).timestamp(),
                "kind": f"pending_{ev.kind}" if sent and not ev.delivered else ev.kind,
                "custom": _carousel(ev.data, case.language) if ev.kind == "product_card" else None,
            }
        )
    items.sort(key=lambda item: item["at"])
    return {"case_id": case_ref(case_id), "status": case.status, "rasa": rasa_ok, "items": items}


@router.post("/cases/{ref}/reply")
async def reply(request: Request, ref: CaseRef, login: CheckedDep) -> Response:
    """Send an agent's message to the shopper (stored once per idempotency key)."""
    body = parse(ReplyIn, await payload(request))
    store = store_of(request)
    event, case, new = await run_in_threadpool(
        store.record, parse_case_ref(ref), login.actor, "reply", body.idempotency_key, body.text
    )
    if not event.delivered:
        try:
            await _rasa(request).send_bot_message(
                case.conversation_id, event.text, login.actor.name
            )
        except RasaError:
            raise ConsoleError(502, RASA_DOWN) from None
        await run_in_threadpool(store.mark_delivered, event.id)
    return JSONResponse(
        {"event_id": event.id, "duplicate": not new, "delivered": True},
        status_code=201 if new else 200,
    )


def card_text(product: ProductCard) -> str:
    """The one-line text sent with a card (what channels without cards show).

    Args:
        product: The card.

    Returns:
        "Title (Brand) - 79.99 USD https://..."
    """
    head = product.title + (f" ({product.brand})" if product.brand else "")
    price = product.price_text or f"{product.price:.2f} {product.currency}"
    return f"{head} - {price}" + (f" {product.url}" if product.url else "")


@router.post("/cases/{ref}/card")
async def send_card(request: Request, ref: CaseRef, login: CheckedDep) -> Response:
    """Send one product card (a ``product_carousel`` custom payload) with a text fallback.

    The card is stored as the agent sent it, without buttons; the shopper gets it with the
    buttons every card carries, in the case's language (whatever buttons the page sent).
    """
    body = parse(CardIn, await payload(request))
    store = store_of(request)
    card = body.product.model_dump(exclude_unset=True, exclude_none=True, exclude={"buttons"})
    text = body.text or card_text(body.product)
    event, case, new = await run_in_threadpool(
        store.record,
        parse_case_ref(ref),
        login.actor,
        "product_card",
        body.idempotency_key,
        text,
        card,
    )
    if not event.delivered:
        custom = _carousel(event.data or card, case.language)
        try:
            await _rasa(request).send_bot_message(
                case.conversation_id, event.text, login.actor.name, custom
            )
        except RasaError:
            raise ConsoleError(502, RASA_DOWN) from None
        await run_in_threadpool(store.mark_delivered, event.id)
    return JSONResponse(
        {"event_id": event.id, "duplicate": not new, "delivered": True},
        status_code=201 if new else 200,
    )


@router.post("/cases/{ref}/handback")
async def handback(request: Request, ref: CaseRef, login: CheckedDep) -> Response:
    """Give the conversation back to the bot (resume + ``utter_handback``)."""
    body = parse(ActionIn, await payload(request))
    store = store_of(request)
    event, case, new = await run_in_threadpool(
        store.record, parse_case_ref(ref), login.actor, "handback", body.idempotency_key
    )
    if not event.delivered:
        try:
            await _rasa(request).hand_back(case.conversation_id)
        except RasaError:
            raise ConsoleError(502, "Rasa did not resume the conversation; try again") from None
        await run_in_threadpool(store.mark_delivered, event.id)
        case = await run_in_threadpool(store.close, case.id, "handed_back")
    return done(request, {"case_id": case_ref(case.id), "status": case.status}, "/queue", 200)


@router.post("/cases/{ref}/resolve")
async def resolve(request: Request, ref: CaseRef, login: CheckedDep) -> Response:
    """Close the case with a note; the conversation is resumed so the bot is not left mute.

    A case already handed back can be resolved too (the note is kept, Rasa is not called).
    """
    body = parse(ResolveIn, await payload(request))
    store = store_of(request)
    event, case, new = await run_in_threadpool(
        store.record, parse_case_ref(ref), login.actor, "resolve", body.idempotency_key, body.note
    )
    if not event.delivered:
        # A handed-back conversation already runs with the bot (and may have a new case).
        if case.status != "handed_back":
            try:
                await _rasa(request).resume(case.conversation_id)
            except RasaError:
                raise ConsoleError(502, "Rasa did not resume the conversation; try again") from None
        await run_in_threadpool(store.mark_delivered, event.id)
        case = await run_in_threadpool(store.close, case.id, "resolved", body.note)
    return done(request, {"case_id": case_ref(case.id), "status": case.status}, "/queue")


@router.get("/canned.json")
def canned(request: Request, _login: LoginDep, language: str | None = None) -> dict[str, Any]:
    """Canned replies (optionally of one language)."""
    return {
        "replies": [
            {"key": c.key, "language": c.language, "text": c.text}
            for c in store_of(request).canned(language)
        ]
    }


# -- dashboard and audit ---------------------------------------------------------------
def _figures(request: Request) -> dict[str, Any]:
    dashboard: Dashboard = request.app.state.dashboard
    return dashboard.figures()


@router.get("/dashboard.json")
def dashboard_json(request: Request, _login: LoginDep) -> dict[str, Any]:
    """Open cases and tickets, median wait, handoff rate, handoffs and resolutions today."""
    return _figures(request)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, _login: LoginDep) -> Response:
    """The dashboard."""
    return render(request, "dashboard.html", figures=_figures(request))


def _require_admin(login: Any) -> None:
    if not login.actor.admin:
        raise ConsoleError(403, "only an admin can do that")


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, login: LoginDep) -> Response:
    """The audit log (admins)."""
    _require_admin(login)
    entries = store_of(request).audit_log()
    return render(
        request,
        "audit.html",
        entries=[
            {
                "at": utc(e.at).astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
                "actor": e.actor,
                "action": e.action,
                "case": case_ref(e.case_id) if e.case_id is not None else "",
                "detail": e.detail,
            }
            for e in entries
        ],
    )


# -- agent management (admins) ---------------------------------------------------------
@router.get("/agents", response_class=HTMLResponse)
def agents_page(request: Request, login: LoginDep) -> Response:
    """The agents (admins)."""
    _require_admin(login)
    return render(request, "agents.html", agents=accounts_of(request).list_agents())


@router.post("/agents")
async def create_agent(request: Request, login: AdminDep) -> Response:
    """Create an agent."""
    body = parse(AgentIn, await payload(request))
    agent = await run_in_threadpool(
        accounts_of(request).create_agent,
        login.actor,
        body.email,
        body.display_name,
        body.role,
        body.password,
    )
    return done(request, {"agent_id": agent.id}, "/agents", 201)


@router.post("/agents/{agent_id}/deactivate")
def deactivate_agent(request: Request, agent_id: int, login: AdminDep) -> Response:
    """Deactivate an agent (ends their sessions)."""
    accounts_of(request).set_active(login.actor, agent_id, False)
    return done(request, {"agent_id": agent_id, "active": False}, "/agents")


@router.post("/agents/{agent_id}/activate")
def activate_agent(request: Request, agent_id: int, login: AdminDep) -> Response:
    """Activate an agent again."""
    accounts_of(request).set_active(login.actor, agent_id, True)
    return done(request, {"agent_id": agent_id, "active": True}, "/agents")


@router.post("/agents/{agent_id}/password")
async def reset_password(request: Request, agent_id: int, login: AdminDep) -> Response:
    """Set an agent's password (ends their sessions)."""
    body = parse(PasswordIn, await payload(request))
    await run_in_threadpool(
        accounts_of(request).reset_password, login.actor, agent_id, body.password
    )
    return done(request, {"agent_id": agent_id}, "/agents")
