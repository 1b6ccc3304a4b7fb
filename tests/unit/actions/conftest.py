"""Fixtures for action tests: a real CatalogSearch over a tiny catalog, the real profile
service, trackers from JSON.

The catalog index is built once per session in a temporary folder with the real offline
embedding model. The profile service is the real app (``profiles.app``) on a seeded SQLite
database (business date 2025-06-02, so the scenario orders are the hand-written ones),
reached through ``httpx.ASGITransport``: each test gets a fresh copy of the database and a
fresh runtime installed with ``set_runtime``. Trackers are built from JSON fixtures
(``fixtures/*.json``); a ``Conversation`` plays several turns by applying each action's
events to the tracker state, the way Rasa would.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import httpx
import pytest
import yaml
from action_helpers import FIXTURES
from pydantic import SecretStr

from actions.catalog import Catalog
from actions.clients.profiles import ProfileClient
from actions.runtime import Runtime, reset_runtime, set_runtime
from actions.settings import ActionSettings
from catalog_index.embeddings import Embedder
from catalog_index.index import build_index
from catalog_index.search import CatalogSearch
from catalog_index.settings import Settings, default_model_path
from tests.support.console_app import console, console_template  # noqa: F401 - fixtures

HERE = Path(__file__).parent
DOMAIN_DIR = Path(__file__).resolve().parents[3] / "assistant" / "domain"
#: The contract and the responses the actions use (other domain files belong to others).
DOMAIN_FILES = ("core.yml", "shopping.yml", "orders.yml", "privacy.yml", "handoff.yml")
#: The business date of the seeded profile service in these tests.
TODAY = dt.date(2025, 6, 2)
PROFILES_TOKEN = "actions-test-token"


# --- catalog -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def catalog_search(tmp_path_factory: pytest.TempPathFactory) -> CatalogSearch:
    """A real CatalogSearch over ``fixtures/catalog.jsonl`` (built once per session)."""
    root = tmp_path_factory.mktemp("catalog")
    settings = Settings(
        embedding_model=default_model_path(),
        chroma_path=root / "chroma",
        collection="actions-test",
        catalog_file=FIXTURES / "catalog.jsonl",
        index_dir=root / "index",
        embed_batch_size=16,
    )
    embedder = Embedder.from_settings(settings)
    build_index(settings, embedder=embedder, progress=False)
    return CatalogSearch.from_settings(settings, embedder=embedder)


@pytest.fixture
def settings(tmp_path: Path) -> ActionSettings:
    """Action settings for tests (page size 5, socketio and rest are rich, own handoff queue)."""
    return ActionSettings(
        search_page_size=5,
        business_date=TODAY,
        handoff_queue=tmp_path / "handoff" / "pending.jsonl",
    )


# --- the profile service -------------------------------------------------------------


def _profile_settings(path: Path) -> Any:
    from profiles.settings import DEFAULT_CATALOG, Settings

    return Settings(
        database_url=f"sqlite:///{path}",
        token=SecretStr(PROFILES_TOKEN),
        today=TODAY,
        seed_demo=False,
        catalog_path=DEFAULT_CATALOG,
    )


@pytest.fixture(scope="session")
def seeded_profiles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with the demo customers (built once per session)."""
    from profiles.migrate import upgrade
    from profiles.seed.load import seed_database
    from profiles.settings import DEFAULT_CATALOG
    from servicekit.db import make_engine, make_sessionmaker

    path = tmp_path_factory.mktemp("profiles") / "seeded.db"
    settings = _profile_settings(path)
    upgrade(settings)
    engine = make_engine(settings.database_url)
    try:
        seed_database(make_sessionmaker(engine), DEFAULT_CATALOG, TODAY)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def profile_client(seeded_profiles: Path, tmp_path: Path) -> Iterator[ProfileClient]:
    """A client of the real profile service app (a fresh copy of the seeded database)."""
    from profiles.app import create_app

    path = tmp_path / "profiles.db"
    shutil.copy(seeded_profiles, path)
    app = create_app(_profile_settings(path))
    transport = httpx.ASGITransport(app=app)
    yield ProfileClient("http://profiles.test", PROFILES_TOKEN, transport=transport)


@pytest.fixture
def runtime(
    catalog_search: CatalogSearch, settings: ActionSettings, profile_client: ProfileClient
) -> Iterator[Runtime]:
    """A fresh runtime (real catalog, real profile service) installed for the test."""
    installed = Runtime(settings, catalog=Catalog(catalog_search), profiles=profile_client)
    set_runtime(installed)
    yield installed
    reset_runtime()


# --- domain --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def responses() -> dict[str, list[dict[str, Any]]]:
    """All responses of the domain files."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in (DOMAIN_DIR / name for name in DOMAIN_FILES):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.update(data.get("responses") or {})
    return found


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The merged domain dict (what Rasa sends to the action server)."""
    merged: dict[str, Any] = {"slots": {}, "forms": {}, "responses": {}, "intents": []}
    for path in (DOMAIN_DIR / name for name in DOMAIN_FILES):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("slots", "forms", "responses"):
            merged[key].update(data.get(key) or {})
        merged["intents"].extend(data.get("intents") or [])
    return merged
