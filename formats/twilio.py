"""Bot messages as Twilio messages (WhatsApp, SMS): numbered text, one message per bot message.

:func:`render` turns one Rasa bot message into the ``Body`` (and ``MediaUrl``) of the Twilio
messages that show it:

- text: the text (an agent's reply reads "Alice: text");
- buttons or quick replies: the text with the options numbered underneath, in the same message
  ("1. Yes" / "2. No"): the shopper answers "2" and the channel reads it as option 2
  (``assistant/channels/options.py``);
- a product carousel: the carousel's text, the numbered product list
  (:func:`formats.text.numbered_cards`, relative links made absolute) and a hint in the
  carousel's language that a number shows the product's details;
- an image: a media message when the URL is public https.

Bodies longer than 1,600 characters (Twilio's limit) are split at line breaks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from formats.message import (
    MAX_CARDS,
    agent_name,
    buttons_of,
    carousel_of,
    from_agent,
    language_of,
    public_url,
    with_public_links,
)
from formats.text import numbered_cards, numbered_options

__all__ = ["CHOICE_HINTS", "MAX_BODY", "render", "split_body"]

#: Longest body Twilio sends as one message.
MAX_BODY: Final = 1600

#: Under a numbered product list, by language; unknown languages use English.
CHOICE_HINTS: Final[dict[str, str]] = {
    "en": "Reply with a number to see that product.",
    "es": "Responde con un número para ver ese producto.",
    "de": "Antworte mit einer Nummer, um den Artikel zu sehen.",
    "fr": "Répondez par un numéro pour voir ce produit.",
}


def split_body(text: str, limit: int = MAX_BODY) -> list[str]:
    """Split a body into messages of at most ``limit`` characters, at line breaks if possible.

    Args:
        text: The body.
        limit: The longest message.

    Returns:
        The parts (none for empty text).
    """
    parts: list[str] = []
    text = text.strip()
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].strip()
    if text:
        parts.append(text)
    return parts


def render(message: Mapping[str, Any], base_url: str | None = None) -> list[dict[str, Any]]:
    """The Twilio messages that show one bot message.

    Args:
        message: The bot message as Rasa hands it to the channel.
        base_url: The shop's public address (relative card links and images).

    Returns:
        Message parameters: ``{"Body": ...}`` and/or ``{"MediaUrl": [...]}``, in order.
    """
    name = agent_name(message)
    text = from_agent(message.get("text"), name) if message.get("text") else ""
    carousel = carousel_of(message)
    buttons = buttons_of(message)
    blocks: list[str] = []
    if carousel is not None:
        cards = [c for c in carousel.get("products") or [] if isinstance(c, Mapping)]
        listing = numbered_cards(with_public_links(cards[:MAX_CARDS], base_url))
        if text:
            blocks.append(text)
        if listing:
            hint = CHOICE_HINTS.get(language_of(carousel), CHOICE_HINTS["en"])
            blocks.append(f"{listing}\n\n{hint}")
        text = ""
    if buttons:
        blocks.append(numbered_options(text, buttons))
    elif text:
        blocks.append(text)
    calls: list[dict[str, Any]] = [
        {"Body": part} for part in split_body("\n\n".join(b for b in blocks if b))
    ]
    custom = message.get("custom")
    if carousel is None and isinstance(custom, Mapping) and isinstance(custom.get("body"), str):
        calls.extend({"Body": part} for part in split_body(custom["body"]))
    image = public_url(message.get("image"), base_url)
    if image and image.startswith("https://"):
        calls.append({"MediaUrl": [image]})
    return calls
