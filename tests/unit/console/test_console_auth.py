"""Login, sessions, CSRF, rate limiting, roles, and that nothing answers without a session."""

from __future__ import annotations

import pytest
from console_helpers import ADMIN, PASSWORD, Console, key, login, login_token

from console.routes import agents
from console.settings import SettingsError, load_settings

# Every agent-side route, with a method: none may answer without a session.
AGENT_ROUTES = [
    ("GET", "/"),
    ("GET", "/session"),
    ("GET", "/queue"),
    ("GET", "/queue.json"),
    ("GET", "/cases/C-000001"),
    ("GET", "/cases/C-000001/data"),
    ("GET", "/cases/C-000001/transcript"),
    ("POST", "/cases/C-000001/claim"),
    ("POST", "/cases/C-000001/reply"),
    ("POST", "/cases/C-000001/card"),
    ("POST", "/cases/C-000001/handback"),
    ("POST", "/cases/C-000001/resolve"),
    ("GET", "/canned.json"),
    ("GET", "/dashboard"),
    ("GET", "/dashboard.json"),
    ("GET", "/audit"),
    ("GET", "/agents"),
    ("POST", "/agents"),
    ("POST", "/agents/1/deactivate"),
    ("POST", "/agents/1/activate"),
    ("POST", "/agents/1/password"),
    ("POST", "/logout"),
]


def test_every_agent_route_is_listed(console: Console) -> None:
    listed = {
        path.replace("C-000001", "{ref}").replace("/1/", "/{agent_id}/") for _, path in AGENT_ROUTES
    }
    routes = {getattr(r, "path", "") for r in agents.router.routes}
    assert routes - {"/login"} == listed


@pytest.mark.parametrize(("method", "path"), AGENT_ROUTES)
def test_no_session_no_answer(console: Console, method: str, path: str) -> None:
    console.open_case("s-1")
    client = console.client()
    response = client.request(method, path)  # a browser: sent to the login page
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    json_response = client.request(method, path, headers={"Accept": "application/json"})
    assert json_response.status_code == 401
    assert json_response.json() == {"detail": "log in first"}


@pytest.mark.parametrize(("method", "path"), AGENT_ROUTES)
def test_forged_cookie_is_no_session(console: Console, method: str, path: str) -> None:
    client = console.client()
    client.cookies.set("console_session", "forged.value")
    response = client.request(method, path, headers={"Accept": "application/json"})
    assert response.status_code == 401


def test_health_and_login_page_are_open_and_nothing_else(console: Console) -> None:
    client = console.client()
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert client.get(path).status_code == 404
    assert console.count("cases") == 0
    assert client.get("/health").json() == {"status": "ok"}
    page = client.get("/login")
    assert page.status_code == 200 and "<form" in page.text


def test_login_ok_sets_a_safe_cookie(console: Console) -> None:
    client = console.client()
    response = login(client, ADMIN[0], ADMIN[1])
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/queue").status_code == 200
    assert console.count("agent_sessions") == 1


def test_login_wrong_password_and_unknown_email(console: Console) -> None:
    client = console.client()
    wrong = login(client, ADMIN[0], "nope-nope-nope")
    assert wrong.status_code == 401 and "wrong email or password" in wrong.text
    unknown = login(client, "who@shop.test", "x" * 12)
    assert unknown.status_code == 401 and "wrong email or password" in unknown.text
    assert "console_session" not in client.cookies
    assert console.count("agent_sessions") == 0


def test_login_rate_limited_per_email_and_address(console: Console) -> None:
    client = console.client()
    for _ in range(5):
        assert login(client, ADMIN[0], "bad-password!").status_code == 401
    limited = login(client, ADMIN[0], ADMIN[1])
    assert limited.status_code == 429 and "too many failed logins" in limited.text
    # Another email from the same address is not locked out.
    other = login(client, "x@shop.test", "bad-password!")
    assert other.status_code == 401
    console.clock.advance(15 * 60 + 1)
    assert login(client, ADMIN[0], ADMIN[1]).status_code == 303


def test_deactivated_agent_cannot_log_in(console: Console) -> None:
    admin = console.agent()
    bob = console.add_agent(admin, "Bob")
    agent_id = bob.get("/session").json()["agent_id"]
    assert admin.post(f"/agents/{agent_id}/deactivate").status_code == 200
    assert bob.get("/queue.json", headers={"Accept": "application/json"}).status_code == 401
    client = console.client()
    assert login(client, "bob@shop.test", PASSWORD).status_code == 401


def test_logout_ends_the_session(console: Console) -> None:
    admin = console.agent()
    response = admin.form("/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert console.count("agent_sessions") == 0
    assert admin.get("/queue").status_code == 303


def test_csrf_missing_or_stale_is_refused(console: Console) -> None:
    console.open_case("s-1")
    admin = console.agent()
    missing = admin.client.post("/cases/C-000001/claim", headers={"Accept": "application/json"})
    assert missing.status_code == 403
    assert missing.json()["detail"] == "missing or stale CSRF token: reload the page and try again"
    form_missing = admin.client.post("/cases/C-000001/claim", data={"x": "1"})
    assert form_missing.status_code == 403 and "reload the page" in form_missing.text
    # A token from an ended session is stale in the new one.
    stale = admin.csrf
    admin.form("/logout")
    again = console.agent()
    assert again.csrf != stale
    refused = again.client.post("/cases/C-000001/claim", headers={"X-CSRF-Token": stale})
    assert refused.status_code == 403
    assert console.count("cases", "status = 'queued'") == 1
    assert again.post("/cases/C-000001/claim").status_code == 200


def test_agent_cannot_manage_agents(console: Console) -> None:
    admin = console.agent()
    bob = console.add_agent(admin, "Bob")
    assert bob.get("/agents").status_code == 403
    assert bob.get("/audit").status_code == 403
    body = {"email": "eve@shop.test", "display_name": "Eve", "role": "admin", "password": PASSWORD}
    assert bob.post("/agents", json=body).status_code == 403
    assert bob.post("/agents/1/deactivate").status_code == 403
    assert bob.post("/agents/1/password", json={"password": "z" * 14}).status_code == 403
    assert console.count("agents") == 2
    assert console.count("agents", "active") == 2


def test_admin_manages_agents(console: Console) -> None:
    admin = console.agent()
    page = admin.form(
        "/agents",
        {"email": "cy@shop.test", "display_name": "Cy", "role": "agent", "password": PASSWORD},
    )
    assert page.status_code == 303
    assert "cy@shop.test" in admin.get("/agents").text
    duplicate = admin.post(
        "/agents", json={"email": "CY@shop.test", "display_name": "C", "password": PASSWORD}
    )
    assert duplicate.status_code == 409
    cy = console.agent("cy@shop.test", PASSWORD)
    cy_id = cy.get("/session").json()["agent_id"]
    assert (
        admin.post(f"/agents/{cy_id}/password", json={"password": "new-password-22"}).status_code
        == 200
    )
    assert cy.get("/session").status_code in (303, 401)  # reset ends the sessions
    console.agent("cy@shop.test", "new-password-22")
    assert (
        admin.post(f"/agents/{admin.get('/session').json()['agent_id']}/deactivate").status_code
        == 409
    )
    short = admin.post(
        "/agents", json={"email": "d@shop.test", "display_name": "D", "password": "short"}
    )
    assert short.status_code == 422 and "password" in short.json()["detail"]
    actions = admin.get("/audit").text
    assert "agent_created" in actions and "password_reset" in actions


def test_settings_read_from_environment() -> None:
    env = {
        "CONSOLE_TOKEN": "t",
        "CONSOLE_SECRET_KEY": "s",
        "CONSOLE_HOURS": "Sat-Sun 10:00-14:00",
        "CONSOLE_TZ": "Europe/Madrid",
        "CONSOLE_CLAIM_TIMEOUT": "60",
        "RASA_URL": "http://127.0.0.1:5005/",
    }
    settings = load_settings(env)
    assert settings.claim_timeout == 60
    assert settings.hours.days == frozenset({5, 6}) and settings.hours.tz == "Europe/Madrid"
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.database_url.endswith("var/console/console.db")
    with pytest.raises(SettingsError, match="CONSOLE_TOKEN"):
        load_settings({"CONSOLE_SECRET_KEY": "s"})
    with pytest.raises(SettingsError, match="CONSOLE_HOURS"):
        load_settings({**env, "CONSOLE_HOURS": "weekdays"})
    with pytest.raises(SettingsError, match="CONSOLE_TZ"):
        load_settings({**env, "CONSOLE_TZ": "Mars/Base"})
    with pytest.raises(SettingsError, match="CLAIM_TIMEOUT"):
        load_settings({**env, "CONSOLE_CLAIM_TIMEOUT": "-1"})
    with pytest.raises(SettingsError, match="ADMIN_PASSWORD"):
        load_settings({**env, "CONSOLE_ADMIN_EMAIL": "a@b.c", "CONSOLE_ADMIN_PASSWORD": "short"})


def test_unused_key_helper() -> None:
    assert len(key()) == 32


def test_login_needs_its_csrf_token(console: Console) -> None:
    client = console.client()
    bare = client.post("/login", data={"email": ADMIN[0], "password": ADMIN[1]})
    assert bare.status_code == 403 and "reload the page" in bare.text
    other = console.client()
    foreign = login_token(other)  # another browser's token does not fit this browser's cookie
    login_token(client)
    crossed = client.post(
        "/login", data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": foreign}
    )
    assert crossed.status_code == 403
    assert console.count("agent_sessions") == 0
    assert console.count("login_failures") == 0  # not counted as password failures
    assert login(client, *ADMIN).status_code == 303
