"""``action_product_details``: one product in detail, with size/colour availability.

The product is the one a card's "details" button names by id (any product of the catalog,
shown in a list or not, e.g. an agent's card), else the one the message points at ("the
second one", a name), else the focused product.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.entities import normalise_size
from actions.phrases import LanguagePhrases
from actions.rendering import (
    format_price,
    in_stock_colours,
    in_stock_sizes,
    send_products,
)
from actions.runtime import get_runtime
from actions.selection import resolve_product
from catalog_index.schema import Product
from formats.text import join_values

__all__ = ["ActionProductDetails", "send_details", "send_availability"]


def _entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value not in (None, "") else None


def send_details(
    dispatcher: CollectingDispatcher, product: Product, phrases: LanguagePhrases
) -> None:
    """Send ``utter_product_details`` for a product.

    Args:
        dispatcher: Where messages go.
        product: The product.
        phrases: The fragments of the shopper's language (colour and material names).
    """
    dispatcher.utter_message(
        response="utter_product_details",
        title=product.title,
        brand=product.brand or "-",
        price=format_price(product.price, product.currency),
        rating=f"{product.rating:.1f}" if product.rating is not None else "-",
        review_count=product.review_count,
        material=phrases.show("material", product.material) if product.material else "-",
        description=product.short_description or "-",
        colours=join_values(phrases.show("colour", c) for c in in_stock_colours(product)),
        sizes=join_values(in_stock_sizes(product), limit=12),
        url=product.url or "-",
    )


def _offered(product: Product, attribute: str, value: str) -> bool:
    values = [getattr(v, attribute) for v in product.variants] or list(
        product.sizes if attribute == "size" else product.colours
    )
    return value.lower() in {str(v).lower() for v in values}


def _in_stock(product: Product, size: str | None, colour: str | None) -> bool:
    if not product.variants:
        return (
            product.in_stock
            and (size is None or _offered(product, "size", size))
            and (colour is None or _offered(product, "colour", colour))
        )
    return any(
        v.stock > 0
        and (size is None or v.size.lower() == size.lower())
        and (colour is None or v.colour.lower() == colour.lower())
        for v in product.variants
    )


def send_availability(
    dispatcher: CollectingDispatcher,
    product: Product,
    size: str | None,
    colour: str | None,
    phrases: LanguagePhrases,
) -> None:
    """Answer whether a size and/or colour of a product is in stock.

    Args:
        dispatcher: Where messages go.
        product: The product.
        size: Canonical size asked about, if any.
        colour: Canonical colour asked about, if any.
        phrases: The fragments of the shopper's language (colour names).
    """
    title = product.title
    if size and colour:
        if _in_stock(product, size, colour):
            dispatcher.utter_message(
                response="utter_variant_in_stock",
                title=title,
                size=size,
                colour=phrases.show("colour", colour),
            )
        else:
            dispatcher.utter_message(
                response="utter_variant_out_of_stock",
                title=title,
                size=size,
                colour=phrases.show("colour", colour),
                sizes=join_values(in_stock_sizes(product, colour), limit=12),
                colours=join_values(
                    phrases.show("colour", c)
                    for c in in_stock_colours(product)
                    if _in_stock(product, size, c)
                ),
            )
        return
    if size:
        if _in_stock(product, size, None):
            dispatcher.utter_message(
                response="utter_size_in_stock",
                title=title,
                size=size,
                colours=join_values(
                    phrases.show("colour", c)
                    for c in in_stock_colours(product)
                    if _in_stock(product, size, c)
                ),
            )
        elif _offered(product, "size", size):
            dispatcher.utter_message(
                response="utter_size_out_of_stock",
                title=title,
                size=size,
                sizes=join_values(in_stock_sizes(product), limit=12),
            )
        else:
            dispatcher.utter_message(
                response="utter_size_not_offered",
                title=title,
                size=size,
                sizes=join_values(in_stock_sizes(product), limit=12),
            )
        return
    if colour:
        if _in_stock(product, None, colour):
            dispatcher.utter_message(
                response="utter_colour_in_stock",
                title=title,
                colour=phrases.show("colour", colour),
                sizes=join_values(in_stock_sizes(product, colour), limit=12),
            )
        else:
            dispatcher.utter_message(
                response="utter_colour_out_of_stock",
                title=title,
                colour=phrases.show("colour", colour),
                colours=join_values(phrases.show("colour", c) for c in in_stock_colours(product)),
            )


class ActionProductDetails(SafeAction):
    """Show one product (a card's id, "the second one", a name, or the focus) in detail."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_product_details"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Find the product, send its details (and availability) and focus it.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``focused_product`` when a product was found.
        """
        runtime = get_runtime()
        product = resolve_product(dispatcher, tracker, runtime)
        if product is None:
            return []

        vocabulary = runtime.catalog.vocabulary
        raw_size, raw_colour = _entity(tracker, "size"), _entity(tracker, "colour")
        size = normalise_size(raw_size) if raw_size else None
        colour = vocabulary.colour(raw_colour) if raw_colour else None
        if size or colour:
            send_availability(dispatcher, product, size, colour, runtime.phrases_for(tracker))
        else:
            send_details(dispatcher, product, runtime.phrases_for(tracker))
        send_products(dispatcher, tracker, [product], runtime.settings)
        return [SlotSet("focused_product", product.id)]
