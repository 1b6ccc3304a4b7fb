"""The action side of product cards: the carousel's buttons, and what the buttons send.

A card's buttons send ``/product_details{"product_id":"P1"}``,
``/similar_products{"product_id":"P1"}`` and ``/compare_products{"product_id":"P1"}``;
typed requests ("more like the second one", "compare it with the third") reach the same
actions without the id. Against the real catalog index of the fixtures (16 products).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from action_helpers import (
    FIXTURES,
    Conversation,
    carousel,
    check_renderable,
    response_names,
    run_action,
    slot_events,
)

from actions.catalog import Catalog
from actions.compare import CANDIDATE_SLOT, ActionCompareProducts
from actions.constraints import SearchConstraints
from actions.details import ActionProductDetails
from actions.rendering import product_card, product_lines
from actions.runtime import Runtime, reset_runtime, set_runtime
from actions.search import ActionSearchProducts
from actions.settings import ActionSettings
from actions.similar import ActionSimilarProducts, available, in_stock_first, kept_constraints
from catalog_index.embeddings import Embedder
from catalog_index.index import build_index
from catalog_index.search import CatalogSearch
from catalog_index.settings import Settings, default_model_path
from formats.cards import card_buttons
from formats.text import numbered_cards

pytestmark = pytest.mark.asyncio

DETAILS = ActionProductDetails()
SIMILAR = ActionSimilarProducts()
COMPARE = ActionCompareProducts()
SEARCH = ActionSearchProducts()

RUNNING = [{"entity": "category", "value": "running shoes"}]


def product_id(value: Any) -> list[dict[str, Any]]:
    """The entities of a card button's payload."""
    return [{"entity": "product_id", "value": value}]


def tap(talk: Conversation, intent: str, pid: str) -> None:
    """The shopper taps a card's button (Rasa parses the payload into intent + entity)."""
    payload = f'/{intent}{{"product_id":"{pid}"}}'
    talk.user({"text": payload, "intent": intent, "entities": product_id(pid)})


async def searched(domain: dict[str, Any], channel: str = "socketio") -> Conversation:
    """A conversation that has just shown running shoes."""
    talk = Conversation(domain, channel=channel)
    talk.user({"text": "running shoes", "entities": RUNNING})
    await talk.run(SEARCH)
    assert len(talk.slots["shown_products"]) == 5
    return talk


# --- the carousel ----------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["socketio", "rest", "telegram", "slack", "facebook", "twilio"])
async def test_rich_channels_get_cards_with_buttons_in_the_shoppers_language(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any], channel: str
) -> None:
    talk = Conversation(domain, channel=channel)
    talk.user({"text": "zapatillas para correr", "entities": RUNNING, "language": "es"})
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    payloads = [m["custom"] for m in messages if m.get("custom")]
    assert len(payloads) == 1
    assert payloads[0]["type"] == "product_carousel"
    assert payloads[0]["language"] == "es"
    cards = payloads[0]["products"]
    assert [c["id"] for c in cards] == slot_events(events)["shown_products"]
    for card in cards:
        assert card["buttons"] == card_buttons(card["id"], "es")
        assert [b["title"] for b in card["buttons"]] == ["Detalles", "Más como este", "Comparar"]
        assert card["buttons"][1]["payload"] == f'/similar_products{{"product_id":"{card["id"]}"}}'


async def test_text_channels_get_the_one_numbered_list_format(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain, channel="cmdline")
    talk.user({"text": "running shoes", "entities": RUNNING})
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    assert not any(m.get("custom") for m in messages)
    products = runtime.catalog.products(slot_events(events)["shown_products"])
    listing = messages[-1]["product_list"]
    assert listing == numbered_cards([product_card(p) for p in products])
    assert listing.startswith(f"1. {products[0].title} ({products[0].brand}) - $")


async def test_product_lines_are_numbered_cards_with_reasons(catalog_search: CatalogSearch) -> None:
    catalog = Catalog(catalog_search)
    products = catalog.products(["RS-01", "TN-01"])
    text = product_lines(products, start=3, reasons=["in your usual size 10"])
    assert text == numbered_cards(
        [product_card(products[0], "in your usual size 10"), product_card(products[1])], 3
    )
    lines = text.splitlines()
    assert lines[0] == "3. Trailforge Swift Road Runner (Trailforge) - $79"
    assert lines[1] == "   (in your usual size 10)"
    assert any(line.startswith("4. Pinecrest Two-Person Backpacking Tent") for line in lines)


# --- details by id -----------------------------------------------------------------------


async def test_details_button_shows_a_product_that_was_never_listed(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    assert "TN-01" not in talk.slots["shown_products"]  # e.g. an agent's card
    tap(talk, "product_details", "TN-01")
    events, messages = await talk.run(DETAILS)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_product_details"]
    assert messages[0]["title"] == "Pinecrest Two-Person Backpacking Tent"
    assert [c["id"] for c in carousel(messages)] == ["TN-01"]
    assert slot_events(events) == {"focused_product": "TN-01"}


@pytest.mark.parametrize("value", ["XX-404", "", "<script>alert(1)</script>", ["RS-01"], 7])
async def test_details_button_with_an_unknown_id_says_so_politely(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any], value: Any
) -> None:
    talk = await searched(domain)
    talk.user(
        {"text": "/product_details", "intent": "product_details", "entities": product_id(value)}
    )
    events, messages = await talk.run(DETAILS)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_product_not_found"]
    assert events == []
    variants = {v.get("text") for v in responses["utter_product_not_found"]}
    assert len(variants) == 4  # en, es, de, fr


# --- more like this ----------------------------------------------------------------------


async def test_more_like_this_button_shows_neighbours_and_they_become_the_list(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    tap(talk, "similar_products", "RS-01")
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_similar_results"]
    assert messages[0]["title"] == "Trailforge Swift Road Runner"
    cards = carousel(messages)
    ids = [c["id"] for c in cards]
    assert "RS-01" not in ids and len(ids) == 5
    assert all(c["buttons"] == card_buttons(c["id"], "en") for c in cards)
    # the nearest products of a road running shoe are running shoes
    assert all(runtime.catalog.get(i).category.endswith("running shoes") for i in ids[:3])  # type: ignore[union-attr]
    assert [e["name"] for e in events] == ["shown_products", "focused_product"]
    assert slot_events(events) == {"shown_products": ids, "focused_product": "RS-01"}

    # "the second one" now means the second similar product
    talk.user({"text": "the second one", "intent": "product_details", "entities": []})
    events, messages = await talk.run(DETAILS)
    assert slot_events(events) == {"focused_product": ids[1]}


async def test_more_like_the_second_one_uses_the_shown_list(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    second = talk.slots["shown_products"][1]
    talk.user(
        {
            "text": "anything similar to number 2",
            "intent": "similar_products",
            "entities": [{"entity": "ordinal", "value": "2"}],
        }
    )
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert slot_events(events)["focused_product"] == second
    assert second not in slot_events(events)["shown_products"]
    reference = runtime.catalog.get(second)
    assert reference is not None and messages[0]["title"] == reference.title


@pytest.mark.parametrize(
    ("shown", "text", "entities", "expected"),
    [
        (
            ["RS-01", "RS-02"],
            "similar to the fifth one",
            [{"entity": "ordinal", "value": "5"}],
            "utter_ordinal_out_of_range",
        ),
        (
            [],
            "more like the first one",
            [{"entity": "ordinal", "value": "1"}],
            "utter_nothing_shown",
        ),
        (["RS-01", "RS-02"], "show me similar ones", [], "utter_which_product"),
        ([], "show me similar ones", [], "utter_nothing_shown"),
    ],
)
async def test_more_like_this_without_a_reference_asks(
    runtime: Runtime,
    domain: dict[str, Any],
    responses: dict[str, Any],
    shown: list[str],
    text: str,
    entities: list[dict[str, Any]],
    expected: str,
) -> None:
    talk = Conversation(domain)
    talk.slots["shown_products"] = shown or None
    talk.user({"text": text, "intent": "similar_products", "entities": entities})
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert response_names(messages) == [expected]
    assert events == []


async def test_show_me_similar_ones_uses_the_focused_product(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    tap(talk, "product_details", "HB-01")
    await talk.run(DETAILS)
    talk.user({"text": "show me similar ones", "intent": "similar_products", "entities": []})
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert messages[0]["title"] == "Northpeak Summit Leather Hiking Boot"
    assert "HB-02" in slot_events(events)["shown_products"]  # the other hiking boot


async def test_more_like_this_keeps_budget_and_size_and_says_so(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain)
    talk.slots.update(
        {"category": "running shoes", "size": "10", "price_max": 90.0, "colour": "red"}
    )
    tap(talk, "similar_products", "RS-01")
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_similar_results_within"]
    assert messages[0]["summary"] == "in size 10 under $90"
    products = runtime.catalog.products(slot_events(events)["shown_products"])
    assert products and all(p.price <= 90 for p in products)
    assert all("10" in p.sizes for p in products)
    # no product comes in purple: the colour is the reference's business now, not kept
    assert not any("purple" in p.colours for p in products)
    flags = [available(p, "10") for p in products]
    assert flags == sorted(flags, reverse=True)  # in stock in size 10 first


async def test_like_the_second_one_but_cheaper(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    second = runtime.catalog.get(talk.slots["shown_products"][1])
    assert second is not None
    talk.user(
        {
            "text": "something like the second one but cheaper",
            "intent": "similar_products",
            "entities": [
                {"entity": "ordinal", "value": "2", "start": 19, "end": 25},
                {"entity": "price_relative", "value": "cheaper", "start": 35, "end": 42},
            ],
        }
    )
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_similar_results_within"]
    assert messages[0]["title"] == second.title and messages[0]["summary"].startswith("under $")
    products = runtime.catalog.products(slot_events(events)["shown_products"])
    assert products and all(p.price < second.price for p in products)


async def test_similar_in_a_colour_but_a_brand_names_the_reference(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    talk.user(
        {
            "text": "anything like the Trailforge one in black?",
            "intent": "similar_products",
            "entities": [
                {"entity": "brand", "value": "Trailforge", "start": 18, "end": 28},
                {"entity": "colour", "value": "black", "start": 36, "end": 41},
            ],
        }
    )
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert messages[0]["title"].startswith("Trailforge")
    products = runtime.catalog.products(slot_events(events)["shown_products"])
    assert products and all("black" in p.colours for p in products)
    assert any(p.brand != "Trailforge" for p in products)  # the brand filtered nothing


async def test_more_like_this_drops_constraints_that_leave_nothing(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain)
    talk.slots.update({"price_max": 5.0})
    tap(talk, "similar_products", "TN-01")
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_similar_results"]
    assert len(slot_events(events)["shown_products"]) == 5


async def test_more_like_this_in_spanish(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain)
    talk.slots.update({"price_max": 100.0, "currency": "USD"})
    talk.user(
        {
            "text": '/similar_products{"product_id":"RS-02"}',
            "intent": "similar_products",
            "entities": product_id("RS-02"),
            "language": "es",
        }
    )
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_similar_results_within"]
    assert messages[0]["summary"] == "por menos de $100"
    payload = next(m["custom"] for m in messages if m.get("custom"))
    assert payload["language"] == "es"


async def test_more_like_this_of_an_unknown_product(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain)
    tap(talk, "similar_products", "GONE-1")
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_product_not_found"]
    assert events == []


async def test_more_like_this_carries_personal_reasons_for_a_consenting_customer(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain)
    metadata = {"customer_id": "CUS-1001", "identity": {"verified": True}}
    talk.user(
        {
            "text": '/similar_products{"product_id":"RS-01"}',
            "intent": "similar_products",
            "entities": product_id("RS-01"),
            "metadata": metadata,
        }
    )
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    cards = carousel(messages)
    assert any(card.get("reason") for card in cards)


async def test_kept_constraints_and_stock_order(catalog_search: CatalogSearch) -> None:
    catalog = Catalog(catalog_search)
    shoe, tent = catalog.get("RS-01"), catalog.get("TN-01")
    assert shoe is not None and tent is not None
    active = SearchConstraints(
        category="running shoes",
        brand="Kestrel",
        colour="red",
        size="10",
        material="mesh",
        price_min=20.0,
        price_max=90.0,
        currency="USD",
    )
    assert kept_constraints(active, shoe) == SearchConstraints(
        size="10", price_min=20.0, price_max=90.0, currency="USD"
    )
    # a tent is not made in size 10: the size does not apply to its neighbours
    assert kept_constraints(active, tent).size is None
    products = catalog.products(["RS-01", "RS-04", "RS-02"])
    reasons: list[str | None] = ["a", "b", "c"]
    ordered, ordered_reasons = in_stock_first(products, reasons, "10")
    # RS-04 has no size 10 in stock: it goes last, its reason with it
    assert [p.id for p in ordered][-1] == "RS-04"
    assert ordered_reasons[-1] == "b"
    assert in_stock_first(products, [], None)[1] == []


@pytest.fixture
def lonely_runtime(tmp_path: Path, settings: ActionSettings) -> Any:
    """A runtime over a catalog of one product (nothing is like it)."""
    line = next(
        line
        for line in (FIXTURES / "catalog.jsonl").read_text(encoding="utf-8").splitlines()
        if '"TN-01"' in line
    )
    catalog_file = tmp_path / "one.jsonl"
    catalog_file.write_text(line + "\n", encoding="utf-8")
    index_settings = Settings(
        embedding_model=default_model_path(),
        chroma_path=tmp_path / "chroma",
        collection="lonely",
        catalog_file=catalog_file,
        index_dir=tmp_path / "index",
        embed_batch_size=4,
    )
    embedder = Embedder.from_settings(index_settings)
    build_index(index_settings, embedder=embedder, progress=False)
    search = CatalogSearch.from_settings(index_settings, embedder=embedder)
    installed = Runtime(settings, catalog=Catalog(search))
    set_runtime(installed)
    yield installed
    reset_runtime()


async def test_nothing_similar_says_so(
    lonely_runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = Conversation(domain)
    tap(talk, "similar_products", "TN-01")
    events, messages = await talk.run(SIMILAR)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_no_similar"]
    assert messages[0]["title"] == "Pinecrest Two-Person Backpacking Tent"
    assert events == []


# --- compare by taps ---------------------------------------------------------------------


async def test_first_compare_tap_waits_for_a_second_then_compares(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    first, third = talk.slots["shown_products"][0], talk.slots["shown_products"][2]
    tap(talk, "compare_products", first)
    events, messages = await talk.run(COMPARE)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_compare_pick_another"]
    assert slot_events(events) == {CANDIDATE_SLOT: first}

    tap(talk, "compare_products", first)  # the same card again: still waiting
    events, messages = await talk.run(COMPARE)
    assert response_names(messages) == ["utter_compare_pick_another"]

    tap(talk, "compare_products", third)
    events, messages = await talk.run(COMPARE)
    check_renderable(messages, responses)
    names = response_names(messages)
    assert names[0] == "utter_comparison" and len(names) == 2
    assert [c["id"] for c in carousel(messages)] == [first, third]
    assert slot_events(events) == {CANDIDATE_SLOT: None}
    assert talk.slots["shown_products"][0] == first  # the list stays


async def test_typed_compare_after_a_tap_uses_the_waiting_product(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    shown = talk.slots["shown_products"]
    tap(talk, "compare_products", "TN-01")
    await talk.run(COMPARE)
    talk.user(
        {
            "text": "compare it with the second one",
            "intent": "compare_products",
            "entities": [{"entity": "ordinal", "value": "2"}],
        }
    )
    events, messages = await talk.run(COMPARE)
    check_renderable(messages, responses)
    assert [c["id"] for c in carousel(messages)] == ["TN-01", shown[1]]
    assert slot_events(events) == {CANDIDATE_SLOT: None}


async def test_typed_compare_the_first_and_the_third_still_works(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    shown = talk.slots["shown_products"]
    talk.user(
        {
            "text": "compare the first and the third",
            "intent": "compare_products",
            "entities": [{"entity": "ordinal", "value": "1"}, {"entity": "ordinal", "value": "3"}],
        }
    )
    events, messages = await talk.run(COMPARE)
    check_renderable(messages, responses)
    assert [c["id"] for c in carousel(messages)] == [shown[0], shown[2]]
    assert events == []


async def test_compare_tap_pairs_with_the_product_just_looked_at(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    shown = talk.slots["shown_products"]
    tap(talk, "product_details", shown[1])
    await talk.run(DETAILS)
    tap(talk, "compare_products", shown[3])
    events, messages = await talk.run(COMPARE)
    check_renderable(messages, responses)
    assert response_names(messages)[0] == "utter_comparison"
    assert [c["id"] for c in carousel(messages)] == [shown[1], shown[3]]
    assert events == []


async def test_more_like_this_then_compare_compares_with_the_reference(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    tap(talk, "similar_products", "RS-01")
    await talk.run(SIMILAR)
    neighbour = talk.slots["shown_products"][0]
    tap(talk, "compare_products", neighbour)
    events, messages = await talk.run(COMPARE)
    check_renderable(messages, responses)
    assert [c["id"] for c in carousel(messages)] == ["RS-01", neighbour]


async def test_a_focus_from_before_the_latest_list_is_stale(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    tap(talk, "product_details", "TN-01")
    await talk.run(DETAILS)
    talk.user(
        {"text": "hiking boots", "entities": [{"entity": "category", "value": "hiking boots"}]}
    )
    await talk.run(SEARCH)
    assert talk.slots["focused_product"] == "TN-01"
    tap(talk, "compare_products", talk.slots["shown_products"][0])
    events, messages = await talk.run(COMPARE)
    assert response_names(messages) == ["utter_compare_pick_another"]


async def test_compare_tap_on_an_unknown_product(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    talk = await searched(domain)
    tap(talk, "compare_products", "NOPE-9")
    events, messages = await run_action(COMPARE, talk.tracker(), domain)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_product_not_found"]
    assert events == []
