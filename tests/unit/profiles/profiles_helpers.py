"""Helpers shared by the profile service's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import SecretStr

from profiles.app import create_app
from profiles.settings import DEFAULT_CATALOG, Settings
from servicekit.db import make_engine

TOKEN = "test-token-7c1f"
TODAY = dt.date(2025, 6, 2)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def make_settings(url: str) -> Settings:
    return Settings(
        database_url=url,
        token=SecretStr(TOKEN),
        today=TODAY,
        seed_demo=False,
        catalog_path=DEFAULT_CATALOG,
    )


class Api:
    """A TestClient with the token, plus direct database access for assertions."""

    def __init__(self, url: str) -> None:
        self.settings = make_settings(url)
        self.engine = make_engine(self.settings.database_url)
        self.app = create_app(self.settings, self.engine)
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=AUTH, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.client.post(path, headers={**AUTH, **kw.pop("headers", {})}, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.client.put(path, headers={**AUTH, **kw.pop("headers", {})}, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.client.patch(path, headers={**AUTH, **kw.pop("headers", {})}, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.client.delete(path, headers=AUTH, **kw)

    def count(self, table: str, where: str = "", **params: Any) -> int:
        sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        with self.engine.connect() as conn:
            return int(conn.execute(sa.text(sql), params).scalar_one())

    def close(self) -> None:
        self.client.close()
        self.engine.dispose()
