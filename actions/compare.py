"""``action_compare_products``: two products side by side and their key difference.

Typed requests name positions in the last list ("compare the first and the third"; one
position is compared with the focused product). A card's "compare" button names one product
by id (``/compare_products{"product_id":"P1"}``) and a comparison needs two, so a tap pairs
the product with, in this order:

1. the product of an earlier "compare" tap still waiting for its partner;
2. the product the shopper looked at in detail (or asked "more like this" about) since the
   latest list was shown;

and when there is neither, the tap remembers the product (slot ``compare_candidate``) and asks
the shopper to tap "compare" on another one or name it ("the second one"). Any comparison
clears the waiting product.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.rendering import (
    format_price,
    in_stock_colours,
    in_stock_sizes,
    send_products,
)
from actions.runtime import Runtime, get_runtime
from actions.search import shown_ids
from actions.selection import by_ordinal, focused, fresh_focus, ordinals, requested_id
from catalog_index.schema import Product
from formats.text import join_values

__all__ = ["ActionCompareProducts", "CANDIDATE_SLOT", "pick_pair", "send_key_difference"]

#: The product of a "compare" tap waiting for a second one.
CANDIDATE_SLOT = "compare_candidate"

#: A price gap counts as the key difference from this share of the dearer price.
PRICE_GAP = 0.10
#: A rating gap counts from this many stars.
RATING_GAP = 0.3


def pick_pair(
    ids: list[str], positions: list[int], focused_id: str | None
) -> tuple[str, str] | None:
    """Choose the two products to compare.

    Two positions name both; one position is compared with the focused product; with
    none, the first two shown are compared.

    Args:
        ids: Shown product ids.
        positions: Positions named in the message.
        focused_id: The focused product, if any.

    Returns:
        Two distinct ids, or ``None`` when two cannot be chosen.
    """
    picked = [by_ordinal(ids, p) for p in positions]
    chosen = [p for p in dict.fromkeys(picked) if p is not None]
    if len(positions) >= 2:
        return (chosen[0], chosen[1]) if len(chosen) >= 2 else None
    if len(positions) == 1:
        if not chosen:
            return None
        if focused_id and focused_id != chosen[0]:
            return focused_id, chosen[0]
        others = [i for i in ids if i != chosen[0]]
        return (chosen[0], others[0]) if others else None
    if len(ids) >= 2:
        return ids[0], ids[1]
    return None


def send_key_difference(dispatcher: CollectingDispatcher, a: Product, b: Product) -> None:
    """Name the one difference that matters most: price, rating, material, or none.

    Args:
        dispatcher: Where messages go.
        a: The first product.
        b: The second product.
    """
    dearer, cheaper = (a, b) if a.price >= b.price else (b, a)
    if dearer.price > 0 and (dearer.price - cheaper.price) / dearer.price >= PRICE_GAP:
        dispatcher.utter_message(
            response="utter_compare_cheaper",
            cheaper=cheaper.title,
            dearer=dearer.title,
            difference=format_price(dearer.price - cheaper.price, cheaper.currency),
        )
        return
    if a.rating is not None and b.rating is not None and abs(a.rating - b.rating) >= RATING_GAP:
        better, worse = (a, b) if a.rating > b.rating else (b, a)
        dispatcher.utter_message(
            response="utter_compare_better_rated",
            better=better.title,
            better_rating=f"{better.rating:.1f}",
            worse=worse.title,
            worse_rating=f"{worse.rating:.1f}",
        )
        return
    if a.material and b.material and a.material != b.material:
        dispatcher.utter_message(
            response="utter_compare_material",
            a_title=a.title,
            a_material=a.material,
            b_title=b.title,
            b_material=b.material,
        )
        return
    dispatcher.utter_message(response="utter_compare_similar", a_title=a.title, b_title=b.title)


def _side(product: Product, prefix: str) -> dict[str, str]:
    return {
        f"{prefix}_title": product.title,
        f"{prefix}_price": format_price(product.price, product.currency),
        f"{prefix}_rating": f"{product.rating:.1f}" if product.rating is not None else "-",
        f"{prefix}_reviews": str(product.review_count),
        f"{prefix}_material": product.material or "-",
        f"{prefix}_colours": join_values(in_stock_colours(product), limit=5),
        f"{prefix}_sizes": join_values(in_stock_sizes(product), limit=8),
    }


def _send_comparison(
    dispatcher: CollectingDispatcher, tracker: Tracker, runtime: Runtime, a: Product, b: Product
) -> None:
    dispatcher.utter_message(response="utter_comparison", **_side(a, "a"), **_side(b, "b"))
    send_key_difference(dispatcher, a, b)
    send_products(dispatcher, tracker, [a, b], runtime.settings)


def _waiting(runtime: Runtime, tracker: Tracker) -> Product | None:
    product_id = tracker.get_slot(CANDIDATE_SLOT)
    return runtime.catalog.get(str(product_id)) if product_id else None


def _clear_candidate(tracker: Tracker) -> list[EventType]:
    return [SlotSet(CANDIDATE_SLOT, None)] if tracker.get_slot(CANDIDATE_SLOT) else []


def _compare_tapped(
    dispatcher: CollectingDispatcher, tracker: Tracker, runtime: Runtime, requested: str
) -> list[EventType]:
    product = runtime.catalog.get(requested) if requested else None
    if product is None:
        dispatcher.utter_message(response="utter_product_not_found")
        return []
    partners = (_waiting(runtime, tracker), fresh_focus(runtime, tracker))
    partner = next((p for p in partners if p is not None and p.id != product.id), None)
    if partner is None:
        dispatcher.utter_message(response="utter_compare_pick_another", title=product.title)
        return [SlotSet(CANDIDATE_SLOT, product.id)]
    _send_comparison(dispatcher, tracker, runtime, partner, product)
    return _clear_candidate(tracker)


class ActionCompareProducts(SafeAction):
    """Compare two products: by position, with the focused product, or by card taps."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_compare_products"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the comparison, the key difference and both cards (or ask for a second one).

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``compare_candidate`` set when a tap waits for a second product, cleared when a
            comparison used it; the shown list stays as it is.
        """
        runtime = get_runtime()
        requested = requested_id(tracker)
        if requested is not None:
            return _compare_tapped(dispatcher, tracker, runtime, requested)
        ids = shown_ids(tracker)
        anchor = _waiting(runtime, tracker) or focused(runtime, tracker)
        pair = pick_pair(ids, ordinals(tracker), anchor.id if anchor else None)
        if pair is None:
            response = "utter_compare_need_two" if ids else "utter_nothing_shown"
            dispatcher.utter_message(response=response)
            return []
        products = runtime.catalog.products(pair)
        if len(products) < 2:
            dispatcher.utter_message(response="utter_compare_need_two")
            return []
        _send_comparison(dispatcher, tracker, runtime, products[0], products[1])
        return _clear_candidate(tracker)
