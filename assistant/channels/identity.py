"""Verifying the shop's customer token and deriving conversation ids: pure functions.

The shop's page signs the logged-in customer's id into a short-lived JWT (HS256, shared
secret). :func:`verify_customer_token` accepts exactly that and nothing else: any other
algorithm (``none``, ``RS256``, ...), a wrong signature, an expired token, a missing ``sub``
or ``exp`` or a subject outside ``[A-Za-z0-9_.:-]{1,64}`` raises :class:`InvalidToken`.

:func:`derive_sender_id` turns (secret, verified subject or anonymous, the client's own
random session id) into the Rasa sender id. Nobody without the secret can compute it, so a
session id seen elsewhere, or a sender id copied from another conversation, never leads
into someone else's conversation.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.exceptions import InvalidSubjectError

__all__ = [
    "ALGORITHM",
    "ANONYMOUS",
    "Claims",
    "InvalidToken",
    "derive_sender_id",
    "valid_client_session_id",
    "verify_customer_token",
]

#: The only signing algorithm accepted.
ALGORITHM = "HS256"
#: Subject used in the sender-id derivation for shoppers without a verified token.
ANONYMOUS = "anonymous"
#: Longest token looked at (anything longer is refused before decoding).
MAX_TOKEN_LENGTH = 4096

_SUBJECT = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_CLIENT_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{16,128}")


class InvalidToken(Exception):
    """A customer token that must not be trusted.

    Attributes:
        reason: A short machine-readable reason (``malformed``, ``algorithm``,
            ``signature``, ``expired``, ``missing_claim``, ``invalid_subject``,
            ``invalid_claims``, ``no_secret``). Never contains the token.
    """

    def __init__(self, reason: str) -> None:
        """Create the error.

        Args:
            reason: The short reason.
        """
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Claims:
    """The verified claims of a customer token.

    Attributes:
        subject: The customer id (``sub``).
        expires_at: ``exp`` in seconds since the epoch.
        leeway: Seconds of clock skew allowed when checking ``exp`` again later.
    """

    subject: str
    expires_at: int
    leeway: int = 30

    def expired(self, now: float | None = None) -> bool:
        """Whether the token has expired by now (with the same leeway as at verification).

        Args:
            now: Seconds since the epoch; the current time when ``None``.

        Returns:
            True once ``exp`` is more than ``leeway`` seconds in the past.
        """
        current = time.time() if now is None else now
        return self.expires_at <= current - self.leeway


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def verify_customer_token(token: object, secret: str | bytes | None, *, leeway: int = 30) -> Claims:
    """Verify a customer token signed by the shop's page.

    Args:
        token: The compact JWT as sent by the browser.
        secret: The shared HS256 secret; without one no token is accepted.
        leeway: Seconds of clock skew tolerated on ``exp`` (and ``nbf``/``iat`` if present).

    Returns:
        The verified claims.

    Raises:
        InvalidToken: The token must not be trusted (see the class for reasons).
    """
    if not secret:
        raise InvalidToken("no_secret")
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("malformed") from None
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("algorithm")
    try:
        payload: dict[str, Any] = jwt.decode(
            token,
            _key(secret),
            algorithms=[ALGORITHM],
            leeway=leeway,
            options={"require": ["sub", "exp"], "verify_aud": False},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("expired") from None
    except jwt.InvalidSignatureError:
        raise InvalidToken("signature") from None
    except jwt.InvalidAlgorithmError:
        raise InvalidToken("algorithm") from None
    except jwt.MissingRequiredClaimError:
        raise InvalidToken("missing_claim") from None
    except InvalidSubjectError:
        raise InvalidToken("invalid_subject") from None
    except jwt.DecodeError:
        raise InvalidToken("malformed") from None
    except jwt.PyJWTError:
        raise InvalidToken("invalid_claims") from None
    subject = payload.get("sub")
    if (
        not isinstance(subject, str)
        or not _SUBJECT.fullmatch(subject)
        or subject == ANONYMOUS  # reserved: it would share the anonymous derivation
    ):
        raise InvalidToken("invalid_subject")
    exp = payload.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        raise InvalidToken("invalid_claims")
    return Claims(subject=subject, expires_at=int(exp), leeway=leeway)


def valid_client_session_id(value: object) -> bool:
    """Whether a client-chosen session id has the accepted shape.

    Args:
        value: What the client sent.

    Returns:
        True for a string of 16-128 characters from ``[A-Za-z0-9_-]``.
    """
    return isinstance(value, str) and _CLIENT_SESSION_ID.fullmatch(value) is not None


def derive_sender_id(secret: str | bytes, subject: str | None, client_session_id: str) -> str:
    """The Rasa sender id of a conversation.

    ``"s-"`` followed by the first 32 hex digits of
    HMAC-SHA256(secret, ``"<subject or anonymous>|<client session id>"``).

    Args:
        secret: The channel's secret (the token secret, or a per-process random key).
        subject: The verified customer id, or ``None`` for an anonymous shopper.
        client_session_id: The client's own random session id.

    Returns:
        The sender id (34 characters).
    """
    message = f"{subject or ANONYMOUS}|{client_session_id}".encode()
    return "s-" + hmac.new(_key(secret), message, hashlib.sha256).hexdigest()[:32]
