"""Which product the shopper means: by position in the last list, by name, or the focus."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.carryover import FILLER
from actions.constraints import SearchConstraints
from actions.entities import parse_ordinal
from actions.runtime import Runtime
from actions.search import shown_ids
from catalog_index.schema import Product

__all__ = ["ordinals", "by_ordinal", "named_product", "focused", "latest_text"]

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
