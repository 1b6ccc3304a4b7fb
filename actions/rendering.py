"""How products reach the shopper: one carousel payload, or a numbered text list.

Every action that shows products goes through :func:`send_products`, which picks the
form from the latest input channel: channels in ``RICH_CHANNELS`` get one custom
payload ``{"type": "product_carousel", "language": "en", "products": [card, ...]}``
where every card carries its buttons (details, more like this, compare:
``formats.cards.card_buttons``); the widget renders the cards and the messaging channels'
outputs turn them into their native format (``formats/``). Every other channel gets
``utter_product_list`` with the numbered list of ``formats.text.numbered_cards``.

The small fragments built here (a price, a list of sizes, a constraint summary such as
"red running shoes under $80") are data formatting; whole messages always come from the
domain's responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.constraints import SearchConstraints
from actions.conversation_state import conversation_language
from actions.entities import clean_user_text
from actions.phrases import LanguagePhrases
from actions.settings import ActionSettings
from catalog_index.schema import Product
from formats.cards import card_buttons
from formats.text import numbered_cards

__all__ = [
    "CAROUSEL_TYPE",
    "format_price",
    "in_stock_colours",
    "in_stock_sizes",
    "product_card",
    "product_lines",
    "carousel_payload",
    "is_rich_channel",
    "send_products",
    "describe_constraints",
    "describe_constraint",
]

CAROUSEL_TYPE = "product_carousel"
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def format_price(amount: float | None, currency: str | None = "USD") -> str:
    """Render a price as the shopper expects it ("$79.99", "€45", "120.00 CHF").

    Args:
        amount: The amount; ``None`` renders as an empty string.
        currency: ISO 4217 code.

    Returns:
        The rendered price.
    """
    if amount is None:
        return ""
    code = (currency or "USD").upper()
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    symbol = _SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code}"


def in_stock_colours(product: Product) -> list[str]:
    """Colours with at least one variant in stock (all colours when there are no variants).

    Args:
        product: The product.

    Returns:
        The colours, in catalog order.
    """
    if not product.variants:
        return list(product.colours) if product.in_stock else []
    seen: dict[str, None] = {}
    for variant in product.variants:
        if variant.stock > 0 and variant.colour:
            seen.setdefault(variant.colour, None)
    return list(seen)


def in_stock_sizes(product: Product, colour: str | None = None) -> list[str]:
    """Sizes with at least one variant in stock, optionally in one colour.

    Args:
        product: The product.
        colour: Only count variants of this colour.

    Returns:
        The sizes, in catalog order.
    """
    if not product.variants:
        return list(product.sizes) if product.in_stock else []
    seen: dict[str, None] = {}
    for variant in product.variants:
        if variant.stock > 0 and variant.size and (colour is None or variant.colour == colour):
            seen.setdefault(variant.size, None)
    return list(seen)


def product_card(product: Product, reason: str | None = None) -> dict[str, Any]:
    """The carousel card of a product (the catalog's card plus stock and a price text).

    Args:
        product: The product.
        reason: Why it is shown to this shopper (personalised results only).

    Returns:
        A JSON-serialisable card.
    """
    card: dict[str, Any] = dict(product.card())
    card["price_text"] = format_price(product.price, product.currency)
    card["colours_in_stock"] = in_stock_colours(product)
    card["sizes_in_stock"] = in_stock_sizes(product)
    if reason:
        card["reason"] = reason
    return card


def product_lines(
    products: Sequence[Product], start: int = 1, reasons: Sequence[str | None] = ()
) -> str:
    """The numbered text list used on channels without rich messages.

    Args:
        products: The products, in shown order.
        start: Number of the first product.
        reasons: Why each product is shown (personalised results), by position.

    Returns:
        The cards as ``formats.text.numbered_cards`` lists them: "1. Title (Brand) - $89",
        the reason when there is one, then colours | sizes in stock, then the link.
    """
    return numbered_cards(_cards(products, reasons), start)


def _cards(products: Sequence[Product], reasons: Sequence[str | None]) -> list[dict[str, Any]]:
    return [
        product_card(p, reasons[i] if i < len(reasons) else None) for i, p in enumerate(products)
    ]


def carousel_payload(
    products: Sequence[Product], language: str, reasons: Sequence[str | None] = ()
) -> dict[str, Any]:
    """The carousel payload: the cards, each with its buttons, and the shopper's language.

    Args:
        products: The products, in shown order.
        language: The conversation's language (the buttons' labels; channels localise with it).
        reasons: Why each product is shown (personalised results), by position.

    Returns:
        ``{"type": "product_carousel", "language": ..., "products": [card, ...]}``.
    """
    cards = _cards(products, reasons)
    for card in cards:
        card["buttons"] = card_buttons(str(card["id"]), language)
    return {"type": CAROUSEL_TYPE, "language": language, "products": cards}


def is_rich_channel(tracker: Tracker, settings: ActionSettings) -> bool:
    """Whether the latest input channel renders the carousel payload.

    Args:
        tracker: The conversation tracker.
        settings: The action settings.

    Returns:
        True for channels listed in ``RICH_CHANNELS``.
    """
    channel = (tracker.get_latest_input_channel() or "").lower()
    return channel in settings.rich_channels


def send_products(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    products: Sequence[Product],
    settings: ActionSettings,
    start: int = 1,
    reasons: Sequence[str | None] = (),
) -> None:
    """Send products as one carousel payload or one numbered text list.

    Args:
        dispatcher: Where messages go.
        tracker: The conversation tracker (for the input channel).
        products: The products, in shown order.
        settings: The action settings.
        start: Number of the first product in the text list.
        reasons: Why each product is shown (personalised results), by position.
    """
    if not products:
        return
    if is_rich_channel(tracker, settings):
        language = conversation_language(tracker)
        dispatcher.utter_message(json_message=carousel_payload(products, language, reasons))
    else:
        dispatcher.utter_message(
            response="utter_product_list",
            product_list=product_lines(products, start, reasons),
        )


def describe_constraint(
    name: str, constraints: SearchConstraints, phrases: LanguagePhrases, *, alone: bool = True
) -> str:
    """One constraint as a short phrase ("in size 10", "under $80", "in red").

    Args:
        name: The constraint's field name.
        constraints: The constraints (for the value and the currency).
        phrases: The fragments of the shopper's language.
        alone: The phrase stands on its own ("in red"), not inside a summary ("red").

    Returns:
        The phrase, or an empty string when the constraint is not set.
    """
    value = getattr(constraints, name, None)
    template = (phrases.constraint_alone.get(name) if alone else None) or phrases.constraint.get(
        name
    )
    if value in (None, "") or template is None:
        return ""
    if name in ("price_min", "price_max"):
        if not isinstance(value, float | int):
            return ""
        return template.format(price=format_price(value, constraints.currency or "USD"))
    return template.format(value=phrases.show(name, str(value)))


def describe_constraints(
    constraints: SearchConstraints, phrases: LanguagePhrases, query: str | None = None
) -> str:
    """A short summary of a search ("red running shoes by Trailforge under $80").

    Args:
        constraints: The active constraints.
        phrases: The fragments of the shopper's language (word order, connectives).
        query: The free-text query, used when there is no category.

    Returns:
        The summary (cleaned of markup), or an empty string when nothing is set.
    """
    parts: list[str] = []
    for name in phrases.summary_order:
        phrase = describe_constraint(name, constraints, phrases, alone=False)
        if name == "category" and not phrase:
            if query:
                phrase = clean_user_text(query, 60)
            elif constraints.colour or constraints.material:
                phrase = phrases.products
        if phrase:
            parts.append(phrase)
    return clean_user_text(phrases.summary_joiner.join(parts), 160)
