"""The customer token the shop's server signs for the widget (docs/identity.md, section 1).

The browser never signs anything and never sees the secret: the page server signs a short-lived
HS256 JWT for the demo customer the visitor chose and puts only the token into the page.
"""

from __future__ import annotations

import time

import jwt

from assistant.channels.identity import ALGORITHM

__all__ = ["sign_customer_token"]


def sign_customer_token(
    secret: str, customer_id: str, *, ttl: int, now: float | None = None
) -> str:
    """Sign the token rasa's socket.io channel verifies.

    Args:
        secret: ``IDENTITY_JWT_SECRET`` (shared with rasa).
        customer_id: The ``sub`` claim (the profile service's customer id).
        ttl: Seconds until ``exp``.
        now: Seconds since the epoch; the current time when ``None``.

    Returns:
        The compact JWT with ``sub``, ``iat`` and ``exp``.
    """
    issued = int(time.time() if now is None else now)
    claims = {"sub": customer_id, "iat": issued, "exp": issued + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)
