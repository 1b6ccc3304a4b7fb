"""The profile service's FastAPI app."""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from contracts.profiles import Health
from profiles.auth import TokenCheck
from profiles.routes import customers, identities, insights, orders
from profiles.settings import Settings
from profiles.store import Clock, NotFound, Store
from servicekit.db import make_engine, make_sessionmaker
from servicekit.errors import invalid_request
from servicekit.guard import RequestGuard

__all__ = ["create_app"]

logger = logging.getLogger("profiles")


async def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=404)


async def _conflict(_request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": "conflicting change, try again"}, status_code=409)


async def _crash(request: Request, exc: Exception) -> JSONResponse:
    # The type only: a traceback could carry bound parameters (personal data).
    route = request.scope.get("route")
    path = getattr(route, "path", "?")
    logger.error("unhandled %s on %s %s", type(exc).__name__, request.method, path)
    return JSONResponse({"detail": "internal error"}, status_code=500)


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """Build the app.

    The schema must already be migrated (``python -m profiles migrate``).

    Args:
        settings: The service's settings.
        engine: An engine to use; one is made from the settings when omitted.

    Returns:
        The app (``/health``, ``/openapi.json`` open; ``/v1/...`` behind the token).
    """
    engine = engine or make_engine(settings.database_url)
    token = settings.token.get_secret_value().encode("utf-8")
    app = FastAPI(
        title="Profile service",
        version="1.0.0",
        description="Customers, orders, consent, channel identities and erasure.",
    )
    app.state.store = Store(make_sessionmaker(engine), Clock(settings.today), token)
    app.state.engine = engine
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(IntegrityError, _conflict)
    app.add_exception_handler(Exception, _crash)
    protected = [Depends(TokenCheck(token))]
    for router in (customers.router, orders.router, identities.router, insights.router):
        app.include_router(router, dependencies=protected)

    @app.get("/health", tags=["health"])
    def health() -> Health:
        """Liveness."""
        return {"status": "ok"}

    app.add_middleware(RequestGuard, token=token, api_prefix="/v1")
    return app
