"""The handoff console's FastAPI app."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import jinja2
from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from console.accounts import Accounts
from console.catalog import CatalogSearch
from console.dashboard import Dashboard
from console.events import ActiveConversations, make_events_engine
from console.headers import SecurityHeaders
from console.profiles import ProfilesClient
from console.rasa import RasaClient
from console.routes import agents, files, service, tickets, tools
from console.routes.web import NeedLogin, render, wants_json
from console.settings import Settings
from console.store import Clock, ConsoleError, Store
from servicekit.db import make_engine, make_sessionmaker
from servicekit.errors import invalid_request
from servicekit.guard import RequestGuard

__all__ = ["create_app", "system_clock"]

logger = logging.getLogger("console")
TEMPLATES = Path(__file__).resolve().parent / "templates"


def system_clock() -> dt.datetime:
    """The current instant.

    Returns:
        Now, in UTC.
    """
    return dt.datetime.now(dt.timezone.utc)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConsoleError)
    path = request.url.path
    if wants_json(request) or path.startswith("/api/") or path.endswith(".json"):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)
    return render(request, "error.html", status=exc.status, message=exc.detail)


async def _need_login(request: Request, _exc: Exception) -> Response:
    if not wants_json(request):
        return RedirectResponse("/login", status_code=303)
    return JSONResponse({"detail": "log in first"}, status_code=401)


async def _crash(request: Request, exc: Exception) -> JSONResponse:
    # The type only: a traceback could carry bound parameters (personal data).
    route = request.scope.get("route")
    path = getattr(route, "path", "?")
    logger.error("unhandled %s on %s %s", type(exc).__name__, request.method, path)
    return JSONResponse({"detail": "internal error"}, status_code=500)


def create_app(
    settings: Settings,
    engine: Engine | None = None,
    *,
    clock: Clock = system_clock,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
    profiles_transport: httpx.AsyncBaseTransport | None = None,
    hasher: PasswordHasher | None = None,
) -> FastAPI:
    """Build the app.

    The schema must already be migrated (``python -m console migrate``). The first admin is
    created from the settings when there is no agent.

    Args:
        settings: The console's settings.
        engine: An engine to use; one is made from the settings when omitted.
        clock: Returns the current UTC instant (tests inject their own).
        rasa_transport: Replaces the network under the Rasa client (tests).
        profiles_transport: Replaces the network under the profile client (tests).
        hasher: The argon2 hasher (tests use cheaper parameters).

    Returns:
        The app.
    """
    engine = engine or make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    rasa = RasaClient(
        settings.rasa_url, settings.rasa_token.get_secret_value(), transport=rasa_transport
    )

    profiles = (
        ProfilesClient(
            settings.profiles_url,
            settings.profiles_token.get_secret_value(),
            transport=profiles_transport,
        )
        if settings.profiles_url
        else None
    )

    events_url = settings.events_database_url
    active = ActiveConversations(lambda: make_events_engine(events_url)) if events_url else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await rasa.aclose()
        if profiles is not None:
            await profiles.aclose()
        if active is not None:
            active.close()

    app = FastAPI(
        title="Handoff console",
        version="1.0.0",
        description="Support agents take over conversations from the assistant.",
        lifespan=lifespan,
        # Nothing but /login and /health answers without a session: no open API docs.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.store = Store(sessions, clock, settings.claim_timeout)
    app.state.dashboard = Dashboard(app.state.store, active, settings.hours.tz)
    app.state.accounts = Accounts(
        sessions, clock, settings.secret_key.get_secret_value(), hasher=hasher
    )
    app.state.rasa = rasa
    app.state.profiles = profiles
    app.state.catalog = CatalogSearch(settings.index_dir)
    app.state.templates = Jinja2Templates(
        env=jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    )
    if settings.admin_email and settings.admin_password is not None:
        if app.state.accounts.ensure_admin(
            settings.admin_email, settings.admin_password.get_secret_value()
        ):
            logger.info("created the first admin account")
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(ConsoleError, _refused)
    app.add_exception_handler(NeedLogin, _need_login)
    app.add_exception_handler(Exception, _crash)
    app.include_router(service.router)
    app.include_router(agents.router)
    app.include_router(tools.router)
    app.include_router(tickets.router)
    app.include_router(files.router)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness."""
        return {"status": "ok"}

    app.add_middleware(
        RequestGuard, token=settings.token.get_secret_value().encode("utf-8"), api_prefix="/api"
    )
    app.add_middleware(SecurityHeaders)
    return app
