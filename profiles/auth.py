"""Bearer-token authentication between the service and its callers."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from servicekit.auth import AUTH_FAILED, token_matches

__all__ = ["AUTH_FAILED", "BEARER", "token_matches", "TokenCheck"]

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
