"""CLI exit codes and output (in process, sharing the session model)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from catalog_index import cli
from catalog_index.embeddings import Embedder
from catalog_index.index import read_manifest
from catalog_index.settings import Settings

pytestmark = pytest.mark.slow
TINY_CATALOG = Path(__file__).parent / "tiny_catalog.jsonl"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Embedder) -> Path:
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CATALOG_COLLECTION", "cli-test")
    monkeypatch.delenv("CHROMA_URL", raising=False)
    monkeypatch.delenv("CATALOG_MAPPING", raising=False)
    monkeypatch.setattr(Embedder, "from_settings", classmethod(lambda cls, s: embedder))
    shutil.copy(TINY_CATALOG, tmp_path / "catalog.jsonl")
    return tmp_path


def test_build_search_stats(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = str(env / "catalog.jsonl")
    assert cli.main(["search", "tent"]) == cli.EXIT_NO_INDEX
    assert cli.main(["build", "--catalog", catalog, "--no-progress"]) == cli.EXIT_OK
    assert "8 added" in capsys.readouterr().out
    assert cli.main(["build", "--catalog", catalog, "--if-changed"]) == cli.EXIT_OK
    assert "up to date" in capsys.readouterr().out
    assert cli.main(["search", "tent", "--in-stock", "--max-price", "300", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["id"] == "P005" and all(row["in_stock"] for row in lines)
    assert cli.main(["search", "", "--category", "tents"]) == 0
    assert "P005" in capsys.readouterr().out
    assert cli.main(["stats"]) == 0
    assert "8 vectors" in capsys.readouterr().out


def test_bad_catalog_exits_1_and_keeps_the_index(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = env / "catalog.jsonl"
    assert cli.main(["build", "--catalog", str(catalog), "--no-progress"]) == 0
    manifest = read_manifest(Settings.from_env().index_dir)
    catalog.write_text(catalog.read_text() + '{"id": "X", "title": "x", "category": "tents"}\n')
    assert cli.main(["build", "--catalog", str(catalog)]) == cli.EXIT_CATALOG
    err = capsys.readouterr().err
    assert f"{catalog}, line 9, field 'price': required field is missing" in err
    assert "left untouched" in err
    assert read_manifest(Settings.from_env().index_dir) == manifest


def test_usage_errors(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli.main([]) == cli.EXIT_USAGE
    assert cli.main(["build", "--catalog", str(env / "missing.jsonl")]) == cli.EXIT_CATALOG
    monkeypatch.setenv("EMBED_BATCH_SIZE", "lots")
    assert cli.main(["stats"]) == cli.EXIT_USAGE
