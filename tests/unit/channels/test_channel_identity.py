"""Token verification and sender-id derivation (assistant/channels/identity.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from typing import Any

import jwt
import pytest

from assistant.channels.identity import (
    Claims,
    InvalidToken,
    derive_sender_id,
    valid_client_session_id,
    verify_customer_token,
)
from tests.unit.channels.channel_harness import OTHER_SECRET, SECRET, token


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _handmade(header: dict[str, Any], payload: dict[str, Any], signature: str = "c2ln") -> str:
    return f"{_b64(header)}.{_b64(payload)}.{signature}"


def _hs256_with_header(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """A token correctly HMAC-signed with SECRET but carrying the given header."""
    signing_input = f"{_b64(header)}.{_b64(payload)}"
    sig = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


NOW = int(time.time())
GOOD_PAYLOAD = {"sub": "CUS-1001", "exp": NOW + 900}
HS256 = {"alg": "HS256", "typ": "JWT"}


def test_valid_token_gives_the_subject_and_expiry() -> None:
    claims = verify_customer_token(token("CUS-1001", ttl=600), SECRET)
    assert claims.subject == "CUS-1001"
    assert abs(claims.expires_at - (time.time() + 600)) < 5
    assert not claims.expired()


@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        pytest.param(lambda: token(secret=OTHER_SECRET), "signature", id="wrong-secret"),
        pytest.param(lambda: token(ttl=-120), "expired", id="expired"),
        pytest.param(
            lambda: jwt.encode(GOOD_PAYLOAD, None, algorithm="none"), "algorithm", id="alg-none"
        ),
        pytest.param(
            lambda: _handmade({"alg": "none", "typ": "JWT"}, GOOD_PAYLOAD, ""),
            "algorithm",
            id="alg-none-handmade",
        ),
        pytest.param(
            lambda: _handmade({"alg": "RS256", "typ": "JWT"}, GOOD_PAYLOAD),
            "algorithm",
            id="rs256-header",
        ),
        pytest.param(
            lambda: _hs256_with_header({"alg": "HS512", "typ": "JWT"}, GOOD_PAYLOAD),
            "algorithm",
            id="hs512-header-hs256-signature",
        ),
        pytest.param(
            lambda: token(secret=SECRET * 2, algorithm="HS512"), "algorithm", id="hs512-signed"
        ),
        pytest.param(lambda: token(sub=None), "missing_claim", id="missing-sub"),
        pytest.param(
            lambda: jwt.encode({"sub": "CUS-1001"}, SECRET, algorithm="HS256"),
            "missing_claim",
            id="missing-exp",
        ),
        pytest.param(
            lambda: _hs256_with_header(HS256, {"sub": 1001, "exp": NOW + 900}),
            "invalid_subject",
            id="sub-not-a-string",
        ),
        pytest.param(
            lambda: _hs256_with_header(HS256, {"sub": ["CUS-1"], "exp": NOW + 900}),
            "invalid_subject",
            id="sub-a-list",
        ),
        pytest.param(lambda: token(sub=""), "invalid_subject", id="sub-empty"),
        pytest.param(lambda: token(sub="x" * 65), "invalid_subject", id="sub-too-long"),
        pytest.param(lambda: token(sub="CUS 1001"), "invalid_subject", id="sub-space"),
        pytest.param(lambda: token(sub="CUS|1001"), "invalid_subject", id="sub-separator"),
        pytest.param(lambda: token(sub="../admin"), "invalid_subject", id="sub-path"),
        pytest.param(lambda: token(sub="Lucía"), "invalid_subject", id="sub-non-ascii"),
        pytest.param(lambda: token(sub="CUS-1\n"), "invalid_subject", id="sub-newline"),
        pytest.param(lambda: token(sub="anonymous"), "invalid_subject", id="sub-reserved"),
        pytest.param(
            lambda: _hs256_with_header(HS256, {"sub": "CUS-1", "exp": "tomorrow"}),
            "malformed",
            id="exp-not-a-number",
        ),
        pytest.param(
            lambda: token(nbf=int(time.time()) + 3600), "invalid_claims", id="not-yet-valid"
        ),
        pytest.param(lambda: "not.a.token", "malformed", id="garbage"),
        pytest.param(lambda: "", "malformed", id="empty"),
        pytest.param(lambda: None, "malformed", id="none"),
        pytest.param(lambda: 12345, "malformed", id="not-a-string"),
        pytest.param(lambda: token() + "A" * 5000, "malformed", id="oversized"),
        pytest.param(
            lambda: token()[:-3] + ("AAA" if not token().endswith("AAA") else "BBB"),
            "signature",
            id="tampered-signature",
        ),
        pytest.param(
            lambda: ".".join(
                [token().split(".")[0], _b64({"sub": "CUS-9999", "exp": NOW + 900})]
                + [token().split(".")[2]]
            ),
            "signature",
            id="swapped-payload",
        ),
    ],
)
def test_untrusted_tokens_are_rejected_with_a_reason(make_token: Any, reason: str) -> None:
    with pytest.raises(InvalidToken) as caught:
        verify_customer_token(make_token(), SECRET)
    assert caught.value.reason == reason
    assert str(caught.value) == reason


@pytest.mark.parametrize("secret", [None, ""])
def test_without_a_secret_no_token_is_accepted(secret: str | None) -> None:
    with pytest.raises(InvalidToken) as caught:
        verify_customer_token(token(), secret)
    assert caught.value.reason == "no_secret"


@pytest.mark.parametrize(
    ("seconds_ago", "leeway", "accepted"),
    [(10, 30, True), (10, 0, False), (29, 30, True), (31, 30, False), (-5, 0, True)],
)
def test_leeway_tolerates_small_clock_skew(seconds_ago: int, leeway: int, accepted: bool) -> None:
    signed = token(ttl=-seconds_ago, iat=int(time.time()) - 900)
    if accepted:
        assert verify_customer_token(signed, SECRET, leeway=leeway).subject == "CUS-1001"
    else:
        with pytest.raises(InvalidToken, match="expired"):
            verify_customer_token(signed, SECRET, leeway=leeway)


def test_subject_alphabet_edges_are_accepted() -> None:
    for sub in ["a", "x" * 64, "CUS_1.0:eu-west", "0"]:
        assert verify_customer_token(token(sub), SECRET).subject == sub


def test_bytes_secret_is_the_same_key() -> None:
    assert verify_customer_token(token(), SECRET.encode()).subject == "CUS-1001"


@pytest.mark.parametrize(
    ("now_offset", "expired"), [(0, False), (929, False), (930, True), (10_000, True)]
)
def test_claims_expire_with_the_verification_leeway(now_offset: int, expired: bool) -> None:
    claims = Claims(subject="CUS-1", expires_at=1_000_900, leeway=30)
    assert claims.expired(1_000_000 + now_offset) is expired


def test_derived_sender_id_follows_the_documented_formula() -> None:
    expected = hmac.new(b"k" * 32, b"CUS-1|session-abcdefghijkl", hashlib.sha256).hexdigest()
    assert derive_sender_id("k" * 32, "CUS-1", "session-abcdefghijkl") == "s-" + expected[:32]
    anonymous = hmac.new(b"k" * 32, b"anonymous|session-abcdefghijkl", hashlib.sha256)
    assert derive_sender_id("k" * 32, None, "session-abcdefghijkl") == (
        "s-" + anonymous.hexdigest()[:32]
    )


def test_derived_sender_ids_differ_by_subject_session_and_secret() -> None:
    base = derive_sender_id(SECRET, "CUS-1", "a" * 24)
    assert re.fullmatch(r"s-[0-9a-f]{32}", base)
    assert derive_sender_id(SECRET, "CUS-1", "a" * 24) == base
    assert derive_sender_id(SECRET.encode(), "CUS-1", "a" * 24) == base
    variants = [
        derive_sender_id(SECRET, "CUS-2", "a" * 24),
        derive_sender_id(SECRET, None, "a" * 24),
        derive_sender_id(SECRET, "CUS-1", "b" * 24),
        derive_sender_id(OTHER_SECRET, "CUS-1", "a" * 24),
    ]
    assert len({base, *variants}) == 5


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("a" * 16, True),
        ("A-z_09" * 20 + "abcdefgh", True),  # 128 characters
        ("a" * 15, False),
        ("a" * 129, False),
        ("a" * 20 + " ", False),
        ("a" * 20 + "|x", False),
        ("a" * 20 + "=", False),
        ("ä" * 20, False),
        ("", False),
        (None, False),
        (12345678901234567890, False),
        (["a" * 20], False),
    ],
)
def test_client_session_id_shape(value: object, valid: bool) -> None:
    assert valid_client_session_id(value) is valid
