"""The demo shop's pages: the grid, categories, product pages, escaping, errors."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import escape
from shop_helpers import product, widget_config, write_catalog
from starlette.testclient import TestClient

from web.app import create_app
from web.catalog import PAGE_SIZE, Shelf, format_price
from web.customers import demo_customers
from web.settings import DEFAULT_CATALOG, ShopSettings

CARD = re.compile(r'<li class="card" data-product-id="([^"]+)">')


def grid_ids(page: str) -> list[str]:
    return CARD.findall(page)


def every_page(client: TestClient, query: str = "") -> list[str]:
    """The product ids of every page of a listing, in order."""
    ids: list[str] = []
    number = 1
    while True:
        answer = client.get(f"/?{query}page={number}")
        if answer.status_code == 404:
            return ids
        assert answer.status_code == 200
        ids += grid_ids(answer.text)
        number += 1


def test_the_grid_shows_every_product_of_the_demo_catalog_once(
    make_client: Callable[..., TestClient],
) -> None:
    shelf = Shelf.load(DEFAULT_CATALOG)
    client = make_client(shelf=shelf)
    ids = every_page(client)
    assert ids == [p.id for p in shelf.products]
    assert len(ids) == len(set(ids)) > PAGE_SIZE  # more than one page


def test_each_category_lists_exactly_its_products(make_client: Callable[..., TestClient]) -> None:
    shelf = Shelf.load(DEFAULT_CATALOG)
    client = make_client(shelf=shelf)
    first = client.get("/").text
    for key, name in shelf.categories.items():
        assert f'href="/?category={key}"' in first
        expected = [p.id for p in shelf.products if p.category == name]
        assert every_page(client, f"category={key}&") == expected, name


def test_a_card_shows_title_brand_price_rating_stock_and_image(client: TestClient) -> None:
    page = client.get("/").text
    card = page.split('data-product-id="P-0003">', 1)[1].split("</li>", 1)[0]
    assert ">Product 3</a>" in card and 'href="/products/P-0003"' in card
    assert "Trailforge" in card
    assert format_price(13.0, "USD") == "$13" and "$13" in card
    assert "4.5" in card and "out of 5" in card and "(3 reviews)" in card
    assert "Out of stock" in card  # stock 3 % 3 == 0
    assert 'src="/static/products/running-shoes.svg"' in card
    assert 'alt="Running shoes: Product 3"' in card


def test_hostile_catalog_text_is_escaped(
    make_client: Callable[..., TestClient], tmp_path: Path, settings: ShopSettings
) -> None:
    hostile = '</script><script>alert("t")</script><img src=x onerror=alert(1)> & "q"'
    records = [
        product(1, title=hostile, brand="<b>Brand</b>", category="<i>cat</i>"),
        product(2, image_url="javascript:alert(1)"),
    ]
    catalog = write_catalog(tmp_path / "hostile.jsonl", records)
    client = make_client(shelf=Shelf.load(catalog))
    for path in ("/", "/products/P-0001"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Brand" not in page
        assert str(escape(hostile)) in page  # &lt;/script&gt;... &amp; &#34;q&#34;
        assert "&lt;b&gt;Brand&lt;/b&gt;" in page
        # The only scripts are the config and the widget.
        assert page.count("<script") == 2
    assert "javascript:" not in client.get("/").text  # a non-web image URL is not shown


def test_hostile_customer_names_are_escaped(settings: ShopSettings) -> None:
    from web.customers import DemoCustomer

    odd = DemoCustomer(id="CUS-9", name='<script>x</script>"', note="</option><b>")
    app = create_app(settings, customers=[odd])
    page = TestClient(app).get("/").text
    assert "<script>x" not in page and "</option><b>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_product_page_and_unknown_product(client: TestClient) -> None:
    page = client.get("/products/P-0002")
    assert page.status_code == 200
    assert "<h1>Product 2</h1>" in page.text and "P-0002" in page.text
    assert widget_config(page.text)["server"] == "http://rasa.test:5005"
    missing = client.get("/products/NOPE")
    assert missing.status_code == 404 and "no such product" in missing.text


@pytest.mark.parametrize(
    "query", ["category=nope", "page=0", "page=99", "page=-1", "page=abc", "page=1000000000"]
)
def test_unknown_categories_and_pages_are_404_pages(client: TestClient, query: str) -> None:
    answer = client.get(f"/?{query}")
    assert answer.status_code == 404
    assert "no such category or page" in answer.text
    assert "ShopAssistantConfig" in answer.text  # the assistant is there on error pages too


def test_unknown_paths_get_the_shop_s_404_page(client: TestClient) -> None:
    answer = client.get("/no/such/page")
    assert answer.status_code == 404 and "<h1>Page not found</h1>" in answer.text


def test_page_landmarks_headings_and_labels(client: TestClient) -> None:
    page = client.get("/").text
    for landmark in ("<header", "<main", "<footer", 'aria-label="Categories"'):
        assert landmark in page
    assert page.count("<h1>") == 1
    assert '<label for="customer">' in page and '<select id="customer"' in page
    assert '<label for="language">' in page and '<select id="language"' in page
    assert '<html lang="en">' in page
    assert 'href="#main"' in page and 'id="main"' in page


def test_the_demo_customers_come_from_the_profile_seed() -> None:
    from profiles.seed.generate import FIXED_PERSONAS
    from profiles.seed.load import SCENARIOS

    customers = demo_customers()
    ids = [c.id for c in customers]
    assert ids[: len(FIXED_PERSONAS)] == list(FIXED_PERSONAS)
    assert len(ids) == len(set(ids))
    assert "CUS-2001" in ids and SCENARIOS.is_file()
    emily = customers[0]
    assert emily.name == "Emily Carter" and "VIP" in emily.label


def test_the_real_customers_are_listed_by_name(settings: ShopSettings) -> None:
    page = TestClient(create_app(settings)).get("/").text
    for customer in demo_customers():
        assert f'<option value="{customer.id}">{html.escape(customer.label)}</option>' in page


def test_health_and_stylesheet(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "products": 7}
    css = client.get("/static/shop.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
