"""The bearer-token check between a service and its callers (constant time)."""

from __future__ import annotations

import hmac

__all__ = ["AUTH_FAILED", "token_matches"]

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
