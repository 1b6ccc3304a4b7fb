"""The visitor switch and the customer token the page server signs for the widget."""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
import pytest
from shop_helpers import NOW, RASA, SECRET, widget_config
from starlette.testclient import TestClient

from assistant.channels.identity import InvalidToken, verify_customer_token
from web.app import CUSTOMER_COOKIE, LANGUAGE_COOKIE


def switch(client: TestClient, customer: str, language: str = "en", next_: str = "/") -> None:
    answer = client.post(
        "/switch", data={"customer": customer, "language": language, "next": next_}
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == next_


def test_an_anonymous_visitor_gets_no_token(client: TestClient) -> None:
    page = client.get("/").text
    config = widget_config(page)
    assert "token" not in config
    assert config == {
        "server": RASA,
        "language": "en",
        "colours": config["colours"],
        "position": "right",
        "title": "Shop assistant",
    }
    assert "anonymous visitor" in page and 'data-customer=""' in page


def test_a_demo_customer_gets_a_token_signed_with_the_secret(client: TestClient) -> None:
    switch(client, "CUS-1001")
    page = client.get("/").text
    token = widget_config(page)["token"]
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims == {"sub": "CUS-1001", "iat": NOW, "exp": NOW + 900}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            "another-secret-of-the-same-length-000000",
            algorithms=["HS256"],
            options={"verify_exp": False},
        )
    assert 'data-customer="CUS-1001"' in page and "Emily Carter" in page
    assert "valid for 15 minutes" in page
    assert SECRET not in page


def test_the_channel_s_own_verifier_accepts_the_token_until_it_expires(
    client: TestClient, clock: list[float]
) -> None:
    switch(client, "CUS-2001")
    clock[0] = time.time()
    token = widget_config(client.get("/").text)["token"]
    claims = verify_customer_token(token, SECRET)
    assert claims.subject == "CUS-2001" and claims.expires_at == int(clock[0]) + 900
    with pytest.raises(InvalidToken) as wrong:
        verify_customer_token(token, "another-secret-of-the-same-length-000000")
    assert wrong.value.reason == "signature"
    clock[0] = time.time() - 900 - 60  # signed 16 minutes ago: expired by now
    with pytest.raises(InvalidToken) as old:
        verify_customer_token(widget_config(client.get("/").text)["token"], SECRET)
    assert old.value.reason == "expired"


def test_a_fresh_token_with_every_page_load(client: TestClient, clock: list[float]) -> None:
    switch(client, "CUS-1001")
    first = widget_config(client.get("/").text)["token"]
    clock[0] += 600
    second = widget_config(client.get("/products/P-0001").text)["token"]
    assert first != second
    claims = jwt.decode(second, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims["iat"] == NOW + 600 and claims["exp"] == NOW + 600 + 900


def test_the_token_lives_as_long_as_configured(make_client: Callable[..., TestClient]) -> None:
    client = make_client(token_ttl=120)
    switch(client, "CUS-1001")
    page = client.get("/").text
    claims = jwt.decode(
        widget_config(page)["token"], SECRET, algorithms=["HS256"], options={"verify_exp": False}
    )
    assert claims["exp"] - claims["iat"] == 120 and "valid for 2 minutes" in page


def test_switching_back_to_anonymous_drops_the_token(client: TestClient) -> None:
    switch(client, "CUS-1001")
    assert "token" in widget_config(client.get("/").text)
    switch(client, "")
    assert CUSTOMER_COOKIE not in client.cookies
    assert "token" not in widget_config(client.get("/").text)


def test_an_unknown_customer_is_refused_with_a_note(client: TestClient) -> None:
    answer = client.post("/switch", data={"customer": "CUS-9999<b>", "language": "en"})
    assert answer.status_code == 404
    assert "There is no demo customer “CUS-9999&lt;b&gt;”." in answer.text
    assert "set-cookie" not in answer.headers
    assert "token" not in widget_config(answer.text)


def test_a_stale_customer_cookie_falls_back_to_anonymous(client: TestClient) -> None:
    client.cookies.set(CUSTOMER_COOKIE, "CUS-4242")
    answer = client.get("/")
    assert answer.status_code == 200
    assert "token" not in widget_config(answer.text)
    assert "browsing as an anonymous visitor" in answer.text
    assert f'{CUSTOMER_COOKIE}=""' in answer.headers["set-cookie"]  # deleted


@pytest.mark.parametrize("language", ["es", "de", "fr", "en"])
def test_the_language_selector_sets_the_widget_s_language(
    client: TestClient, language: str
) -> None:
    switch(client, "", language)
    page = client.get("/").text
    assert widget_config(page)["language"] == language
    assert f'<option value="{language}" lang="{language}" selected>' in page


def test_an_unknown_language_is_refused(client: TestClient) -> None:
    answer = client.post("/switch", data={"customer": "", "language": "xx"})
    assert answer.status_code == 400 and "English, Spanish, German and French" in answer.text
    client.cookies.set(LANGUAGE_COOKIE, "<xx>")
    assert widget_config(client.get("/").text)["language"] == "en"


def test_the_switch_returns_to_the_page_it_came_from(client: TestClient) -> None:
    switch(client, "CUS-1001", "en", "/?category=tents&page=1")
    page = client.get("/?category=tents").text
    assert '<input type="hidden" name="next" value="/?category=tents">' in page
