"""Numbered text for channels without rich messages, and reading a number back as a choice.

A carousel becomes a numbered product list; buttons become numbered options under the text.
The shopper answers "2" (or "2.", "#2", "(2)"); :func:`choice_number` reads that back and
:func:`chosen_payload` maps it to the payload of option 2 of the last message that offered
options, so the number works like a tap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from formats.cards import payload

__all__ = [
    "choice_number",
    "chosen_payload",
    "join_values",
    "numbered_cards",
    "numbered_options",
    "options_of",
]

_CHOICE_RE = re.compile(r"^\s*[#(\[]?\s*(\d{1,2})\s*[.)\]]?\s*$")


def join_values(values: Iterable[str], limit: int = 8) -> str:
    """Join values with commas, abbreviating long lists ("9, 9.5, 10 +3").

    Args:
        values: The values.
        limit: How many are named.

    Returns:
        The joined text ("-" when there is nothing).
    """
    items = [v for v in values if v]
    if not items:
        return "-"
    shown = ", ".join(items[:limit])
    return f"{shown} +{len(items) - limit}" if len(items) > limit else shown


def numbered_cards(cards: Sequence[Mapping[str, Any]], start: int = 1) -> str:
    """A carousel as a numbered list: one block per product.

    Args:
        cards: The carousel's cards (``title``, ``brand``, ``price_text``, ``reason``,
            ``colours_in_stock``, ``sizes_in_stock``, ``url``; all optional but the title).
        start: Number of the first product.

    Returns:
        "1. Title (Brand) - $89", then the reason when there is one, then colours | sizes in
        stock, then the link; blocks separated by a newline.
    """
    blocks: list[str] = []
    for index, card in enumerate(cards):
        head = f"{start + index}. {card.get('title') or ''}"
        if card.get("brand"):
            head += f" ({card['brand']})"
        if card.get("price_text"):
            head += f" - {card['price_text']}"
        lines = [head]
        if card.get("reason"):
            lines.append(f"   ({card['reason']})")
        colours = list(card.get("colours_in_stock") or [])
        sizes = list(card.get("sizes_in_stock") or [])
        if colours or sizes:
            lines.append(f"   {join_values(colours)} | {join_values(sizes)}")
        if card.get("url"):
            lines.append(f"   {card['url']}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def numbered_options(text: str | None, buttons: Sequence[Mapping[str, Any]]) -> str:
    """A message with its buttons as numbered options underneath ("1. Yes" / "2. No").

    Args:
        text: The message text (may be empty).
        buttons: Rasa buttons (``title``, ``payload``).

    Returns:
        The text followed by one numbered line per button.
    """
    lines = [text] if text else []
    for number, button in enumerate(buttons, 1):
        lines.append(f"{number}. {button.get('title') or button.get('payload') or ''}")
    return "\n".join(lines)


def choice_number(text: str | None) -> int | None:
    """The option number a message is, when it is nothing but a number ("2", "#2", "2.").

    Args:
        text: The shopper's message.

    Returns:
        The 1-based number, or ``None`` when the message is anything else.
    """
    if not text:
        return None
    match = _CHOICE_RE.match(text)
    if match is None:
        return None
    number = int(match.group(1))
    return number if number >= 1 else None


def options_of(message: Mapping[str, Any]) -> list[str]:
    """The payloads a bot message offered, in their numbered order.

    Buttons (or quick replies) come first; a product carousel offers each product's details.

    Args:
        message: A bot message as Rasa stores it (a ``bot`` event's ``data``: ``buttons``,
            ``quick_replies``, ``custom``).

    Returns:
        The payloads; empty when the message offered nothing.
    """
    buttons = message.get("buttons") or message.get("quick_replies") or []
    payloads = [
        str(b.get("payload") or b.get("title") or "") for b in buttons if isinstance(b, Mapping)
    ]
    if payloads:
        return payloads
    custom = message.get("custom")
    if isinstance(custom, Mapping) and custom.get("type") == "product_carousel":
        return [
            payload("details", str(card["id"]))
            for card in custom.get("products") or []
            if isinstance(card, Mapping) and card.get("id")
        ]
    return []


def chosen_payload(text: str | None, offered: Sequence[str]) -> str | None:
    """The payload of the option a bare number picks.

    Args:
        text: The shopper's message.
        offered: The payloads the last options message offered (:func:`options_of`).

    Returns:
        The payload, or ``None`` when the message is not a number within the options.
    """
    number = choice_number(text)
    if number is None or number > len(offered):
        return None
    return offered[number - 1]
