"""The demo shop's settings and its command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from web.settings import REPO_ROOT, SettingsError, load_settings


def test_defaults_and_fallbacks() -> None:
    settings = load_settings({"IDENTITY_JWT_SECRET": "s"})
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.widget_script_url == "http://127.0.0.1:8400/widget/widget.js"
    assert settings.catalog_file == REPO_ROOT / "catalog" / "demo_catalog.jsonl"
    assert settings.token_ttl == 900
    env = {
        "IDENTITY_JWT_SECRET": "s",
        "RASA_URL": "http://10.0.0.1:5005",
        "CONSOLE_URL": "http://10.0.0.2:8400/",
        "CATALOG": "catalog/other.jsonl",
        "SHOP_TOKEN_TTL": "300",
    }
    settings = load_settings(env)
    assert settings.rasa_origin == "http://10.0.0.1:5005"
    assert settings.widget_script_url == "http://10.0.0.2:8400/widget/widget.js"
    assert settings.catalog_file == REPO_ROOT / "catalog" / "other.jsonl"
    assert settings.token_ttl == 300
    flags = {"rasa_url": "http://127.0.0.1:1", "console_url": "http://127.0.0.1:2"}
    settings = load_settings(env, **flags)  # the stack's flags win over its RASA_URL
    assert (settings.rasa_url, settings.console_url) == (flags["rasa_url"], flags["console_url"])
    public = {
        **env,
        "SHOP_RASA_URL": "https://chat.example",
        "SHOP_CONSOLE_URL": "https://console.example",
        "CATALOG_FILE": "/data/c.jsonl",
    }
    settings = load_settings(public, **flags)  # public URLs (a proxy) win over the flags
    assert settings.rasa_url == "https://chat.example"
    assert settings.console_origin == "https://console.example"
    assert settings.catalog_file == Path("/data/c.jsonl")


def test_the_secret_is_never_in_the_repr() -> None:
    assert "hush" not in repr(load_settings({"IDENTITY_JWT_SECRET": "hush"}))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "IDENTITY_JWT_SECRET must be set"),
        ({"IDENTITY_JWT_SECRET": "  "}, "IDENTITY_JWT_SECRET must be set"),
        ({"SHOP_RASA_URL": "ftp://x"}, "absolute http(s) URL"),
        ({"SHOP_CONSOLE_URL": "/widget"}, "absolute http(s) URL"),
        ({"SHOP_RASA_URL": "http://u:p@x"}, "credentials"),
        ({"SHOP_TOKEN_TTL": "ten"}, "whole number"),
        ({"SHOP_TOKEN_TTL": "5"}, "between 60 and 86400"),
        ({"SHOP_TOKEN_TTL": "999999"}, "between 60 and 86400"),
    ],
)
def test_bad_values_fail_at_start(env: dict[str, str], message: str) -> None:
    base = {} if "SECRET" in message else {"IDENTITY_JWT_SECRET": "s"}
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings({**base, **env})


def test_the_server_refuses_to_start_without_the_secret() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "web", "--port", "1"],
        cwd=REPO_ROOT,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "IDENTITY_JWT_SECRET must be set" in done.stderr
