"""Pure helpers: entity normalisation, carry-over rules, rendering, settings, server."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.carryover import SearchRequest, apply_relative_price, build_query, merge_constraints
from actions.compare import pick_pair
from actions.constraints import SearchConstraints
from actions.entities import (
    DEFAULT_VOCABULARY,
    clean_user_text,
    normalise_order_id,
    normalise_size,
    parse_ordinal,
    parse_price,
)
from actions.phrases import Phrases
from actions.rendering import describe_constraints, format_price
from actions.settings import ActionSettings

VOCAB = DEFAULT_VOCABULARY


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Running Shoe", "running shoes"),
        ("running shoes", "running shoes"),
        ("Tees", "t-shirts"),
        ("t shirt", "t-shirts"),
        ("trainers", "running shoes"),
        ("hoodie", "hoodies"),
        ("Hiking Boot", "hiking boots"),
        ("rucksack", "backpacks"),
        ("scarf", "scarves"),
        ("something new", "something new"),
    ],
)
def test_category_normalisation(value: str, expected: str) -> None:
    assert VOCAB.category(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Gray", "grey"),
        ("RED", "red"),
        ("reds", "red"),
        ("navy blue", "navy"),
        ("dark green", "green"),
    ],
)
def test_colour_normalisation(value: str, expected: str) -> None:
    assert VOCAB.colour(value) == expected


def test_brand_and_material_normalisation() -> None:
    assert VOCAB.brand("urban stride") == "Urban Stride"
    assert VOCAB.brand("alder and oak") == "Alder & Oak"
    assert VOCAB.material("Merino") == "merino wool"
    assert VOCAB.material("organic cotton") == "organic cotton"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("medium", "M"),
        ("XL", "XL"),
        ("size 10", "10"),
        ("9 1/2", "9.5"),
        ("10.5", "10.5"),
        ("ten", "10"),
        ("one size", "one size"),
        ("m/l", "M/L"),
        ("32", "32"),
    ],
)
def test_size_normalisation(value: str, expected: str) -> None:
    assert normalise_size(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2", 2), ("second", 2), ("2nd", 2), ("last", -1), ("-1", -1), ("the third", 3), ("x", None)],
)
def test_ordinals(value: str, expected: int | None) -> None:
    assert parse_ordinal(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("80", 80.0), ("$79.99", 79.99), ("1,200 dollars", 1200.0), (80, 80.0), ("cheap", None)],
)
def test_prices(value: object, expected: float | None) -> None:
    assert parse_price(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it's #100234", "ORD-100234"),
        ("ord100234", "ORD-100234"),
        ("ORD-100234", "ORD-100234"),
        ("Order No. 100234", "ORD-100234"),
        ("100234", "ORD-100234"),
        ("12345", None),
        ("call me at 5551002345", None),
        (None, None),
    ],
)
def test_order_ids(text: str | None, expected: str | None) -> None:
    assert normalise_order_id(text) == expected


def test_clean_user_text_strips_markup() -> None:
    assert clean_user_text("<b>red</b> *shoes* [x](y)") == "red shoes x (y)"
    assert len(clean_user_text("word " * 100, limit=20)) <= 21


def test_new_category_drops_other_constraints() -> None:
    previous = SearchConstraints(category="running shoes", colour="red", price_max=80.0)
    merged, new = merge_constraints(previous, SearchRequest(given={"category": "hiking boots"}))
    assert new
    assert merged == SearchConstraints(category="hiking boots")
    merged, new = merge_constraints(
        previous, SearchRequest(given={"category": "hiking boots", "colour": "brown"})
    )
    assert merged == SearchConstraints(category="hiking boots", colour="brown")


def test_refinement_keeps_constraints_and_query() -> None:
    previous = SearchConstraints(category="running shoes", colour="red")
    request = SearchRequest(given={"price_max": 80.0})
    merged, new = merge_constraints(previous, request)
    assert not new and merged.colour == "red" and merged.price_max == 80.0
    assert build_query(request, merged, "trail running shoes", new) == "trail running shoes"


def test_cheaper_goes_below_the_median_and_pricier_above() -> None:
    constraints = SearchConstraints(category="running shoes", price_max=80.0)
    cheaper, sort = apply_relative_price(constraints, "cheaper", [79.0, 65.0, 55.0, 72.0])
    assert not sort and cheaper.price_max is not None and cheaper.price_max < 68.5
    pricier, _ = apply_relative_price(constraints, "more_expensive", [79.0, 65.0, 55.0, 72.0])
    assert pricier.price_min is not None and pricier.price_min > 68.5
    assert pricier.price_max is None  # "more expensive" lifts the old upper limit
    _, sort = apply_relative_price(SearchConstraints(), "cheaper", [])
    assert sort


def test_summary_and_prices() -> None:
    constraints = SearchConstraints(
        category="running shoes", colour="red", brand="Kestrel", price_max=80.0, currency="USD"
    )
    assert (
        describe_constraints(constraints, Phrases.from_files().for_language("en"))
        == "red running shoes by Kestrel under $80"
    )
    assert format_price(79.5, "EUR") == "€79.50"
    assert format_price(120, "CHF") == "120 CHF"


def test_pick_pair_rules() -> None:
    ids = ["a", "b", "c"]
    assert pick_pair(ids, [1, 3], None) == ("a", "c")
    assert pick_pair(ids, [-1, 1], None) == ("c", "a")
    assert pick_pair(ids, [2], "x") == ("x", "b")
    assert pick_pair(ids, [2], "b") == ("b", "a")
    assert pick_pair(ids, [], None) == ("a", "b")
    assert pick_pair(ids, [1, 9], None) is None
    assert pick_pair(["a"], [], None) is None


def test_settings_from_env() -> None:
    settings = ActionSettings.from_env(
        {
            "RICH_CHANNELS": "SocketIO, slack",
            "SEARCH_PAGE_SIZE": "3",
            "PROFILES_URL": "http://127.0.0.1:9999/",
            "PROFILES_TOKEN": "s3cret",
            "PROFILES_TODAY": "2025-06-02",
        }
    )
    assert settings.rich_channels == frozenset({"socketio", "slack"})
    assert settings.search_page_size == 3
    assert settings.profiles_url == "http://127.0.0.1:9999/"
    assert settings.business_date == dt.date(2025, 6, 2)
    assert "s3cret" not in repr(settings)  # the token is a secret
    defaults = ActionSettings.from_env({})
    assert defaults.rich_channels == frozenset(
        {"socketio", "rest", "telegram", "slack", "facebook", "twilio"}
    )
    assert ActionSettings().rich_channels == defaults.rich_channels
    assert defaults.profiles_url == "http://127.0.0.1:8300" and defaults.business_date is None
    with pytest.raises(ValueError):
        ActionSettings.from_env({"SEARCH_PAGE_SIZE": "lots"})
    with pytest.raises(ValueError, match="PROFILES_TODAY"):
        ActionSettings.from_env({"PROFILES_TODAY": "yesterday"})


def test_the_package_registers_every_domain_action() -> None:
    from rasa_sdk.executor import ActionExecutor

    from actions.server import create_app

    executor = ActionExecutor()
    executor.register_package("actions")
    assert {
        "action_search_products",
        "action_product_details",
        "action_compare_products",
        "action_recommend",
        "validate_order_form",
        "action_order_request",
        "action_confirm_pending",
        "action_decline_pending",
    } <= set(executor.actions)
    app = create_app(executor, warm=True)
    assert app.router.routes_all
