"""The production stack file and the build helpers the Makefile relies on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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
        WIDGET_ORIGINS="https://shop.example",
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


#: The project's top-level Python packages (an import of one of them needs it in the image).
PROJECT_PACKAGES = sorted(
    p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"
)


def project_imports(package: str) -> set[str]:
    """The project packages a package imports, directly or through the ones it imports."""
    pattern = re.compile(
        r"^\s*(?:from|import)\s+(" + "|".join(map(re.escape, PROJECT_PACKAGES)) + r")\b", re.M
    )
    seen: set[str] = set()
    todo = [package]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for source in (ROOT / name).rglob("*.py"):
            todo.extend(pattern.findall(source.read_text(encoding="utf-8")))
    return seen


def copied_folders(dockerfile: str) -> set[str]:
    """The project folders the final stage of a Dockerfile copies from the build context."""
    final = (ROOT / "deploy" / dockerfile).read_text().split("\nFROM ")[-1]
    copies = re.findall(r"^COPY (?!--from)(\S+) ", final, re.M)
    return {path.split("/")[0] for path in copies}


@pytest.mark.parametrize(
    ("dockerfile", "entry_points"),
    [
        ("rasa.Dockerfile", ["assistant"]),
        ("app.Dockerfile", ["actions", "catalog_index", "profiles", "console"]),
    ],
)
def test_each_image_copies_every_project_package_its_services_import(
    dockerfile: str, entry_points: list[str]
) -> None:
    needed = set().union(*(project_imports(entry) for entry in entry_points))
    missing = needed - copied_folders(dockerfile)
    assert not missing, f"deploy/{dockerfile} does not copy {sorted(missing)}"


def test_the_app_image_builds_the_widget_the_console_serves() -> None:
    text = (ROOT / "deploy" / "app.Dockerfile").read_text()
    assert "node widget/build.mjs" in text
    assert "COPY --from=widget /build/widget/dist widget/dist" in text
