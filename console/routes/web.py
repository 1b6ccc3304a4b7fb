"""Shared pieces of the agent side: the session and CSRF checks, answers as HTML or JSON."""

from __future__ import annotations

import hmac
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError

from console.accounts import COOKIE, Accounts, Login
from console.store import ConsoleError, Store

__all__ = [
    "NeedLogin",
    "CSRF_FAILED",
    "current_login",
    "checked_login",
    "admin_login",
    "wants_json",
    "payload",
    "parse",
    "render",
    "done",
    "store_of",
    "accounts_of",
    "LoginDep",
    "CheckedDep",
    "AdminDep",
]

CSRF_FAILED = "missing or stale CSRF token: reload the page and try again"
M = TypeVar("M", bound=BaseModel)


class NeedLogin(Exception):
    """The request has no live session."""


def store_of(request: Request) -> Store:
    """The app's store.

    Args:
        request: The request.

    Returns:
        The store.
    """
    store: Store = request.app.state.store
    return store


def accounts_of(request: Request) -> Accounts:
    """The app's accounts.

    Args:
        request: The request.

    Returns:
        The accounts.
    """
    accounts: Accounts = request.app.state.accounts
    return accounts


def wants_json(request: Request) -> bool:
    """Whether the caller is script (JSON) rather than a page's form.

    Args:
        request: The request.

    Returns:
        True for JSON callers.
    """
    accept = request.headers.get("accept", "")
    ctype = request.headers.get("content-type", "")
    return (
        "application/json" in accept
        or ctype.startswith("application/json")
        or "x-csrf-token" in request.headers
    )


def current_login(request: Request) -> Login:
    """The live session (a FastAPI dependency).

    Args:
        request: The request.

    Returns:
        The login.

    Raises:
        NeedLogin: No live session.
    """
    login = accounts_of(request).resolve(request.cookies.get(COOKIE))
    if login is None:
        raise NeedLogin()
    request.state.login = login
    return login


LoginDep = Annotated[Login, Depends(current_login)]


async def checked_login(request: Request, login: LoginDep) -> Login:
    """The live session of a POST whose CSRF token matches it.

    Args:
        request: The request.
        login: The session.

    Returns:
        The login.

    Raises:
        ConsoleError: 403 when the token is missing or from another session.
    """
    token = request.headers.get("x-csrf-token")
    if token is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get("csrf_token")
        token = value if isinstance(value, str) else None
    if not token or not hmac.compare_digest(token.encode(), login.csrf.encode()):
        raise ConsoleError(403, CSRF_FAILED)
    return login


CheckedDep = Annotated[Login, Depends(checked_login)]


async def admin_login(login: CheckedDep) -> Login:
    """A checked session of an admin.

    Args:
        login: The session.

    Returns:
        The login.

    Raises:
        ConsoleError: 403 for agents.
    """
    if not login.actor.admin:
        raise ConsoleError(403, "only an admin can do that")
    return login


AdminDep = Annotated[Login, Depends(admin_login)]


async def payload(request: Request) -> dict[str, Any]:
    """The body as a dict (JSON or form; the CSRF field removed).

    Args:
        request: The request.

    Returns:
        The fields.

    Raises:
        ConsoleError: 400 for a malformed JSON body.
    """
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            raise ConsoleError(400, "malformed JSON") from None
        if not isinstance(data, dict):
            raise ConsoleError(422, "the body must be a JSON object")
        return data
    form = await request.form()
    return {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def parse(model: type[M], data: dict[str, Any]) -> M:
    """Validate fields against a model.

    Args:
        model: The model.
        data: The fields.

    Returns:
        The instance.

    Raises:
        ConsoleError: 422 naming the bad fields (never their values).
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for error in exc.errors():
            name = ".".join(str(p) for p in error["loc"]) or "body"
            problems.setdefault(name, _problem(error["type"], error.get("ctx") or {}))
        described = [f"{name} ({why})" if why else name for name, why in sorted(problems.items())]
        raise ConsoleError(422, f"invalid fields: {', '.join(described)}") from None


def _problem(kind: str, ctx: dict[str, Any]) -> str:
    """A short reason for one field (never its value)."""
    if kind == "string_too_long":
        return f"longer than {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "empty" if ctx.get("min_length") == 1 else f"shorter than {ctx.get('min_length')}"
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown field"
    return ""


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page (autoescaped).

    Args:
        request: The request.
        name: The template.
        status: The HTTP status.
        **context: The template's variables.

    Returns:
        The page.
    """
    templates: Jinja2Templates = request.app.state.templates
    login = getattr(request.state, "login", None)
    return templates.TemplateResponse(
        request, name, {"login": login, **context}, status_code=status
    )


def done(request: Request, data: dict[str, Any], redirect: str, status: int = 200) -> Response:
    """Answer a POST: JSON for scripts, a redirect for forms.

    Args:
        request: The request.
        data: The JSON answer.
        redirect: Where a form goes next.
        status: The JSON status.

    Returns:
        The response.
    """
    if wants_json(request):
        return JSONResponse(data, status_code=status)
    return RedirectResponse(redirect, status_code=303)
