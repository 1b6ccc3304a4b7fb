"""Loading catalogs through mappings, and the errors for malformed rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_index.errors import CatalogError
from catalog_index.loaders import load_catalog
from catalog_index.mapping import load_mapping, parse_mapping

HERE = Path(__file__).parent
TINY_CATALOG = HERE / "tiny_catalog.jsonl"
SHARED = HERE.parents[3] / "shared" / "data"

MAPPINGS = Path(__file__).resolve().parents[3] / "catalog" / "mappings"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data not present")


def test_canonical_default_and_canonical_yml_agree() -> None:
    default = load_catalog(TINY_CATALOG)
    via_yml = load_catalog(TINY_CATALOG, MAPPINGS / "canonical.yml")
    assert [p.to_dict() for p in default] == [p.to_dict() for p in via_yml]
    assert len(default) == 8
    assert default[0].description.startswith("Light trail running shoes")  # HTML stripped


@needs_shared
def test_magento_configurables_group_their_simple_rows() -> None:
    products = load_catalog(SHARED / "catalogs/magento_products.csv", MAPPINGS / "magento.yml")
    assert len(products) == 147  # configurable parents only; 1847 simple rows are variants
    hoodie = next(p for p in products if p.id == "MH01")
    assert hoodie.title == "Chaz Kangeroo Hoodie"
    assert hoodie.category == "hoodies & sweatshirts"
    assert hoodie.gender == "men"
    assert hoodie.price == 52.0
    assert "<p>" not in hoodie.description
    assert len(hoodie.variants) == 15
    assert hoodie.colours == ["black", "gray", "orange"]
    assert hoodie.sizes == ["XS", "S", "M", "L", "XL"]
    assert hoodie.stock == sum(v.stock for v in hoodie.variants) > 0


@needs_shared
def test_dummyjson_array_loads_through_the_same_path(tmp_path: Path) -> None:
    products = load_catalog(SHARED / "catalogs/dummyjson_products.json", MAPPINGS / "dummyjson.yml")
    assert len(products) == 194
    first = products[0]
    assert (first.id, first.category, first.brand) == ("1", "beauty", "Essence")
    assert first.review_count == 3 and first.stock == 99
    # The API's own shape {"products": [...]} loads too.
    raw = json.loads((SHARED / "catalogs/dummyjson_products.json").read_text())
    wrapped = tmp_path / "api.json"
    wrapped.write_text(json.dumps({"products": raw[:5], "total": 5}))
    assert len(load_catalog(wrapped, MAPPINGS / "dummyjson.yml")) == 5


@needs_shared
def test_google_retail_jsonl() -> None:
    products = load_catalog(SHARED / "catalogs/google_retail.jsonl", MAPPINGS / "google_retail.yml")
    assert len(products) == 316
    pen = products[0]
    assert pen.price == 16.0 and pen.material == "metal" and pen.colours == ["blue"]
    assert pen.stock == 50
    sweater = products[1]
    assert sweater.sizes == ["XS", "S", "M", "L", "XL"] and not sweater.in_stock


@needs_shared
@pytest.mark.parametrize(
    ("path", "mapping", "count"),
    [
        ("relevance/crowdflower_products.csv", "crowdflower.yml", 9913),
        pytest.param(
            "relevance/homedepot_products.csv", "homedepot.yml", 54667, marks=pytest.mark.slow
        ),
    ],
)
def test_relevance_corpora_have_explicit_placeholder_price(
    path: str, mapping: str, count: int
) -> None:
    products = load_catalog(SHARED / path, MAPPINGS / mapping)
    assert len(products) == count
    assert {p.category for p in products} == {"unknown"}
    assert {p.price for p in products} == {0.0}


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "a", "title": "A", "category": "tents", "price": 10, "stock": 1}


@pytest.mark.parametrize(
    ("bad_row", "field", "fragment"),
    [
        ({**GOOD, "id": "b", "price": None}, "price", "missing"),
        ({k: v for k, v in GOOD.items() if k != "price"} | {"id": "b"}, "price", "missing"),
        ({**GOOD, "id": "b", "price": -5}, "price", "negative"),
        ({**GOOD, "id": "b", "price": "cheap"}, "price", "not a number"),
        ({**GOOD, "id": "b", "stock": "lots"}, "stock", "not a number"),
        ({**GOOD, "id": "b", "stock": 2.5}, "stock", "not an integer"),
        ({**GOOD, "id": "a"}, "id", "duplicate id 'a' (first on line 1)"),
        ({**GOOD, "id": "b", "title": ""}, "title", "missing"),
        ({**GOOD, "id": "b", "category": None}, "category", "missing"),
        ({**GOOD, "id": "b", "variants": [{"sku": "v", "stock": "x"}]}, "variants[0].stock", "not"),
    ],
)
def test_malformed_jsonl_row_names_file_line_and_field(
    tmp_path: Path, bad_row: dict[str, object], field: str, fragment: str
) -> None:
    path = _write(tmp_path, "shop.jsonl", [json.dumps(GOOD), "", json.dumps(bad_row)])
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    [error] = info.value.errors
    assert (error.file, error.line, error.field) == (str(path), 3, field)
    assert fragment in error.message
    assert f"{path}, line 3, field '{field}'" in str(info.value)


def test_csv_errors_are_collected_together_with_line_numbers(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "shop.csv",
        [
            "sku,name,cat,price,qty",
            "s1,One,tents,10,1",
            's2,"Two, with a\nline break",tents,-1,1',
            "s3,Three,tents,,1",
            "s4,Four,tents,5,many",
            "s1,Dup,tents,5,1",
        ],
    )
    mapping = parse_mapping(
        {
            "fields": {
                "id": "sku",
                "title": "name",
                "category": "cat",
                "price": {"from": "price", "transforms": ["number"]},
                "stock": {"from": "qty", "transforms": ["int"]},
            }
        }
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path, mapping)
    found = [(e.line, e.field) for e in info.value.errors]
    assert found == [(3, "price"), (5, "price"), (6, "stock"), (7, "id")]


def test_error_cap_reports_that_more_exist(tmp_path: Path) -> None:
    rows = [json.dumps({**GOOD, "id": str(i), "price": -1}) for i in range(20)]
    path = _write(tmp_path, "many.jsonl", rows)
    with pytest.raises(CatalogError) as info:
        load_catalog(path, max_errors=5)
    assert len(info.value.errors) == 5 and info.value.truncated
    assert "there are more" in str(info.value)


def test_bad_encoding_names_the_line_and_the_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "sku,name,cat,price\ns1,Ok,tents,1\ns2,Caf\xe9 tent,tents,2\n".encode("latin-1")
    )
    mapping = parse_mapping(
        {"fields": {"id": "sku", "title": "name", "category": "cat", "price": "price"}}
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path, mapping)
    assert {(e.line, e.field) for e in info.value.errors} == {(3, "-"), (3, "name")}
    assert all("encoding" in e.message for e in info.value.errors)
    # Declaring the right encoding in the mapping fixes it.
    fixed = parse_mapping(
        {
            "encoding": "latin-1",
            "fields": {"id": "sku", "title": "name", "category": "cat", "price": "price"},
        }
    )
    assert load_catalog(path, fixed)[1].title == "Café tent"


def test_invalid_json_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.jsonl", [json.dumps(GOOD), "{not json"])
    with pytest.raises(CatalogError, match=r"line 2, field '-': invalid JSON"):
        load_catalog(path)


def test_group_by_mode_for_one_row_per_variant(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "shopify.csv",
        [
            "Handle,Title,Type,Price,Color,Size,Qty",
            "tee,Basic Tee,t-shirts,20,Red,M,2",
            "tee,,,,Red,L,0",
            "cap,Cap,hats,10,Blue,,5",
        ],
    )
    mapping = parse_mapping(
        {
            "fields": {"id": "Handle", "title": "Title", "category": "Type", "price": "Price"},
            "variants": {
                "mode": "group_by",
                "column": "Handle",
                "fields": {
                    "sku": {"from": ["Size", "Handle"]},
                    "colour": "Color",
                    "size": "Size",
                    "stock": {"from": "Qty", "transforms": ["int"]},
                },
            },
        }
    )
    tee, cap = load_catalog(path, mapping)
    assert tee.sizes == ["M", "L"] and tee.colours == ["red"] and tee.stock == 2
    assert cap.stock == 5


def test_parent_column_mode(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "woo.csv",
        [
            "id,parent,name,cat,price,colour,stock",
            "p,,Jacket,rain jackets,99,,",
            "v1,p,,,,navy,3",
            "v2,q,,,,red,1",
        ],
    )
    mapping = parse_mapping(
        {
            "fields": {"id": "id", "title": "name", "category": "cat", "price": "price"},
            "variants": {
                "mode": "parent_column",
                "column": "parent",
                "fields": {"sku": "id", "colour": "colour", "stock": "stock"},
            },
        }
    )
    with pytest.raises(CatalogError, match=r"line 4, field 'parent': unknown parent 'q'"):
        load_catalog(path, mapping)


def test_bad_mapping_files_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("fields:\n  id: {from: sku, transforms: [shout]}\n")
    with pytest.raises(CatalogError, match="unknown transform 'shout'"):
        load_mapping(bad)
    with pytest.raises(CatalogError, match="cannot read mapping"):
        load_mapping(tmp_path / "missing.yml")


def test_missing_catalog_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read catalog"):
        load_catalog(tmp_path / "nope.jsonl")
