"""Fixtures of the service-client tests: the real console app (tests/support/console_app.py)."""

from __future__ import annotations

from tests.support.console_app import console, console_template  # noqa: F401 - fixtures
