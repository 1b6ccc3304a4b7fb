"""``action_search_products``: product search with constraints kept across turns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.carryover import (
    apply_relative_price,
    build_query,
    merge_constraints,
    read_request,
)
from actions.constraints import RELAXABLE, SearchConstraints
from actions.personalise import CANDIDATES_PER_PAGE, PersonalContext, personal_ranking
from actions.privacy import ask_consent_once
from actions.rendering import describe_constraint, describe_constraints, send_products
from actions.runtime import Runtime, get_runtime
from catalog_index.schema import Product

__all__ = [
    "ActionSearchProducts",
    "shown_ids",
    "page_exclusions",
    "run_search",
    "suggest_relaxation",
    "RELAX_PREFIX",
]

#: ``pending_confirmation`` value prefix for "shall I drop <constraint>?".
RELAX_PREFIX = "relax_search:"
#: How many candidates are fetched when results are re-sorted by price.
_PRICE_SORT_POOL = 40


def shown_ids(tracker: Tracker) -> list[str]:
    """Product ids last shown, in shown order.

    Args:
        tracker: The conversation tracker.

    Returns:
        The ids (empty when nothing was shown).
    """
    value = tracker.get_slot("shown_products")
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if v]


def page_exclusions(tracker: Tracker) -> list[str]:
    """Every product shown since the current search started (all its pages).

    A new search always sets ``search_query``; "show me more" only sets
    ``shown_products``. So the ids shown since the last ``search_query`` event are the
    pages of the current search.

    Args:
        tracker: The conversation tracker.

    Returns:
        The ids, without duplicates, in shown order.
    """
    seen: dict[str, None] = {}
    events = tracker.events or []
    start = 0
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "slot" and event.get("name") == "search_query":
            start = index
            break
    for event in events[start:]:
        if event.get("event") == "slot" and event.get("name") == "shown_products":
            for product_id in event.get("value") or []:
                seen.setdefault(str(product_id), None)
    for product_id in shown_ids(tracker):
        seen.setdefault(product_id, None)
    return list(seen)


def suggest_relaxation(
    runtime: Runtime, query: str, constraints: SearchConstraints
) -> tuple[str, int] | None:
    """Find the constraint whose removal brings back the most products.

    Args:
        runtime: The runtime (catalog, settings).
        query: The query that found nothing.
        constraints: The constraints that found nothing.

    Returns:
        ``(constraint name, products found without it)``, or ``None`` when dropping any
        single constraint still finds nothing.
    """
    best: tuple[str, int] | None = None
    for name in RELAXABLE:
        if getattr(constraints, name) is None:
            continue
        found = runtime.catalog.find(query, constraints.without(name), limit=20)
        if found and (best is None or len(found) > best[1]):
            best = (name, len(found))
    return best


def run_search(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    runtime: Runtime,
    constraints: SearchConstraints,
    query: str,
    *,
    sort_by_price: bool = False,
    personal: PersonalContext | None = None,
) -> list[EventType]:
    """Search, show the first page and return the slot events of a new search.

    Args:
        dispatcher: Where messages go.
        tracker: The conversation tracker.
        runtime: The runtime.
        constraints: The constraints in force.
        query: The free-text query.
        sort_by_price: Show the cheapest matches first (for "cheaper" with no price
            to start from).
        personal: The shopper's consented context: personalised order and reasons.

    Returns:
        Constraint slots, ``search_query`` and (when something was found)
        ``shown_products``; ``pending_confirmation`` when a relaxation is offered or
        the consent question is asked.
    """
    page_size = runtime.settings.search_page_size
    phrases = runtime.phrases_for(tracker)
    reasons: list[str | None] = []
    if sort_by_price:
        pool = runtime.catalog.find(query, constraints, limit=_PRICE_SORT_POOL)
        products = sorted(pool, key=lambda p: p.price)[:page_size]
    elif personal is not None and personal.personalised:
        pool = runtime.catalog.find(query, constraints, limit=page_size * CANDIDATES_PER_PAGE)
        products, reasons = personal_ranking(personal, pool, page_size, phrases)
    else:
        products = runtime.catalog.find(query, constraints, limit=page_size)
    events: list[EventType] = [*constraints.slot_events(), SlotSet("search_query", query or None)]
    summary = describe_constraints(constraints, phrases, query)
    if products:
        _announce(dispatcher, "utter_search_results", summary, len(products))
        send_products(dispatcher, tracker, products, runtime.settings, reasons=reasons)
        events.append(SlotSet("shown_products", [p.id for p in products]))
        customer = personal.customer if personal else None
        events.extend(ask_consent_once(dispatcher, tracker, customer))
        return events
    relax = suggest_relaxation(runtime, query, constraints)
    if relax is None:
        if summary:
            dispatcher.utter_message(response="utter_no_results", summary=summary)
        else:
            dispatcher.utter_message(response="utter_no_results_generic")
        return events
    name, count = relax
    dispatcher.utter_message(
        response="utter_no_results_relax",
        summary=summary,
        constraint=describe_constraint(name, constraints, runtime.phrases_for(tracker)),
        count=count,
    )
    events.append(SlotSet("pending_confirmation", f"{RELAX_PREFIX}{name}"))
    return events


def _announce(
    dispatcher: CollectingDispatcher, response: str, summary: str, count: int, **extra: Any
) -> None:
    if summary:
        dispatcher.utter_message(response=response, summary=summary, count=count, **extra)
    else:
        dispatcher.utter_message(response=f"{response}_generic", count=count, **extra)


def _next_page(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    runtime: Runtime,
    personal: PersonalContext | None,
) -> list[EventType]:
    constraints = SearchConstraints.from_tracker(tracker)
    query = str(tracker.get_slot("search_query") or "")
    phrases = runtime.phrases_for(tracker)
    summary = describe_constraints(constraints, phrases, query)
    page_size = runtime.settings.search_page_size
    personalised = personal is not None and personal.personalised
    pool = runtime.catalog.find(
        query,
        constraints,
        limit=page_size * CANDIDATES_PER_PAGE if personalised else page_size,
        exclude_ids=page_exclusions(tracker),
    )
    products, reasons = personal_ranking(personal, pool, page_size, phrases)
    if not products:
        _announce(dispatcher, "utter_no_more_results", summary, 0)
        return []
    _announce(dispatcher, "utter_more_results", summary, len(products))
    send_products(dispatcher, tracker, products, runtime.settings, reasons=reasons)
    return [SlotSet("shown_products", [p.id for p in products])]


def _shown_prices(runtime: Runtime, ids: Sequence[str]) -> list[float]:
    products: list[Product] = runtime.catalog.products(ids)
    return [p.price for p in products]


class ActionSearchProducts(SafeAction):
    """Search the catalog with the message's constraints merged into the current ones."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_search_products"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Run the search (see ``actions.carryover`` for the carry-over rules).

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            Slot events for the constraints, query and shown products.
        """
        runtime = get_runtime()
        request = read_request(tracker, runtime.catalog.vocabulary, runtime.phrases_for(tracker))
        previous = SearchConstraints.from_tracker(tracker)
        customer_id = await runtime.identity.customer_id(tracker)
        personal = await runtime.personal.context(customer_id, runtime.catalog)
        if request.wants_more and shown_ids(tracker):
            return _next_page(dispatcher, tracker, runtime, personal)
        constraints, new_search = merge_constraints(previous, request)
        sort_by_price = False
        if request.price_relative:
            prices = [] if new_search else _shown_prices(runtime, shown_ids(tracker))
            constraints, sort_by_price = apply_relative_price(
                constraints, request.price_relative, prices
            )
        query = build_query(
            request, constraints, tracker.get_slot("search_query"), new_search=new_search
        )
        if not query and constraints.is_empty():
            dispatcher.utter_message(response="utter_ask_what_product")
            return []
        return run_search(
            dispatcher,
            tracker,
            runtime,
            constraints,
            query,
            sort_by_price=sort_by_price,
            personal=personal,
        )
