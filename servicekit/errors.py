"""The JSON answer to a request FastAPI could not validate (same in every service)."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.requests import Request
from fastapi.responses import JSONResponse

__all__ = ["invalid_request"]


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


async def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """400 for malformed JSON, else 422 with where and what failed (never the input).

    Args:
        _request: The request.
        exc: The validation error.

    Returns:
        The answer.
    """
    assert isinstance(exc, RequestValidationError)
    errors = _errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        return JSONResponse({"detail": "malformed JSON"}, status_code=400)
    return JSONResponse({"detail": "invalid request", "errors": errors}, status_code=422)
