"""The production stack file and the build helpers the Makefile relies on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from stack import ROOT, read_dotenv

FINGERPRINT = [sys.executable, str(ROOT / "scripts" / "fingerprint.py")]


def test_docker_compose_file_is_valid() -> None:
    assert shutil.which("docker-compose"), "scripts/system-deps installs docker-compose"
    env = dict(
        os.environ,
        POSTGRES_PASSWORD="secret",
        RASA_TOKEN="token",
        PROFILES_TOKEN="profiles-token",
        IDENTITY_JWT_SECRET="jwt-secret",
        CONSOLE_TOKEN="console-token",
        CONSOLE_SECRET_KEY="console-secret",
    )
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert {
        "postgres",
        "redis",
        "chroma",
        "rasa",
        "actions",
        "profiles",
        "console",
        "gateway",
    } <= set(services)
    assert services["rasa"]["deploy"]["replicas"] >= 2
    assert services["actions"]["environment"]["PROFILES_URL"] == "http://profiles:8300"
    assert "postgresql" in services["profiles"]["environment"]["PROFILES_DATABASE_URL"]
    assert "postgresql" in services["console"]["environment"]["CONSOLE_DATABASE_URL"]
    assert services["actions"]["environment"]["CONSOLE_URL"] == "http://console:8400"
    # the console, not the shopper, holds Rasa's API token
    assert services["console"]["environment"]["RASA_TOKEN"] == "token"
    # the event broker's table ("events") must not share the tracker store's database
    assert (
        services["rasa"]["environment"]["EVENTS_DB"]
        != services["rasa"]["environment"]["TRACKER_DB"]
    )


def test_docker_compose_refuses_to_start_without_secrets() -> None:
    secrets = {
        "POSTGRES_PASSWORD",
        "RASA_TOKEN",
        "PROFILES_TOKEN",
        "IDENTITY_JWT_SECRET",
        "CONSOLE_TOKEN",
        "CONSOLE_SECRET_KEY",
    }
    env = {k: v for k, v in os.environ.items() if k not in secrets}
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_fingerprint_changes_when_an_input_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yml").write_text("one")
    stamp = tmp_path / "stamp"
    assert subprocess.run([*FINGERPRINT, str(stamp), str(data)]).returncode == 1
    subprocess.run([*FINGERPRINT, "--write", str(stamp), str(data)], check=True)
    assert subprocess.run([*FINGERPRINT, str(stamp), str(data)]).returncode == 0
    (data / "a.yml").write_text("two")
    assert subprocess.run([*FINGERPRINT, str(stamp), str(data)]).returncode == 1


def test_read_dotenv_ignores_comments_and_strips_quotes(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("# comment\nRASA_TOKEN='abc'\n\nEMPTY=\nURL=\"http://x:1\"\nnot a pair\n")
    assert read_dotenv(env) == {"RASA_TOKEN": "abc", "EMPTY": "", "URL": "http://x:1"}
