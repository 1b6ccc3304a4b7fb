"""Starts the real stack (profiles, console, rasa, action server, demo page) once per session."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from stack import ROOT, Stack, StackConfig

from tests.support.fake_platform import FakePlatform, channel_environment


def free_port() -> int:
    """Returns a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: Where the widget's browser tests serve their shop page (tests/e2e/browser/widget_page.py).
WIDGET_PAGE_PORT = free_port()


@pytest.fixture(scope="session")
def widget_page_port() -> int:
    """The port of the widget tests' page: an origin rasa's socket.io channel accepts."""
    return WIDGET_PAGE_PORT


@pytest.fixture(scope="session")
def messaging_platform() -> Iterator[FakePlatform]:
    """Telegram's, Slack's, Graph's and Twilio's APIs on loopback: the channels' outbound edge."""
    with FakePlatform() as platform:
        yield platform


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory, messaging_platform: FakePlatform
) -> Iterator[Stack]:
    """The running stack with its own tracker store, on free loopback ports."""
    var_dir: Path = tmp_path_factory.mktemp("var")
    web_port = free_port()
    config = StackConfig(
        rasa_port=free_port(),
        actions_port=free_port(),
        profiles_port=free_port(),
        console_port=free_port(),
        web_port=web_port,
        var_dir=var_dir,
        models_dir=ROOT / "var" / "models",
        extra_env={
            "RASA_TOKEN": "e2e-test-token",
            # Agents on duty around the clock, so a handoff queues a case whatever the time.
            "CONSOLE_HOURS": "Mon-Sun 00:00-24:00",
            "CONSOLE_ADMIN_EMAIL": "admin@e2e.example",
            "CONSOLE_ADMIN_PASSWORD": "e2e-admin-password",
            "HANDOFF_RETRY_INTERVAL": "2",
            # The messaging channels on, their platform APIs faked (tests/e2e/test_channels.py).
            **channel_environment(messaging_platform),
            # Browser origins the widget's socket.io accepts: the demo shop (as scripts/stack.py
            # sets it) and the widget tests' page.
            "WIDGET_ORIGINS": ",".join(
                [
                    f"http://127.0.0.1:{web_port}",
                    f"http://localhost:{web_port}",
                    f"http://127.0.0.1:{WIDGET_PAGE_PORT}",
                ]
            ),
        },
    )
    with Stack(config) as running:
        yield running


@pytest.fixture()
def rasa(stack: Stack) -> Iterator[httpx.Client]:
    """An HTTP client for rasa's REST channel and API."""
    with httpx.Client(base_url=stack.config.rasa_url, timeout=60) as client:
        yield client
