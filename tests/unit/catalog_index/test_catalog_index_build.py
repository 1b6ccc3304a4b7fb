"""Incremental builds on a tiny catalog in tmp_path with a PersistentClient."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog_index.errors import CatalogError
from catalog_index.index import (
    EMBED_CHUNK,
    build_index,
    is_up_to_date,
    open_store,
    read_manifest,
)
from catalog_index.search import CatalogSearch
from catalog_index.settings import Settings

pytestmark = pytest.mark.slow


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _save(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def test_incremental_build(settings: Settings, tiny_catalog: Path, counting: Any) -> None:
    first = build_index(settings, embedder=counting, progress=False)
    assert (first.added, first.updated, first.removed, first.unchanged) == (8, 0, 0, 0)
    assert counting.embedded == 8 and max(counting.calls) <= max(
        16 * settings.embed_batch_size, EMBED_CHUNK
    )
    assert open_store(settings).count() == 8
    assert is_up_to_date(settings)

    # Second build: nothing re-embedded.
    counting.calls.clear()
    second = build_index(settings, embedder=counting, progress=False)
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, 8)
    assert counting.embedded == 0

    # --if-changed returns before loading anything.
    skipped = build_index(settings, embedder=counting, if_changed=True, progress=False)
    assert skipped.skipped and counting.embedded == 0

    # One product changed, one removed, one added.
    rows = _rows(tiny_catalog)
    rows[0]["title"] = "Northpeak Trail Runner 3"
    removed_id = rows.pop(3)["id"]
    rows.append({**rows[-1], "id": "P999", "title": "Ridgeway Day Pack"})
    _save(tiny_catalog, rows)
    assert not is_up_to_date(settings)
    third = build_index(settings, embedder=counting, progress=False)
    assert (third.added, third.updated, third.removed, third.unchanged) == (1, 1, 1, 6)
    assert counting.embedded == 2
    store = open_store(settings)
    assert store.count() == 8
    assert removed_id not in store.hashes()
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None and manifest.products == 8
    assert [p.name for p in settings.index_dir.iterdir() if p.name.startswith("gen-")] == [
        manifest.generation
    ]


def test_model_change_reembeds_everything(
    settings: Settings, tiny_catalog: Path, counting: Any
) -> None:
    build_index(settings, embedder=counting, progress=False)
    counting.calls.clear()
    other = Settings(**{**settings.__dict__, "embedding_model": "some/other-model"})
    report = build_index(other, embedder=counting, progress=False)
    assert report.updated == 8 and counting.embedded == 8


def test_malformed_catalog_leaves_the_old_index_intact(
    settings: Settings, tiny_catalog: Path, counting: Any, embedder: Any
) -> None:
    build_index(settings, embedder=counting, progress=False)
    before = CatalogSearch.from_settings(settings, embedder=embedder).search("tent", limit=3)
    manifest = read_manifest(settings.index_dir)
    rows = _rows(tiny_catalog)
    rows[0]["title"] = "Changed title"
    rows[2]["price"] = -10
    rows.pop()  # a removal that must not happen either
    _save(tiny_catalog, rows)
    counting.calls.clear()
    with pytest.raises(CatalogError, match="line 3, field 'price'"):
        build_index(settings, embedder=counting, progress=False)
    assert counting.embedded == 0
    assert read_manifest(settings.index_dir) == manifest
    assert open_store(settings).count() == 8
    after = CatalogSearch.from_settings(settings, embedder=embedder).search("tent", limit=3)
    assert [r.id for r in after] == [r.id for r in before]
