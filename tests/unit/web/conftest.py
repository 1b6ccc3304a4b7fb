"""A demo shop app over a small catalog, with a fixed clock and a known secret."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shop_helpers import CONSOLE, CUSTOMERS, NOW, RASA, SECRET, product, write_catalog
from starlette.testclient import TestClient

from web.app import create_app
from web.catalog import Shelf
from web.settings import ShopSettings


@pytest.fixture()
def settings(tmp_path: Path) -> ShopSettings:
    images = tmp_path / "images"
    images.mkdir()
    (images / "running-shoes.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (images / ".hidden.svg").write_text("<svg/>")
    (tmp_path / "secret.py").write_text("SECRET = 1\n")
    return ShopSettings(
        identity_secret=SECRET,
        rasa_url=RASA,
        console_url=CONSOLE,
        catalog_file=write_catalog(tmp_path / "catalog.jsonl", [product(n) for n in range(1, 8)]),
        images_dir=images,
        token_ttl=900,
    )


@pytest.fixture()
def clock() -> list[float]:
    """The app's clock: tests move it by changing ``clock[0]``."""
    return [float(NOW)]


@pytest.fixture()
def make_client(settings: ShopSettings, clock: list[float]) -> Callable[..., TestClient]:
    def build(shelf: Shelf | None = None, **overrides: Any) -> TestClient:
        chosen = dataclasses.replace(settings, **overrides)
        app = create_app(chosen, shelf=shelf, customers=CUSTOMERS, clock=lambda: clock[0])
        return TestClient(app, follow_redirects=False)

    return build


@pytest.fixture()
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()
