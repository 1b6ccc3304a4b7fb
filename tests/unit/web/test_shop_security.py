"""The demo shop's headers, its file serving and the form's guards."""

from __future__ import annotations

import json
import re

import pytest
from shop_helpers import SECRET, widget_config
from starlette.testclient import TestClient

from web.embed import content_security_policy, script_json
from web.settings import ShopSettings


def policy(answer_headers: object) -> dict[str, list[str]]:
    """The CSP header as directive -> sources."""
    value = answer_headers["content-security-policy"]  # type: ignore[index]
    directives = [part.split() for part in value.split(";") if part.strip()]
    return {words[0]: words[1:] for words in directives}


def test_the_page_s_csp_allows_only_self_the_console_script_and_rasa(client: TestClient) -> None:
    answer = client.get("/")
    csp = policy(answer.headers)
    nonce = re.search(r'<script nonce="([^"]+)">window\.ShopAssistantConfig', answer.text)
    assert nonce
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", f"'nonce-{nonce.group(1)}'", "http://console.test:8400"]
    assert csp["connect-src"] == ["'self'", "http://rasa.test:5005", "ws://rasa.test:5005"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert not any("unsafe" in source for source in csp["script-src"])
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    assert csp["style-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]
    widget = (
        f'<script src="http://console.test:8400/widget/widget.js" nonce="{nonce.group(1)}" defer>'
    )
    assert widget in answer.text


def test_each_page_load_has_its_own_nonce(client: TestClient) -> None:
    first = policy(client.get("/").headers)["script-src"][1]
    second = policy(client.get("/").headers)["script-src"][1]
    assert first != second


def test_https_origins_map_to_wss(settings: ShopSettings) -> None:
    from dataclasses import replace

    chosen = replace(
        settings, rasa_url="https://chat.shop.example/", console_url="https://c.example"
    )
    value = content_security_policy(chosen, "n")
    assert "connect-src 'self' https://chat.shop.example wss://chat.shop.example" in value
    assert "script-src 'self' 'nonce-n' https://c.example" in value


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script>",
        "a & b ' \u2028 \u2029",
    ],
)
def test_the_config_json_cannot_end_its_script_element(value: str) -> None:
    text = script_json({"title": value, "nested": [value]})
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"title": value, "nested": [value]}


def test_the_secret_never_reaches_the_browser(client: TestClient) -> None:
    client.post("/switch", data={"customer": "CUS-1001", "language": "en"})
    for path in ("/", "/products/P-0001", "/nowhere", "/health", "/static/shop.css"):
        answer = client.get(path)
        assert SECRET not in answer.text and SECRET not in str(answer.headers)
    assert "token" in widget_config(client.get("/").text)


def test_product_images_are_served(client: TestClient) -> None:
    answer = client.get("/static/products/running-shoes.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize(
    "path",
    [
        "/static/products/../secret.py",
        "/static/products/..%2Fsecret.py",
        "/static/products/..%2f..%2fsecret.py",
        "/static/products/%2e%2e/secret.py",
        "/static/products/....//secret.py",
        "/static/products/.hidden.svg",
        "/static/products/missing.svg",
        "/static/products/",
        "/static/products/running-shoes.svg%00.py",
        "/static/products/%2Fetc%2Fpasswd",
        "/static/../web/app.py",
        "/static/app.py",
        "/static/..%2Fapp.py",
        "/static/",
    ],
)
def test_no_path_leaves_the_image_folder(client: TestClient, path: str) -> None:
    answer = client.get(path, follow_redirects=True)
    assert answer.status_code == 404, path
    assert "SECRET = 1" not in answer.text and "import" not in answer.text


def test_a_cross_site_form_post_cannot_switch_the_visitor(client: TestClient) -> None:
    form = {"customer": "CUS-1001", "language": "en"}
    foreign = client.post("/switch", data=form, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403 and "set-cookie" not in foreign.headers
    fetched = client.post("/switch", data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403
    same = client.post("/switch", data=form, headers={"Origin": "http://testserver"})
    assert same.status_code == 303


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x", ""]
)
def test_the_switch_only_redirects_inside_the_shop(client: TestClient, target: str) -> None:
    answer = client.post("/switch", data={"customer": "", "language": "en", "next": target})
    assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_the_switch_only_takes_posts(client: TestClient) -> None:
    assert client.get("/switch").status_code == 405
