"""action_search_products: carry-over across turns, channels, no results, markup."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
from action_helpers import (
    Conversation,
    carousel,
    check_renderable,
    load_fixture,
    response_names,
    run_action,
    slot_events,
    tracker_from,
)

from actions.pending import ActionConfirmPending, ActionDeclinePending
from actions.runtime import Runtime
from actions.search import ActionSearchProducts

pytestmark = pytest.mark.asyncio

SEARCH = ActionSearchProducts()


def _prices(runtime: Runtime, ids: list[str]) -> list[float]:
    return [p.price for p in runtime.catalog.products(ids)]


async def test_constraints_carry_over_across_turns(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    script = load_fixture("search_carryover")
    talk = Conversation(domain, channel=script["channel"])
    turns = iter(script["turns"])
    catalog = runtime.catalog

    # 1. "show me running shoes"
    talk.user(next(turns))
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_search_results"]
    first_page = talk.slots["shown_products"]
    assert talk.slots["category"] == "running shoes"
    assert len(first_page) == 5
    assert [c["id"] for c in carousel(messages)] == first_page
    assert {p.category for p in catalog.products(first_page)} == {"running shoes"}

    # 2. "in red": adds the colour, keeps the category
    talk.user(next(turns))
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    assert talk.slots["category"] == "running shoes"
    assert talk.slots["colour"] == "red"
    red_page = talk.slots["shown_products"]
    assert len(red_page) == 5
    for product in catalog.products(red_page):
        assert product.category == "running shoes"
        assert "red" in product.colours
    assert "red running shoes" in messages[0]["summary"]

    # 3. "show me more": the next page, nothing shown twice, constraints untouched
    talk.user(next(turns))
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_more_results"]
    assert set(slot_events(events)) == {"shown_products"}
    more_page = talk.slots["shown_products"]
    assert more_page and not set(more_page) & set(red_page)
    assert {p.category for p in catalog.products(more_page)} == {"running shoes"}

    # 4. "under 80 dollars": adds the price limit, keeps category and colour
    talk.user(next(turns))
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    assert talk.slots["price_max"] == 80.0
    assert talk.slots["currency"] == "USD"
    assert (talk.slots["category"], talk.slots["colour"]) == ("running shoes", "red")
    under_80 = talk.slots["shown_products"]
    assert set(under_80) == {"RS-01", "RS-02", "RS-04", "RS-06"}
    assert "under $80" in messages[0]["summary"]

    # 5. "cheaper": below the median of what was shown, so results really get cheaper
    talk.user(next(turns))
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    median = statistics.median(_prices(runtime, under_80))
    assert talk.slots["price_max"] < median
    cheaper = talk.slots["shown_products"]
    assert cheaper
    assert max(_prices(runtime, cheaper)) < median
    assert talk.slots["colour"] == "red"

    # 6. a new category starts a new search: colour and price are dropped
    talk.user(next(turns))
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    assert talk.slots["category"] == "hiking boots"
    assert talk.slots["colour"] is None
    assert talk.slots["price_max"] is None
    assert set(talk.slots["shown_products"]) == {"HB-01", "HB-02"}

    # 7. entity values are normalised to the catalog vocabulary
    talk.user(next(turns))
    events, messages = await talk.run(SEARCH)
    check_renderable(messages, responses)
    assert talk.slots["category"] == "t-shirts"
    assert talk.slots["colour"] == "grey"
    assert talk.slots["material"] == "merino wool"
    assert talk.slots["shown_products"] == ["TS-02"]


async def test_text_channel_gets_a_numbered_list(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    # A channel outside RICH_CHANNELS (the command line) gets the numbered text list.
    events, messages = await run_action(
        SEARCH, tracker_from(load_fixture("search_text_channel")), domain
    )
    check_renderable(messages, responses)
    assert not any(m.get("custom") for m in messages)
    assert response_names(messages) == ["utter_search_results", "utter_product_list"]
    listing = messages[1]["product_list"]
    shown = slot_events(events)["shown_products"]
    first = runtime.catalog.get(shown[0])
    assert first is not None
    assert listing.startswith(f"1. {first.title}")
    assert first.url in listing
    assert f"{len(shown)}. " in listing


async def test_rest_channel_gets_one_carousel(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await run_action(SEARCH, tracker_from(load_fixture("search_rest")), domain)
    check_renderable(messages, responses)
    cards = carousel(messages)
    assert [c["id"] for c in cards] == slot_events(events)["shown_products"]
    card = cards[0]
    for key in ("title", "price", "currency", "url", "image_url", "colours_in_stock"):
        assert key in card
    assert "red" in card["colours_in_stock"]


async def test_no_results_names_the_tight_constraint_and_relaxes_on_yes(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    state = load_fixture("search_red_tents")
    events, messages = await run_action(SEARCH, tracker_from(state), domain)
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_no_results_relax"]
    assert messages[0]["constraint"] == "in red"
    assert messages[0]["count"] == 1
    slots = slot_events(events)
    assert slots["pending_confirmation"] == "relax_search:colour"
    assert "shown_products" not in slots

    # "yes": the search runs again without the colour
    state["slots"] = {**state.get("slots", {}), **slots}
    state["latest_message"] = {"text": "yes", "intent": {"name": "affirm"}, "entities": []}
    events, messages = await run_action(ActionConfirmPending(), tracker_from(state), domain)
    check_renderable(messages, responses)
    slots = slot_events(events)
    assert slots["pending_confirmation"] is None
    assert slots["colour"] is None
    assert slots["shown_products"] == ["TN-01"]

    # "no": keep it
    events, messages = await run_action(
        ActionDeclinePending(),
        tracker_from({**state, "slots": {**state["slots"], "colour": "red"}}),
        domain,
    )
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_search_kept"]
    assert slot_events(events) == {"pending_confirmation": None}


async def test_no_results_at_all(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await run_action(
        SEARCH, tracker_from(load_fixture("search_impossible")), domain
    )
    check_renderable(messages, responses)
    assert response_names(messages) == ["utter_no_results"]
    assert "purple tents" in messages[0]["summary"]
    assert "pending_confirmation" not in slot_events(events)


async def test_echoed_text_has_no_markup(
    runtime: Runtime, domain: dict[str, Any], responses: dict[str, Any]
) -> None:
    events, messages = await run_action(SEARCH, tracker_from(load_fixture("search_markup")), domain)
    check_renderable(messages, responses)
    for message in messages:
        for key, value in message.items():
            if isinstance(value, str) and key not in ("response", "template"):
                assert "<" not in value and ">" not in value, (key, value)
    assert slot_events(events)["search_query"]
    assert "<" not in slot_events(events)["search_query"]


async def test_missing_index_gives_a_polite_error(
    settings: Any, domain: dict[str, Any], responses: dict[str, Any], profile_client: Any
) -> None:
    from actions.runtime import reset_runtime, set_runtime

    def no_index() -> Any:
        raise FileNotFoundError("no catalog index")

    set_runtime(Runtime(settings, catalog=no_index, profiles=profile_client))
    try:
        events, messages = await run_action(
            SEARCH, tracker_from(load_fixture("search_rest")), domain
        )
    finally:
        reset_runtime()
    check_renderable(messages, responses)
    assert events == []
    assert response_names(messages) == ["utter_action_error"]
