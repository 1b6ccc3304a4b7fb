"""Reading a bot message as Rasa hands it to a channel, and the card bits every channel shows.

Rasa gives an output channel one dict per bot message (``BotUttered.message()``): ``text``,
``buttons``, ``quick_replies``, ``custom``, ``image``, ``attachment``, ``elements`` and, merged
in, the event's metadata. The handoff console's agent replies carry ``{"agent": "<name>"}`` there
(or ``{"agent": {"name": ...}}``). The helpers here read those keys the same way for every
channel module (:mod:`formats.telegram`, :mod:`formats.slack`, :mod:`formats.messenger`,
:mod:`formats.twilio`), and format the parts of a product card that read the same everywhere
(price, rating, stock, public links).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

from formats.cards import card_buttons

__all__ = [
    "MAX_CARDS",
    "STOCK_LABELS",
    "agent_name",
    "buttons_of",
    "card_facts",
    "card_options",
    "carousel_of",
    "from_agent",
    "language_of",
    "public_image",
    "public_url",
    "with_public_links",
]

#: Most cards any channel shows from one carousel (Messenger's generic template allows 10).
MAX_CARDS: Final = 10

#: Stock labels by language; unknown languages use English.
STOCK_LABELS: Final[dict[str, dict[bool, str]]] = {
    "en": {True: "In stock", False: "Out of stock"},
    "es": {True: "Disponible", False: "Agotado"},
    "de": {True: "Auf Lager", False: "Nicht vorrätig"},
    "fr": {True: "En stock", False: "En rupture"},
}

#: Image formats the messaging platforms display (SVG is not among them).
_IMAGE_SUFFIXES: Final = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def agent_name(message: Mapping[str, Any]) -> str | None:
    """The name of the person who wrote a message, when an agent wrote it.

    Args:
        message: The bot message (``agent`` is a name or ``{"name": ...}``).

    Returns:
        The agent's name, or ``None`` for the bot's own messages.
    """
    agent = message.get("agent")
    if isinstance(agent, Mapping):
        agent = agent.get("name")
    if isinstance(agent, str) and agent.strip():
        return agent.strip()[:64]
    return None


def from_agent(text: str | None, name: str | None) -> str:
    """Text marked as written by a person ("Alice: text").

    Args:
        text: The message text.
        name: The agent's name, or ``None`` for the bot.

    Returns:
        The text, prefixed with the name when there is one.
    """
    text = text or ""
    return f"{name}: {text}" if name else text


def buttons_of(message: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The message's buttons or quick replies (buttons first), keeping only well-formed ones.

    Args:
        message: The bot message.

    Returns:
        Button dicts with a ``title`` or a ``payload``.
    """
    raw = message.get("buttons") or message.get("quick_replies") or []
    return [
        b
        for b in raw
        if isinstance(b, Mapping) and (b.get("title") or b.get("payload") or b.get("url"))
    ]


def carousel_of(message: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The product carousel the message carries, if any.

    Args:
        message: The bot message.

    Returns:
        The ``{"type": "product_carousel", ...}`` payload, or ``None``.
    """
    custom = message.get("custom")
    if isinstance(custom, Mapping) and custom.get("type") == "product_carousel":
        return custom
    return None


def language_of(carousel: Mapping[str, Any]) -> str:
    """The carousel's language code (``en`` when missing).

    Args:
        carousel: The carousel payload.

    Returns:
        A lower-case two-letter code.
    """
    language = carousel.get("language")
    return language.lower()[:2] if isinstance(language, str) and language else "en"


def card_options(card: Mapping[str, Any], language: str) -> list[dict[str, str]]:
    """A card's buttons: its own when it has them, else details / more like this / compare.

    Args:
        card: The product card.
        language: The carousel's language (for built labels).

    Returns:
        Dicts with ``kind``, ``title`` and ``payload``.
    """
    own = card.get("buttons")
    if isinstance(own, Sequence) and own:
        return [
            {
                "kind": str(b.get("kind") or ""),
                "title": str(b.get("title") or b.get("payload") or ""),
                "payload": str(b.get("payload") or ""),
            }
            for b in own
            if isinstance(b, Mapping) and b.get("payload")
        ]
    if not card.get("id"):
        return []
    return [
        {"kind": b["kind"], "title": b["title"], "payload": b["payload"]}
        for b in card_buttons(str(card["id"]), language)
    ]


def public_url(url: object, base_url: str | None = None) -> str | None:
    """An absolute http(s) URL a shopper's phone can open.

    Args:
        url: The card's URL (absolute, or relative to the shop).
        base_url: The shop's public address; relative URLs are joined to it.

    Returns:
        The absolute URL, or ``None`` when there is none.
    """
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if urlsplit(url).scheme not in ("http", "https"):
        if not base_url or url.startswith(("javascript:", "data:")):
            return None
        url = urljoin(base_url.rstrip("/") + "/", url.lstrip("/"))
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def public_image(url: object, base_url: str | None = None) -> str | None:
    """An image URL the platforms fetch and show: absolute https, a raster format.

    Args:
        url: The card's ``image_url``.
        base_url: The shop's public address for relative URLs.

    Returns:
        The URL, or ``None`` when the image cannot be shown (then cards go without one).
    """
    absolute = public_url(url, base_url)
    if absolute is None or urlsplit(absolute).scheme != "https":
        return None
    path = urlsplit(absolute).path.lower()
    return absolute if path.endswith(_IMAGE_SUFFIXES) else None


def with_public_links(
    cards: Sequence[Mapping[str, Any]], base_url: str | None
) -> list[dict[str, Any]]:
    """Copies of the cards whose ``url`` is absolute (or removed when it cannot be).

    Args:
        cards: The carousel's cards.
        base_url: The shop's public address.

    Returns:
        New card dicts.
    """
    result: list[dict[str, Any]] = []
    for card in cards:
        copy = dict(card)
        link = public_url(card.get("url"), base_url)
        if link is None:
            copy.pop("url", None)
        else:
            copy["url"] = link
        result.append(copy)
    return result


def card_facts(card: Mapping[str, Any], language: str) -> str:
    """Price, rating and stock on one line ("$100 · ★ 4.9 (102) · In stock").

    Args:
        card: The product card.
        language: For the stock label.

    Returns:
        The line (parts that are missing are left out).
    """
    parts: list[str] = []
    price = card.get("price_text")
    if not price and isinstance(card.get("price"), int | float):
        price = f"{card['price']:.2f} {card.get('currency') or ''}".strip()
    if price:
        parts.append(str(price))
    rating = card.get("rating")
    if isinstance(rating, int | float) and not isinstance(rating, bool):
        reviews = card.get("review_count")
        stars = f"★ {rating:.1f}"
        if isinstance(reviews, int) and not isinstance(reviews, bool):
            stars += f" ({reviews})"
        parts.append(stars)
    if isinstance(card.get("in_stock"), bool):
        labels = STOCK_LABELS.get(language, STOCK_LABELS["en"])
        parts.append(labels[bool(card["in_stock"])])
    return " · ".join(parts)
