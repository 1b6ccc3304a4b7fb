"""Which product the shopper means: a card's id, a position in the list, a name, the focus."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.carryover import FILLER
from actions.constraints import SearchConstraints
from actions.entities import parse_ordinal
from actions.runtime import Runtime
from actions.search import shown_ids
from catalog_index.schema import Product

__all__ = [
    "ordinals",
    "by_ordinal",
    "named_product",
    "focused",
    "fresh_focus",
    "latest_text",
    "requested_id",
    "resolve_product",
]

#: What a product id looks like (``TF-RS-0001``); anything else is no product.
_PRODUCT_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")

_ORDINAL_TEXT_RE = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|"
    r"1st|2nd|3rd|[4-9]th|10th)\b|(?:\bnumber|\bno\.?|\boption|\bitem|#)\s*(\d{1,2})\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def latest_text(tracker: Tracker) -> str:
    """The text of the latest user message.

    Args:
        tracker: The conversation tracker.

    Returns:
        The text ("" when there is none).
    """
    return str(tracker.latest_message.get("text") or "")


def requested_id(tracker: Tracker) -> str | None:
    """The product id a card button sent (``/product_details{"product_id":"P1"}``).

    Args:
        tracker: The conversation tracker.

    Returns:
        The id as sent; ``""`` when an id entity was sent but cannot be a product id (so
        the caller answers "can't find that product"); ``None`` when the message names no id.
    """
    for entity in tracker.latest_message.get("entities") or []:
        if isinstance(entity, dict) and entity.get("entity") == "product_id":
            value = entity.get("value")
            text = value.strip() if isinstance(value, str) else ""
            return text if _PRODUCT_ID_RE.match(text) else ""
    return None


def ordinals(tracker: Tracker) -> list[int]:
    """Positions named in the latest message ("the second one" -> [2], "last" -> [-1]).

    Entities come first; the text is read as a back-up when NLU found none.

    Args:
        tracker: The conversation tracker.

    Returns:
        1-based positions (negative from the end), in message order.
    """
    found: list[int] = []
    for entity in tracker.latest_message.get("entities") or []:
        if isinstance(entity, dict) and entity.get("entity") == "ordinal":
            value = parse_ordinal(entity.get("value"))
            if value is not None:
                found.append(value)
    if found:
        return found
    for match in _ORDINAL_TEXT_RE.finditer(latest_text(tracker)):
        value = parse_ordinal(match.group(1) or match.group(2))
        if value is not None:
            found.append(value)
    return found


def by_ordinal(ids: list[str], position: int) -> str | None:
    """The id at a 1-based position (negative counts from the end).

    Args:
        ids: Shown product ids.
        position: The position.

    Returns:
        The id, or ``None`` when out of range.
    """
    index = position - 1 if position > 0 else len(ids) + position
    if 0 <= index < len(ids):
        return ids[index]
    return None


def _distinct_words(text: str) -> set[str]:
    return {w for w in _WORD_RE.findall(text.lower()) if w not in FILLER and len(w) > 2}


def named_product(runtime: Runtime, tracker: Tracker) -> Product | None:
    """A product the message names: a shown product's title first, else the top search hit.

    Args:
        runtime: The runtime (catalog).
        tracker: The conversation tracker.

    Returns:
        The product, or ``None`` when the message names none.
    """
    words = _distinct_words(latest_text(tracker))
    if not words:
        return None
    best: tuple[int, Product] | None = None
    for product in runtime.catalog.products(shown_ids(tracker)):
        title_words = _distinct_words(f"{product.title} {product.brand}")
        # Category words ("shoes") alone do not name a product.
        overlap = len(words & (title_words - set(product.category.split())))
        if overlap and (best is None or overlap > best[0]):
            best = (overlap, product)
    if best is not None:
        return best[1]
    ordered = [w for w in _WORD_RE.findall(latest_text(tracker).lower()) if w in words]
    found = runtime.catalog.find(" ".join(dict.fromkeys(ordered)), SearchConstraints(), limit=1)
    if not found:
        return None
    title_words = _distinct_words(f"{found[0].title} {found[0].brand}")
    return found[0] if words & title_words else None


def focused(runtime: Runtime, tracker: Tracker) -> Product | None:
    """The product the shopper last looked at in detail.

    Args:
        runtime: The runtime (catalog).
        tracker: The conversation tracker.

    Returns:
        The product, or ``None``.
    """
    product_id = tracker.get_slot("focused_product")
    return runtime.catalog.get(str(product_id)) if product_id else None


def fresh_focus(runtime: Runtime, tracker: Tracker) -> Product | None:
    """The focused product when it was looked at since the latest list was shown.

    A focus from before the latest search (or "more like this") is stale: the shopper has
    moved on. Trackers without the slots' events (only slot values) count as fresh.

    Args:
        runtime: The runtime (catalog).
        tracker: The conversation tracker.

    Returns:
        The product, or ``None``.
    """
    for event in reversed(tracker.events or []):
        if event.get("event") != "slot":
            continue
        if event.get("name") == "focused_product":
            break
        if event.get("name") == "shown_products":
            return None
    return focused(runtime, tracker)


def resolve_product(
    dispatcher: CollectingDispatcher, tracker: Tracker, runtime: Runtime
) -> Product | None:
    """The product a message is about, or ``None`` after telling the shopper why there is none.

    In this order: the id a card's button sent (any catalog product, listed or not); a
    position in the last list ("the second one"); a product the message names; the focused
    product; the only product shown. The replies: ``utter_product_not_found`` (unknown id),
    ``utter_ordinal_out_of_range``, ``utter_which_product`` or ``utter_nothing_shown``.

    Args:
        dispatcher: Where the reply goes when there is no product.
        tracker: The conversation tracker.
        runtime: The runtime (catalog).

    Returns:
        The product, or ``None``.
    """
    requested = requested_id(tracker)
    if requested is not None:
        product = runtime.catalog.get(requested) if requested else None
        if product is None:
            dispatcher.utter_message(response="utter_product_not_found")
        return product
    ids = shown_ids(tracker)
    positions = ordinals(tracker)
    if positions:
        product_id = by_ordinal(ids, positions[0])
        if product_id is None:
            if ids:
                dispatcher.utter_message(response="utter_ordinal_out_of_range", count=len(ids))
            else:
                dispatcher.utter_message(response="utter_nothing_shown")
            return None
        found = runtime.catalog.get(product_id)
        if found is not None:
            return found
    product = named_product(runtime, tracker) or focused(runtime, tracker)
    if product is None and len(ids) == 1:
        product = runtime.catalog.get(ids[0])
    if product is None:
        dispatcher.utter_message(response="utter_which_product" if ids else "utter_nothing_shown")
    return product
