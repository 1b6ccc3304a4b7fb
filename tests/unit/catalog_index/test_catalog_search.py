"""Hybrid search with every filter, on the tiny catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog_index.embeddings import Embedder
from catalog_index.fusion import fuse
from catalog_index.index import build_index
from catalog_index.search import CatalogSearch, SearchFilters, normalize
from catalog_index.settings import Settings, default_model_path

pytestmark = pytest.mark.slow
TINY_CATALOG = Path(__file__).parent / "tiny_catalog.jsonl"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> CatalogSearch:
    root = tmp_path_factory.mktemp("search")
    settings = Settings(
        embedding_model=default_model_path(),
        chroma_path=root / "chroma",
        collection="search-test",
        catalog_file=root / "catalog.jsonl",
        index_dir=root / "index",
    )
    shutil.copy(TINY_CATALOG, settings.catalog_file)
    build_index(settings, embedder=embedder, progress=False)
    return CatalogSearch.from_settings(settings, embedder=embedder)


def ids(results: list) -> set[str]:  # type: ignore[type-arg]
    return {r.id for r in results}


def test_query_ranks_the_obvious_product_first(engine: CatalogSearch) -> None:
    assert engine.search("waterproof rain jacket")[0].id == "P003"
    assert engine.search("merino wool base layer")[0].id == "P004"
    assert engine.search("tent for four people")[0].id == "P006"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(category="tent"), {"P005", "P006"}),
        (SearchFilters(category="Tents"), {"P005", "P006"}),
        (SearchFilters(category="running shoe"), {"P002"}),
        (SearchFilters(category="footwear"), {"P001", "P002"}),  # department
        (SearchFilters(brand="northpeak"), {"P001"}),
        (SearchFilters(colour="Red"), {"P001", "P007"}),
        (SearchFilters(colour="gray"), {"P004"}),
        (SearchFilters(size="m"), {"P003", "P004"}),
        (SearchFilters(size="10", colour="black"), {"P001"}),
        (SearchFilters(size="10", colour="black", in_stock=True), set()),
        (SearchFilters(size="M", in_stock=True), {"P003"}),
        (SearchFilters(material="wool"), {"P004", "P007"}),
        (SearchFilters(material="merino wool"), {"P004"}),
        (SearchFilters(price_min=100), {"P001", "P003", "P005", "P006"}),
        (SearchFilters(price_max=64), {"P007", "P008"}),
        (SearchFilters(price_min=70, price_max=90), {"P002", "P004"}),
        (SearchFilters(in_stock=True), {"P001", "P002", "P003", "P004", "P005", "P007", "P008"}),
        (SearchFilters(category="tents", in_stock=True), {"P005"}),
    ],
)
def test_every_filter_is_exact(
    engine: CatalogSearch, filters: SearchFilters, expected: set[str]
) -> None:
    for query in ("tent", "warm clothes for winter", ""):
        found = engine.search(query, filters, limit=20)
        assert ids(found) == expected, query
        assert all(engine.matches(r.id, filters) for r in found)


def test_empty_query_returns_best_rated_under_filters(engine: CatalogSearch) -> None:
    found = engine.search("", SearchFilters(price_max=200), limit=3)
    assert [r.id for r in found] == ["P004", "P001", "P007"]
    assert found[0].score == pytest.approx(4.8)


def test_exclude_ids_and_limit(engine: CatalogSearch) -> None:
    first = engine.search("tent", limit=1)
    assert len(first) == 1
    second = engine.search("tent", limit=1, exclude_ids={first[0].id})
    assert second and second[0].id != first[0].id


def test_result_carries_card_fields_and_score(engine: CatalogSearch) -> None:
    result = engine.search("backpack", limit=1)[0]
    assert result.id == "P008" and result.currency == "USD" and result.in_stock
    card = result.card()
    assert card["sizes"] == ["S/M", "M/L"] and "score" not in card
    assert result.to_dict()["score"] == result.score


def test_get_similar_and_vocabulary(engine: CatalogSearch) -> None:
    product = engine.get("P005")
    assert product is not None and product.title == "Trailforge Summit 2 Tent"
    assert engine.get("nope") is None
    similar = engine.similar("P005", limit=3)
    assert len(similar) == 3 and "P005" not in ids(similar)
    assert similar[0].id == "P006"
    assert all(
        r.category == "tents" for r in engine.similar("P005", 3, SearchFilters(category="tent"))
    )
    vocab = engine.vocabulary()
    assert "tents" in vocab["categories"] and "outdoor gear" in vocab["departments"]
    assert "Alder & Oak" not in vocab["brands"] and "Northpeak" in vocab["brands"]
    assert {"red", "grey", "olive"} <= set(vocab["colours"])
    assert "merino wool" in vocab["materials"] and "S/M" in vocab["sizes"]


def test_fusion_rewards_agreement() -> None:
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.1)]
    lexical = [("b", 12.0), ("d", 3.0)]
    fused = fuse(dense, lexical, limit=4)
    assert [pid for pid, _ in fused][:2] == ["b", "a"]
    assert [score for _, score in fused] == sorted((s for _, s in fused), reverse=True)
    assert len(fuse(dense, lexical, limit=2)) == 2


def test_normalize_handles_plurals_and_case() -> None:
    assert normalize("Running Shoes", plural=True) == normalize("running shoe", plural=True)
    for plural, one in [
        ("Hoodies", "hoodie"),
        ("dresses", "dress"),
        ("T-Shirts", "t-shirt"),
        ("sunglasses", "sunglasses"),
        ("rain boots", "rain boot"),
        ("berries", "berry"),
    ]:
        assert normalize(plural, plural=True) == normalize(one, plural=True), plural
    assert normalize("Alder & Oak") == "alder and oak"
