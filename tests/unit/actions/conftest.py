"""Fixtures for action tests: a real CatalogSearch over a tiny catalog, trackers from JSON.

The catalog index is built once per session in a temporary folder with the real offline
embedding model. Each test gets a fresh runtime (fresh fixture orders client) installed
with ``set_runtime``. Trackers are built from JSON fixtures (``fixtures/*.json``); a
``Conversation`` plays several turns by applying each action's events to the tracker
state, the way Rasa would.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import pytest
import yaml
from action_helpers import FIXTURES

from actions.catalog import Catalog
from actions.clients.orders import FixtureOrdersClient
from actions.runtime import Runtime, reset_runtime, set_runtime
from actions.settings import DEFAULT_ORDERS_FIXTURE, ActionSettings
from catalog_index.embeddings import Embedder
from catalog_index.index import build_index
from catalog_index.search import CatalogSearch
from catalog_index.settings import Settings, default_model_path

HERE = Path(__file__).parent
DOMAIN_DIR = Path(__file__).resolve().parents[3] / "assistant" / "domain"
#: The contract and the responses the actions use (other domain files belong to others).
DOMAIN_FILES = ("core.yml", "shopping.yml", "orders.yml")


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
def settings() -> ActionSettings:
    """Action settings for tests (page size 5, socketio and rest are rich)."""
    return ActionSettings(search_page_size=5)


@pytest.fixture
def runtime(catalog_search: CatalogSearch, settings: ActionSettings) -> Iterator[Runtime]:
    """A fresh runtime (real catalog, fixture orders) installed for the test."""
    installed = Runtime(
        settings,
        catalog=Catalog(catalog_search),
        orders=FixtureOrdersClient.from_file(DEFAULT_ORDERS_FIXTURE),
    )
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
