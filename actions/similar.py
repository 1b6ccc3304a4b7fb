"""``action_similar_products``: "more like this", the catalog's nearest products to one product.

The reference product is the one a card's "more like this" button names by id (any product
of the catalog, e.g. an agent's card), else the one the message points at ("similar to the
second one", a name), else the focused product.

The neighbours are the catalog index's dense neighbours of the product's stored vector
(``CatalogSearch.similar``). Of the shopper's active constraints only those that describe
the shopper rather than the product are kept: the price range (their budget) and the size
(their fit, when the reference product comes in that size at all). Category, brand, colour
and material describe the look the shopper now points at, so the reference product replaces
them. Wishes in the message itself apply on top ("similar in blue", "in size 10", "under
$80", "like the second one but cheaper": cheaper than the reference); a category or brand in
the message names the reference ("like the Northpeak one"), so it filters nothing. The reply
names the constraints used. When they leave nothing, the neighbours are shown without them.

Products in stock come first (their order by similarity kept), out-of-stock ones after them;
a consenting customer's results are re-ranked with their profile and carry their reasons,
as in a search. The results become the shown list ("the second one" works after them) and
the reference product the focus (so a "compare" tap on a result compares it with the
reference).
"""

from __future__ import annotations

from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.carryover import apply_relative_price, read_request
from actions.constraints import SearchConstraints
from actions.personalise import CANDIDATES_PER_PAGE, personal_ranking
from actions.rendering import describe_constraints, in_stock_sizes, send_products
from actions.runtime import Runtime, get_runtime
from actions.selection import resolve_product
from catalog_index.schema import Product

__all__ = [
    "ActionSimilarProducts",
    "MESSAGE_WISHES",
    "available",
    "in_stock_first",
    "kept_constraints",
    "wished_constraints",
]

#: Constraints a "more like this" message may add ("similar in blue"); a category or brand
#: in it names the reference product instead ("like the Northpeak one").
MESSAGE_WISHES = ("colour", "size", "material", "price_min", "price_max", "currency")


def kept_constraints(constraints: SearchConstraints, product: Product) -> SearchConstraints:
    """The active constraints that still apply to products like ``product``.

    Args:
        constraints: The shopper's active constraints.
        product: The reference product.

    Returns:
        The price range, and the size when the reference product is made in that size.
    """
    size = constraints.size
    offered = {s.lower() for s in product.sizes if s}
    return SearchConstraints(
        size=size if size and size.lower() in offered else None,
        price_min=constraints.price_min,
        price_max=constraints.price_max,
        currency=constraints.currency,
    )


def wished_constraints(tracker: Tracker, runtime: Runtime, product: Product) -> SearchConstraints:
    """The constraints of the neighbours: the kept ones plus the message's own wishes.

    Args:
        tracker: The conversation tracker.
        runtime: The runtime (vocabulary, phrases).
        product: The reference product.

    Returns:
        The constraints.
    """
    request = read_request(tracker, runtime.catalog.vocabulary, runtime.phrases_for(tracker))
    wished = kept_constraints(SearchConstraints.from_tracker(tracker), product)
    given = {k: v for k, v in request.given.items() if k in MESSAGE_WISHES}
    if given:
        wished = replace(wished, **given)
    if request.price_relative:
        wished, _ = apply_relative_price(wished, request.price_relative, [product.price])
    return wished


def available(product: Product, size: str | None = None) -> bool:
    """Whether a product can be bought now (in ``size`` when given).

    Args:
        product: The product.
        size: The size the shopper wears, if known.

    Returns:
        True when a unit (of that size) is in stock.
    """
    if size is None:
        return product.in_stock
    return size.lower() in {s.lower() for s in in_stock_sizes(product)}


def in_stock_first(
    products: list[Product], reasons: list[str | None], size: str | None = None
) -> tuple[list[Product], list[str | None]]:
    """Products available now first, each group in its order, their reasons alongside.

    Args:
        products: The products, best first.
        reasons: Their reasons by position (may be empty).
        size: The size the shopper wears, if known.

    Returns:
        The products and their reasons, available ones first.
    """
    order = sorted(range(len(products)), key=lambda i: not available(products[i], size))
    return (
        [products[i] for i in order],
        [reasons[i] if i < len(reasons) else None for i in order] if reasons else [],
    )


class ActionSimilarProducts(SafeAction):
    """Show the products most like one product ("more like this")."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_similar_products"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Find the reference product, send its neighbours and remember them as shown.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``shown_products`` (the neighbours) then ``focused_product`` (the reference), or
            nothing when there is no reference or no neighbour.
        """
        runtime = get_runtime()
        product = resolve_product(dispatcher, tracker, runtime)
        if product is None:
            return []
        page_size = runtime.settings.search_page_size
        kept = wished_constraints(tracker, runtime, product)
        pool_size = page_size * CANDIDATES_PER_PAGE
        pool = runtime.catalog.similar(product.id, kept, pool_size)
        if not pool and not kept.is_empty():
            kept = SearchConstraints()
            pool = runtime.catalog.similar(product.id, kept, pool_size)
        if not pool:
            dispatcher.utter_message(response="utter_no_similar", title=product.title)
            return []
        phrases = runtime.phrases_for(tracker)
        customer_id = await runtime.identity.customer_id(tracker)
        personal = await runtime.personal.context(customer_id, runtime.catalog)
        ranked, _ = in_stock_first(pool, [], kept.size)
        products, reasons = in_stock_first(
            *personal_ranking(personal, ranked, page_size, phrases), kept.size
        )
        summary = describe_constraints(kept, phrases)
        if summary:
            dispatcher.utter_message(
                response="utter_similar_results_within", title=product.title, summary=summary
            )
        else:
            dispatcher.utter_message(response="utter_similar_results", title=product.title)
        send_products(dispatcher, tracker, products, runtime.settings, reasons=reasons)
        return [
            SlotSet("shown_products", [p.id for p in products]),
            SlotSet("focused_product", product.id),
        ]
