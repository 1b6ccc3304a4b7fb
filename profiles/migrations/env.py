"""Alembic environment: the URL comes from the caller or from the service's settings."""

from __future__ import annotations

from profiles.models import Base
from profiles.settings import get_settings
from servicekit.migrate import run_environment

run_environment(Base.metadata, get_settings, "profiles")
