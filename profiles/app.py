"""The profile service's FastAPI app."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from contracts.profiles import Health
from profiles.auth import TokenCheck
from profiles.db import make_engine, make_sessionmaker
from profiles.middleware import RequestGuard
from profiles.routes import customers, identities, insights, orders
from profiles.settings import Settings
from profiles.store import Clock, NotFound, Store

__all__ = ["create_app"]

logger = logging.getLogger("profiles")


def _errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only where and what: never the input (it may hold personal data).
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors()
    ]


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        return JSONResponse({"detail": "malformed JSON"}, status_code=400)
    return JSONResponse({"detail": "invalid request", "errors": errors}, status_code=422)


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
    engine = engine or make_engine(settings)
    token = settings.token.get_secret_value().encode("utf-8")
    app = FastAPI(
        title="Profile service",
        version="1.0.0",
        description="Customers, orders, consent, channel identities and erasure.",
    )
    app.state.store = Store(make_sessionmaker(engine), Clock(settings.today), token)
    app.state.engine = engine
    app.add_exception_handler(RequestValidationError, _invalid)
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

    app.add_middleware(RequestGuard, token=token)
    return app
