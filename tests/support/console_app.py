"""The real handoff console app for the action server's tests, reached through ASGI.

The action server's tests talk to our own console (``console.app.create_app``) rather than to a
stand-in: a migrated SQLite database in the test's temporary folder, cheap argon2 parameters,
a clock the test sets, and a recorder at the Rasa edge (the console never needs Rasa for the
service API). The network between the action server and the console is the edge the tests
control: :class:`SwitchableTransport` delegates to ``httpx.ASGITransport`` and, while the
console is ``down``, fails every request with ``httpx.ConnectError``.

Modes of :class:`LiveConsole`: ``open`` (the clock inside the agent hours), ``closed`` (the
clock outside them) and ``down`` (nothing connects). The console's state is read back through
its own agent API (a logged-in admin, :class:`ConsoleAgent`) or its database.

Usage in a test module::

    @pytest.fixture(scope="session")
    def console_template(tmp_path_factory):
        return migrated_console_database(tmp_path_factory.mktemp("console"))

    @pytest.fixture
    def live_console(console_template, tmp_path):
        console = LiveConsole.copied_from(console_template, tmp_path)
        yield console
        console.close()
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx
import pytest
from argon2 import PasswordHasher
from pydantic import SecretStr
from sqlalchemy import select

from actions.clients.breaker import CircuitBreaker
from actions.clients.console import ConsoleClient
from console.app import create_app
from console.hours import parse_hours
from console.migrate import upgrade
from console.models import Case, Ticket
from console.settings import Settings
from servicekit.db import make_engine, make_sessionmaker

__all__ = [
    "ADMIN",
    "BASE_URL",
    "CLOSED_AT",
    "HOURS",
    "OPEN_AT",
    "TOKEN",
    "ConsoleAgent",
    "LiveConsole",
    "Mode",
    "SwitchableTransport",
    "console_settings",
    "migrated_console_database",
]

Mode = Literal["open", "closed", "down"]

TOKEN = "actions-console-token-7f3e"
SECRET = "actions-console-secret-key-91d2"
BASE_URL = "http://console.test:8400"
ADMIN = ("admin@shop.test", "admin-password-1")
#: The agents' hours of the test console (``CONSOLE_HOURS``, ``CONSOLE_TZ=UTC``).
HOURS = "Mon-Fri 09:00-17:00"
#: A Monday morning (inside the hours) and a Saturday morning (outside them).
OPEN_AT = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.timezone.utc)
CLOSED_AT = dt.datetime(2025, 6, 7, 10, 0, tzinfo=dt.timezone.utc)
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_LOGIN_TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
_Row = TypeVar("_Row", Case, Ticket)


def console_settings(database_url: str) -> Settings:
    """The console's settings for tests (fixed token, hours and first admin).

    Args:
        database_url: The SQLAlchemy URL of the console's database.

    Returns:
        The settings.
    """
    return Settings(
        database_url=database_url,
        token=SecretStr(TOKEN),
        secret_key=SecretStr(SECRET),
        rasa_url="http://rasa.test:5005",
        rasa_token=SecretStr("rasa-token-unused"),
        hours=parse_hours(HOURS, "UTC"),
        admin_email=ADMIN[0],
        admin_password=SecretStr(ADMIN[1]),
    )


def migrated_console_database(folder: Path) -> Path:
    """Create an SQLite database migrated to the head revision (a template to copy).

    Args:
        folder: Where the file goes.

    Returns:
        The database file.
    """
    path = folder / "console-template.db"
    upgrade(console_settings(f"sqlite:///{path}"))
    return path


class SwitchableTransport(httpx.AsyncBaseTransport):
    """The network to the console: delegates, or refuses every connection while ``down``."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        """Wrap a transport.

        Args:
            inner: The transport that reaches the console (``httpx.ASGITransport``).
        """
        self.inner = inner
        self.down = False
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request, or fail to connect while down.

        Args:
            request: The request.

        Returns:
            The console's answer.

        Raises:
            httpx.ConnectError: The console is down.
        """
        if self.down:
            self.refused += 1
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()


class _Clock:
    """The console's clock; the test moves it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class ConsoleAgent:
    """The console's admin, logged in through the login form: reads the queue and cases."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        """Wrap a logged-in client (see :meth:`LiveConsole.agent`).

        Args:
            client: An ``AsyncClient`` carrying the session cookie.
        """
        self.client = client

    async def queue(self) -> list[dict[str, Any]]:
        """The open cases as the agents see them (``GET /queue.json``).

        Returns:
            One row per case, queued ones by priority first.
        """
        response = await self.client.get("/queue.json", headers={"Accept": "application/json"})
        response.raise_for_status()
        rows: list[dict[str, Any]] = response.json()["cases"]
        return rows

    async def case(self, case_id: str) -> dict[str, Any] | None:
        """A case as the agents see it (``GET /cases/{id}/data``).

        Args:
            case_id: ``C-000123``.

        Returns:
            The case, or ``None`` when the console has no such case.
        """
        response = await self.client.get(
            f"/cases/{case_id}/data", headers={"Accept": "application/json"}
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


class LiveConsole:
    """The console app on its own database, with a clock, a Rasa recorder and a network switch."""

    def __init__(self, database_url: str) -> None:
        """Build the app (the database must be migrated).

        Args:
            database_url: The console's database.
        """
        self.settings = console_settings(database_url)
        self.engine = make_engine(database_url)
        self.clock = _Clock(OPEN_AT)
        #: What the console sent to Rasa (the service API never needs Rasa).
        self.rasa_requests: list[httpx.Request] = []
        self.app = create_app(
            self.settings,
            self.engine,
            clock=self.clock,
            rasa_transport=httpx.MockTransport(self._rasa),
            hasher=CHEAP,
        )
        self._asgi = httpx.ASGITransport(app=self.app)
        self.transport = SwitchableTransport(self._asgi)
        self._sessions = make_sessionmaker(self.engine)

    @classmethod
    def copied_from(cls, template: Path, folder: Path) -> LiveConsole:
        """A console on a fresh copy of a migrated template database.

        Args:
            template: The migrated database (:func:`migrated_console_database`).
            folder: The test's temporary folder.

        Returns:
            The console.
        """
        target = folder / "console.db"
        shutil.copy(template, target)
        return cls(f"sqlite:///{target}")

    def _rasa(self, request: httpx.Request) -> httpx.Response:
        self.rasa_requests.append(request)
        return httpx.Response(503, json={"status": "failure"})

    # --- modes ---------------------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        """``open``, ``closed`` (outside the agent hours) or ``down``."""
        if self.transport.down:
            return "down"
        return "open" if self.settings.hours.is_open(self.clock.now) else "closed"

    @mode.setter
    def mode(self, mode: Mode) -> None:
        self.transport.down = mode == "down"
        if mode == "open":
            self.clock.now = OPEN_AT
        elif mode == "closed":
            self.clock.now = CLOSED_AT

    # --- the action server's side ------------------------------------------------------------

    def client(self, **options: Any) -> ConsoleClient:
        """The action server's real client, on the switchable network.

        Backoff waits are skipped and the breaker never opens unless ``options`` say so.

        Args:
            **options: More ``ConsoleClient`` options (``retries``, ``breaker``...).

        Returns:
            The client.
        """

        async def no_sleep(_: float) -> None:
            return None

        options.setdefault("sleep", no_sleep)
        options.setdefault("breaker", CircuitBreaker(failure_threshold=100))
        return ConsoleClient(BASE_URL, TOKEN, transport=self.transport, **options)

    # --- reading the console's state -------------------------------------------------------

    @asynccontextmanager
    async def agent(self) -> AsyncIterator[ConsoleAgent]:
        """The admin, logged in through the login form (bypassing the network switch).

        Yields:
            The logged-in agent (its client is closed on exit).
        """
        async with httpx.AsyncClient(transport=self._asgi, base_url=BASE_URL) as client:
            page = await client.get("/login")
            match = _LOGIN_TOKEN.search(page.text)
            assert match, "the login form has no CSRF token"
            response = await client.post(
                "/login",
                data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": match.group(1)},
            )
            assert response.status_code == 303, response.text
            yield ConsoleAgent(client)

    def cases(self, **equal: Any) -> list[Case]:
        """The console's stored cases, oldest first.

        Args:
            **equal: Column values the cases must have (``customer_id="CUS-1001"``).

        Returns:
            The cases (detached ORM objects).
        """
        return self._rows(Case, equal)

    def tickets(self, **equal: Any) -> list[Ticket]:
        """The console's stored tickets, oldest first.

        Args:
            **equal: Column values the tickets must have.

        Returns:
            The tickets (detached ORM objects).
        """
        return self._rows(Ticket, equal)

    def _rows(self, model: type[_Row], equal: dict[str, Any]) -> list[_Row]:
        with self._sessions() as session:
            query = select(model).filter_by(**equal).order_by(model.id)
            return list(session.scalars(query))

    # --- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Dispose of the database engine."""
        self.engine.dispose()


# --- pytest fixtures (imported by the conftest.py of the test folders that use them) ------


@pytest.fixture(scope="session")
def console_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The console's database migrated once per session (each test copies it)."""
    return migrated_console_database(tmp_path_factory.mktemp("console"))


@pytest.fixture
def console(console_template: Path, tmp_path: Path) -> Iterator[LiveConsole]:
    """The real console app, open (inside the agent hours)."""
    app = LiveConsole.copied_from(console_template, tmp_path)
    yield app
    app.close()
