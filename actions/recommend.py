"""``action_recommend``: top-rated matches, or best sellers when nothing is known.

Ranking here uses no personal data. The runtime's ``personaliser`` re-ranks the list
last; profile-based personalisation plugs in there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.carryover import build_query, merge_constraints, read_request
from actions.constraints import SearchConstraints
from actions.rendering import describe_constraints, send_products
from actions.runtime import get_runtime
from catalog_index.schema import Product

__all__ = ["ActionRecommend", "quality", "popularity", "diversify"]

#: Candidates considered before ranking by quality.
POOL = 40
#: Prior for the rating average: this many reviews at ``PRIOR_RATING`` stars.
PRIOR_REVIEWS = 20
PRIOR_RATING = 3.5


def quality(product: Product) -> float:
    """Rating shrunk towards a prior by review count (few reviews count less).

    Args:
        product: The product.

    Returns:
        The Bayesian average rating.
    """
    rating = product.rating or 0.0
    reviews = product.review_count
    return (rating * reviews + PRIOR_RATING * PRIOR_REVIEWS) / (reviews + PRIOR_REVIEWS)


def popularity(product: Product) -> float:
    """Best-seller score: rating times (log) review count.

    Args:
        product: The product.

    Returns:
        The score.
    """
    return (product.rating or 0.0) * math.log1p(product.review_count)


def diversify(
    products: Sequence[Product], key: Callable[[Product], Hashable], limit: int
) -> list[Product]:
    """Round-robin over groups (brands, categories) keeping each group's order.

    Args:
        products: Ranked products.
        key: The group of a product.
        limit: How many to keep.

    Returns:
        Up to ``limit`` products, one per group per round.
    """
    groups: dict[Hashable, list[Product]] = {}
    for product in products:
        groups.setdefault(key(product), []).append(product)
    chosen: list[Product] = []
    while len(chosen) < limit and any(groups.values()):
        for members in groups.values():
            if members and len(chosen) < limit:
                chosen.append(members.pop(0))
    return chosen


class ActionRecommend(SafeAction):
    """Recommend products: top rated under the current wishes, else best sellers."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_recommend"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the recommendations and remember them as the shown list.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``shown_products`` (and the constraints when the message added any).
        """
        runtime = get_runtime()
        page_size = runtime.settings.search_page_size
        request = read_request(tracker, runtime.catalog.vocabulary, runtime.phrases_for(tracker))
        constraints, new_search = merge_constraints(
            SearchConstraints.from_tracker(tracker), request
        )
        query = build_query(request, constraints, tracker.get_slot("search_query"), new_search)
        events: list[EventType] = []
        if request.given:
            events.extend(constraints.slot_events())
        if constraints.is_empty() and not query:
            pool = runtime.catalog.find("", constraints, limit=POOL * 5)
            ranked = sorted(pool, key=popularity, reverse=True)
            products = diversify(ranked, lambda p: p.category, page_size)
            response, summary = "utter_best_sellers", ""
        else:
            pool = runtime.catalog.find(query, constraints, limit=POOL)
            ranked = sorted(pool, key=quality, reverse=True)
            products = diversify(ranked, lambda p: p.brand.lower(), page_size)
            response, summary = (
                "utter_recommendations",
                describe_constraints(constraints, runtime.phrases_for(tracker), query),
            )
        products = runtime.personaliser.rerank(products, tracker)
        if not products:
            dispatcher.utter_message(response="utter_no_recommendations")
            return events
        if summary:
            dispatcher.utter_message(response=response, summary=summary)
        else:
            dispatcher.utter_message(response="utter_best_sellers")
        send_products(dispatcher, tracker, products, runtime.settings)
        return [*events, SlotSet("shown_products", [p.id for p in products])]
