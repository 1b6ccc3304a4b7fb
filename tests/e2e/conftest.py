"""Starts the real stack (profiles, console, rasa, action server, demo page) once per session."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from stack import ROOT, Stack, StackConfig


def free_port() -> int:
    """Returns a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The running stack with its own tracker store, on free loopback ports."""
    var_dir: Path = tmp_path_factory.mktemp("var")
    config = StackConfig(
        rasa_port=free_port(),
        actions_port=free_port(),
        profiles_port=free_port(),
        console_port=free_port(),
        web_port=free_port(),
        var_dir=var_dir,
        models_dir=ROOT / "var" / "models",
        extra_env={
            "RASA_TOKEN": "e2e-test-token",
            # Agents on duty around the clock, so a handoff queues a case whatever the time.
            "CONSOLE_HOURS": "Mon-Sun 00:00-24:00",
            "CONSOLE_ADMIN_EMAIL": "admin@e2e.example",
            "CONSOLE_ADMIN_PASSWORD": "e2e-admin-password",
            "HANDOFF_RETRY_INTERVAL": "2",
        },
    )
    with Stack(config) as running:
        yield running


@pytest.fixture()
def rasa(stack: Stack) -> Iterator[httpx.Client]:
    """An HTTP client for rasa's REST channel and API."""
    with httpx.Client(base_url=stack.config.rasa_url, timeout=60) as client:
        yield client
