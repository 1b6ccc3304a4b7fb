"""Fixtures for catalog_index tests: the real offline model, loaded once per session."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from catalog_index.embeddings import Embedder
from catalog_index.settings import Settings, default_model_path

HERE = Path(__file__).parent
TINY_CATALOG = HERE / "tiny_catalog.jsonl"
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"


class CountingEmbedder(Embedder):
    """An Embedder that counts the texts it embeds (wraps the real model)."""

    def __init__(self, inner: Embedder) -> None:
        super().__init__(inner._model, inner.name)
        self.calls: list[int] = []

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, progress: bool = False
    ) -> npt.NDArray[np.float32]:
        self.calls.append(len(texts))
        return super().encode(texts, batch_size, progress)

    @property
    def embedded(self) -> int:
        return sum(self.calls)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real all-MiniLM-L6-v2 model (offline), shared by all tests."""
    settings = Settings(embedding_model=default_model_path())
    return Embedder.from_settings(settings)


@pytest.fixture
def counting(embedder: Embedder) -> CountingEmbedder:
    """A fresh counting wrapper around the session model."""
    return CountingEmbedder(embedder)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing every store into ``tmp_path``."""
    return Settings(
        embedding_model=default_model_path(),
        chroma_path=tmp_path / "chroma",
        collection="test-catalog",
        catalog_file=tmp_path / "catalog.jsonl",
        index_dir=tmp_path / "index",
        embed_batch_size=4,
    )


@pytest.fixture
def tiny_catalog(settings: Settings) -> Path:
    """A writable copy of the tiny catalog at ``settings.catalog_file``."""
    shutil.copy(TINY_CATALOG, settings.catalog_file)
    return settings.catalog_file
