"""Fixtures for the profile service: a migrated, seeded database per test, on SQLite
and (for the tests that ask for ``any_backend``) on a real PostgreSQL.

The seeded database is built once per session and per backend (a SQLite file copied per
test; a PostgreSQL template database cloned per test), with the business date fixed to
2025-06-02 so the scenario orders equal the old fixture's.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from profiles_helpers import TODAY, Api, make_settings

from profiles.migrate import upgrade
from profiles.seed.load import seed_database
from profiles.settings import DEFAULT_CATALOG
from servicekit.db import make_engine, make_sessionmaker
from tests.support.postgres import PostgresMissing, temporary_postgres


def _migrate_and_seed(url: str) -> None:
    settings = make_settings(url)
    upgrade(settings)
    engine = make_engine(settings.database_url)
    try:
        seed_database(make_sessionmaker(engine), DEFAULT_CATALOG, TODAY)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("profiles") / "seeded.db"
    _migrate_and_seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    try:
        with temporary_postgres("profiles_template") as url:
            _migrate_and_seed(url)
            yield url
    except PostgresMissing as exc:
        pytest.fail(str(exc), pytrace=False)


def _postgres_clone(server_url: str) -> Iterator[str]:
    url = sa.make_url(server_url)
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def sqlite_url(seeded_sqlite: Path, tmp_path: Path) -> str:
    target = tmp_path / "profiles.db"
    shutil.copy(seeded_sqlite, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", "postgres"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
    else:
        yield from _postgres_clone(request.getfixturevalue("postgres_server"))


@pytest.fixture
def api(sqlite_url: str) -> Iterator[Api]:
    client = Api(sqlite_url)
    yield client
    client.close()


@pytest.fixture
def any_api(any_url: str) -> Iterator[Api]:
    client = Api(any_url)
    yield client
    client.close()
