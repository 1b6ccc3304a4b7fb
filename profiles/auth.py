"""Bearer-token authentication between the service and its callers."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import HTTPException, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

__all__ = ["AUTH_FAILED", "BEARER", "token_matches", "TokenCheck"]

#: The answer to a missing or wrong token.
AUTH_FAILED = "missing or wrong service token"


def token_matches(header: str | None, expected: bytes) -> bool:
    """Whether an ``Authorization`` header carries the expected bearer token.

    The comparison takes the same time wherever the tokens differ.

    Args:
        header: The header's value, if any.
        expected: The service's token, UTF-8 encoded.

    Returns:
        True when the header is ``Bearer <token>`` with the right token.
    """
    if not header:
        return False
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(credentials.strip().encode("utf-8", "replace"), expected)


#: The OpenAPI security scheme (the check itself is :class:`TokenCheck`).
BEARER = HTTPBearer(auto_error=False, description="The service token.")


class TokenCheck:
    """A FastAPI dependency that demands the token (and documents it in OpenAPI)."""

    def __init__(self, expected: bytes) -> None:
        """Create the check.

        Args:
            expected: The service's token, UTF-8 encoded.
        """
        self._expected = expected

    async def __call__(
        self, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]
    ) -> None:
        """Reject the request unless it carries the token.

        Args:
            credentials: The bearer credentials, if any.

        Raises:
            HTTPException: 401 when the token is missing or wrong.
        """
        header = f"Bearer {credentials.credentials}" if credentials else None
        if not token_matches(header, self._expected):
            raise HTTPException(
                status_code=401, detail=AUTH_FAILED, headers={"WWW-Authenticate": "Bearer"}
            )
