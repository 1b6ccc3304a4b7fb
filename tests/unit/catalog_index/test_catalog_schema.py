"""Product model: derived fields, cards, canonical JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_index.schema import Product, ProductInvalid, short_description

HERE = Path(__file__).parent
TINY_CATALOG = HERE / "tiny_catalog.jsonl"
SHARED = HERE.parents[3] / "shared" / "data"


def _products() -> list[Product]:
    return [Product.from_dict(json.loads(line)) for line in TINY_CATALOG.open()]


def test_variants_derive_colours_sizes_and_stock() -> None:
    shoe = _products()[0]
    assert shoe.colours == ["black", "red"]
    assert shoe.sizes == ["9", "10"]
    assert shoe.stock == 6
    assert shoe.in_stock


def test_product_without_variants_keeps_own_stock_and_options() -> None:
    tent = _products()[5]
    assert tent.variants == []
    assert tent.stock == 0 and not tent.in_stock
    assert tent.colours == ["orange"]


def test_card_has_the_fields_a_product_card_needs() -> None:
    card = _products()[7].card()
    assert set(card) == {
        "id",
        "title",
        "brand",
        "category",
        "price",
        "currency",
        "colours",
        "sizes",
        "rating",
        "review_count",
        "in_stock",
        "image_url",
        "url",
        "description",
    }
    assert card["currency"] == "USD"
    assert card["sizes"] == ["S/M", "M/L"]


def test_canonical_json_round_trips() -> None:
    for product in _products():
        again = Product.from_dict(json.loads(product.canonical_json()))
        assert again == product


def test_from_dict_reports_every_bad_field() -> None:
    with pytest.raises(ProductInvalid) as info:
        Product.from_dict({"id": "x", "price": -1, "stock": "many", "rating": 9})
    fields = {error.field for error in info.value.errors}
    assert fields == {"title", "category", "price", "stock", "rating"}


def test_short_description_cuts_at_a_word() -> None:
    text = "word " * 100
    short = short_description(text, 20)
    assert short.endswith("…") and len(short) <= 21
