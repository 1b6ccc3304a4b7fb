"""Fixtures for the handoff console: a migrated database per test, on SQLite and (for the
tests that ask for ``any_console``) on a real PostgreSQL.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from console_helpers import Console, make_settings

from console.migrate import upgrade
from tests.support.postgres import PostgresMissing, temporary_postgres


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("console") / "migrated.db"
    upgrade(make_settings(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    try:
        with temporary_postgres("console_template") as url:
            upgrade(make_settings(url))
            yield url
    except PostgresMissing as exc:
        pytest.fail(str(exc), pytrace=False)


def _postgres_clone(server_url: str) -> Iterator[str]:
    url = sa.make_url(server_url)
    name = f"c_{uuid.uuid4().hex[:12]}"
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
def sqlite_url(migrated_sqlite: Path, tmp_path: Path) -> str:
    target = tmp_path / "console.db"
    shutil.copy(migrated_sqlite, target)
    return f"sqlite:///{target}"


@pytest.fixture
def console(sqlite_url: str) -> Iterator[Console]:
    app = Console(sqlite_url)
    yield app
    app.close()


@pytest.fixture(params=["sqlite", "postgres"])
def any_console(request: pytest.FixtureRequest) -> Iterator[Console]:
    if request.param == "sqlite":
        url = request.getfixturevalue("sqlite_url")
        app = Console(url)
        yield app
        app.close()
    else:
        for url in _postgres_clone(request.getfixturevalue("postgres_server")):
            app = Console(url)
            yield app
            app.close()
