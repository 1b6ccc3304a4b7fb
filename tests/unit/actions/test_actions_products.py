"""action_product_details, action_compare_products and action_recommend."""

from __future__ import annotations

from typing import Any

import pytest
from action_helpers import (
    carousel,
    check_renderable,
    load_fixture,
    response_names,
    run_action,
    slot_events,
    tracker_from,
)

from actions.compare import ActionCompareProducts
from actions.details import ActionProductDetails
from actions.recommend import ActionRecommend
from actions.runtime import Runtime
from personalisation.baseline import popularity, quality

pytestmark = pytest.mark.asyncio

DETAILS = ActionProductDetails()
COMPARE = ActionCompareProducts()
RECOMMEND = ActionRecommend()


async def _run(action: Any, fixture: str, domain: dict[str, Any]) -> tuple[Any, Any]:
    return await run_action(action, tracker_from(load_fixture(fixture)), domain)


async def test_details_by_ordinal_answers_size_availability(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    # RS-04 (second shown) comes only in red, and red size 10 is sold out.
    events, messages = await _run(DETAILS, "details_second_size10", domain)
    check_renderable(messages, responses)
    assert slot_events(events) == {"focused_product": "RS-04"}
    assert response_names(messages) == ["utter_size_out_of_stock"]
    assert messages[0]["size"] == "10"
    assert "10" not in messages[0]["sizes"].split(", ")
    assert [c["id"] for c in carousel(messages)] == ["RS-04"]


async def test_details_size_and_colour_in_stock(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _run(DETAILS, "details_first_black_10", domain)
    check_renderable(messages, responses)
    assert slot_events(events) == {"focused_product": "RS-01"}
    assert response_names(messages) == ["utter_variant_in_stock"]
    assert (messages[0]["colour"], messages[0]["size"]) == ("black", "10")


@pytest.mark.parametrize(
    ("fixture", "product_id"),
    [
        ("details_last", "RS-04"),
        ("details_by_name", "RS-04"),
        ("details_catalog_name", "HB-01"),
    ],
)
async def test_details_finds_the_product(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    fixture: str,
    product_id: str,
) -> None:
    events, messages = await _run(DETAILS, fixture, domain)
    check_renderable(messages, responses)
    assert slot_events(events) == {"focused_product": product_id}
    assert response_names(messages) == ["utter_product_details"]
    product = runtime.catalog.get(product_id)
    assert product is not None and messages[0]["title"] == product.title


@pytest.mark.parametrize(
    ("fixture", "response"),
    [
        ("details_out_of_range", "utter_ordinal_out_of_range"),
        ("details_nothing_shown", "utter_nothing_shown"),
    ],
)
async def test_details_without_a_product(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    fixture: str,
    response: str,
) -> None:
    events, messages = await _run(DETAILS, fixture, domain)
    check_renderable(messages, responses)
    assert events == []
    assert response_names(messages) == [response]


async def test_compare_two_ordinals(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _run(COMPARE, "compare_first_third", domain)
    check_renderable(messages, responses)
    assert events == []
    assert response_names(messages) == ["utter_comparison", "utter_compare_cheaper"]
    assert messages[0]["a_title"] == "Trailforge Swift Road Runner"
    assert messages[0]["b_title"] == "Bluefin Pacer Lite"
    assert (messages[0]["a_price"], messages[0]["b_price"]) == ("$79", "$55")
    assert messages[1]["cheaper"] == "Bluefin Pacer Lite"
    assert messages[1]["difference"] == "$24"
    assert [c["id"] for c in carousel(messages)] == ["RS-01", "RS-04"]


async def test_compare_focused_with_an_ordinal(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _run(COMPARE, "compare_focused", domain)
    check_renderable(messages, responses)
    assert [c["id"] for c in carousel(messages)] == ["RS-05", "RS-03"]


async def test_compare_first_two_shown_by_default(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _run(COMPARE, "compare_default", domain)
    check_renderable(messages, responses)
    # $72 vs $79 and 4.4 vs 4.6 stars, both mesh: no single big difference.
    assert response_names(messages) == ["utter_comparison", "utter_compare_similar"]
    assert [c["id"] for c in carousel(messages)] == ["RS-06", "RS-01"]


async def test_recommend_with_constraints_ranks_by_rating(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _run(RECOMMEND, "recommend_running", domain)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_recommendations"]
    shown = slot_events(events)["shown_products"]
    products = runtime.catalog.products(shown)
    assert len(products) == 5
    assert {p.category for p in products} == {"running shoes"}
    assert len({p.brand for p in products}) == 5
    assert [quality(p) for p in products] == sorted((quality(p) for p in products), reverse=True)
    assert products[0].id == "RS-05"  # 4.9 stars from 113 reviews beats 4.8 from 200


async def test_recommend_without_anything_shows_best_sellers(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await _run(RECOMMEND, "recommend_nothing", domain)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_best_sellers"]
    products = runtime.catalog.products(slot_events(events)["shown_products"])
    assert len({p.category for p in products}) == len(products) == 5
    assert products[0].id == "TS-01"  # most reviews at a high rating
    assert popularity(products[0]) == max(popularity(p) for p in products)


async def test_unknown_category_value_is_no_filter() -> None:
    from actions.entities import Vocabulary

    vocabulary = Vocabulary.from_mapping(
        {"categories": ["hiking boots"], "brands": [], "colours": ["brown"], "materials": []}
    )
    assert vocabulary.knows("category", "hiking boots")
    assert not vocabulary.knows("category", "waterproof")
    assert vocabulary.knows("size", "10")
