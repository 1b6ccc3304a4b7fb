"""Shared pytest configuration."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Register the project's markers (also declare them in pyproject.toml)."""
    config.addinivalue_line("markers", "slow: takes more than ~5 seconds (model loading, indexing)")
