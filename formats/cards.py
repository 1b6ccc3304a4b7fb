"""The buttons of a product card: what they say in each language and what they send.

A card's buttons are Rasa intent payloads naming the product by id, so a tap works the same on
every channel and whatever list the card came from (a search, a recommendation, an agent's card):
``/product_details{"product_id":"P1"}``, ``/similar_products{"product_id":"P1"}`` and
``/compare_products{"product_id":"P1"}``.
"""

from __future__ import annotations

import json
from typing import Final, TypedDict

__all__ = ["BUTTON_INTENTS", "LABELS", "CardButton", "card_buttons", "label", "payload"]

#: The intent each card button sends, by kind, in the order they are shown.
BUTTON_INTENTS: Final[dict[str, str]] = {
    "details": "product_details",
    "similar": "similar_products",
    "compare": "compare_products",
}

#: Button labels by language; unknown languages use English.
LABELS: Final[dict[str, dict[str, str]]] = {
    "en": {"details": "Details", "similar": "More like this", "compare": "Compare"},
    "es": {"details": "Detalles", "similar": "Más como este", "compare": "Comparar"},
    "de": {"details": "Details", "similar": "Ähnliche Artikel", "compare": "Vergleichen"},
    "fr": {"details": "Détails", "similar": "Articles similaires", "compare": "Comparer"},
}


class CardButton(TypedDict):
    """One button of a product card."""

    kind: str
    title: str
    payload: str


def label(kind: str, language: str | None) -> str:
    """A button's label in the shopper's language.

    Args:
        kind: ``details``, ``similar`` or ``compare``.
        language: ISO 639-1 code; unknown or ``None`` gives English.

    Returns:
        The label.
    """
    labels = LABELS.get((language or "en").lower()[:2], LABELS["en"])
    return labels[kind]


def payload(kind: str, product_id: str) -> str:
    """The Rasa intent payload a button sends (``/product_details{"product_id":"P1"}``).

    Args:
        kind: ``details``, ``similar`` or ``compare``.
        product_id: The product's id.

    Returns:
        The payload.
    """
    entities = json.dumps(
        {"product_id": str(product_id)}, ensure_ascii=False, separators=(",", ":")
    )
    return f"/{BUTTON_INTENTS[kind]}{entities}"


def card_buttons(product_id: str, language: str | None) -> list[CardButton]:
    """The buttons of one product card, in display order.

    Args:
        product_id: The product's id.
        language: The shopper's language.

    Returns:
        Details, more like this and compare.
    """
    return [
        CardButton(kind=kind, title=label(kind, language), payload=payload(kind, product_id))
        for kind in BUTTON_INTENTS
    ]
