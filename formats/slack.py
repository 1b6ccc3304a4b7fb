"""Bot messages as Slack ``chat.postMessage`` arguments: Block Kit sections, images, buttons.

:func:`render` turns one Rasa bot message into the ``chat.postMessage`` calls that show it
(keyword arguments without ``channel``; the channel adds it):

- text: ``text`` (mrkdwn); an agent's reply gets a context line with the agent's name above it
  and ``text`` "Alice: ..." for notifications;
- buttons or quick replies: a section with the text and an ``actions`` block, one button per
  option with the payload as its ``value`` (a tap comes back as an interactive action whose
  value Rasa's Slack channel passes on as the message);
- a product carousel: one message with the carousel's text, then per card a section (linked
  title, brand, price · rating · stock) with the image as accessory when it is a public https
  raster image, a context line with the reason when there is one, and an ``actions`` block with
  the card's buttons; cards separated by dividers. ``text`` carries the numbered list as the
  notification fallback.

Everything shown is escaped for mrkdwn (``&``, ``<``, ``>``), so no text can mention
``@channel`` or forge a link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from formats.message import (
    MAX_CARDS,
    agent_name,
    buttons_of,
    card_facts,
    card_options,
    carousel_of,
    from_agent,
    language_of,
    public_image,
    public_url,
    with_public_links,
)
from formats.text import numbered_cards

__all__ = ["actions_block", "card_blocks", "escape", "render"]

#: Slack's limits: section text, button text, button value, blocks per message.
MAX_SECTION: Final = 3000
MAX_BUTTON_TEXT: Final = 75
MAX_VALUE: Final = 2000
MAX_ELEMENTS: Final = 25


def escape(text: object) -> str:
    """Text safe inside mrkdwn: ``&``, ``<`` and ``>`` escaped as Slack asks.

    Args:
        text: Any text.

    Returns:
        The escaped text.
    """
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, MAX_SECTION)}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(text, MAX_SECTION)}]}


def actions_block(buttons: Sequence[Mapping[str, Any]], prefix: str) -> dict[str, Any] | None:
    """An ``actions`` block: one button per option, the payload as its value.

    Args:
        buttons: Buttons with ``title`` and ``payload`` (or ``url`` for a link button).
        prefix: Makes the ``action_id`` values unique within the message.

    Returns:
        The block, or ``None`` when no button is left.
    """
    elements: list[dict[str, Any]] = []
    for number, b in enumerate(buttons[:MAX_ELEMENTS], 1):
        title = str(b.get("title") or b.get("payload") or "")
        element: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": _cut(title, MAX_BUTTON_TEXT) or str(number)},
            "action_id": f"{prefix}-{number}",
        }
        link = public_url(b.get("url"))
        value = str(b.get("payload") or "")
        if link:
            element["url"] = link
        elif value and len(value) <= MAX_VALUE:
            element["value"] = value
        else:
            continue
        elements.append(element)
    return {"type": "actions", "elements": elements} if elements else None


def card_blocks(
    card: Mapping[str, Any], number: int, language: str, base_url: str | None
) -> list[dict[str, Any]]:
    """The blocks of one product card: section (+ image), reason, buttons.

    Args:
        card: The product card.
        number: Its number in the carousel.
        language: The carousel's language.
        base_url: The shop's public address (relative links and images).

    Returns:
        Two or three blocks.
    """
    title = escape(card.get("title"))
    link = public_url(card.get("url"), base_url)
    head = f"*{number}. <{link}|{title}>*" if link else f"*{number}. {title}*"
    lines = [head]
    if card.get("brand"):
        lines.append(escape(card["brand"]))
    facts = card_facts(card, language)
    if facts:
        lines.append(escape(facts))
    section = _section("\n".join(lines))
    image = public_image(card.get("image_url"), base_url)
    if image:
        section["accessory"] = {
            "type": "image",
            "image_url": image,
            "alt_text": _cut(str(card.get("title") or "product"), 2000),
        }
    blocks = [section]
    if card.get("reason"):
        blocks.append(_context(escape(card["reason"])))
    actions = actions_block(card_options(card, language), f"card{number}")
    if actions is not None:
        blocks.append(actions)
    return blocks


def _carousel_call(
    carousel: Mapping[str, Any], intro: str | None, base_url: str | None
) -> dict[str, Any]:
    language = language_of(carousel)
    cards = [c for c in carousel.get("products") or [] if isinstance(c, Mapping)][:MAX_CARDS]
    blocks: list[dict[str, Any]] = []
    if intro:
        blocks.append(_section(escape(intro)))
    for number, card in enumerate(cards, 1):
        if number > 1 or intro:
            blocks.append({"type": "divider"})
        blocks.extend(card_blocks(card, number, language, base_url))
    fallback = numbered_cards(with_public_links(cards, base_url))
    text = f"{intro}\n{fallback}" if intro else fallback
    return {"text": _cut(text, MAX_SECTION), "blocks": blocks}


def render(message: Mapping[str, Any], base_url: str | None = None) -> list[dict[str, Any]]:
    """The ``chat.postMessage`` calls that show one bot message.

    Args:
        message: The bot message as Rasa hands it to the channel.
        base_url: The shop's public address (relative card links and images).

    Returns:
        Keyword arguments of each call (``text``, ``blocks``), in order.
    """
    name = agent_name(message)
    raw_text = message.get("text") or ""
    calls: list[dict[str, Any]] = []
    head: list[dict[str, Any]] = [_context(f"*{escape(name)}*")] if name else []
    carousel = carousel_of(message)
    buttons = buttons_of(message)
    if carousel is not None:
        call = _carousel_call(carousel, raw_text or None, base_url)
        if head:
            call["blocks"] = head + call["blocks"]
            call["text"] = from_agent(call["text"], name)
        calls.append(call)
        raw_text = ""
    if buttons:
        blocks = [*head, _section(escape(raw_text or "…"))]
        actions = actions_block(buttons, "option")
        if actions is not None:
            blocks.append(actions)
        calls.append({"text": escape(from_agent(raw_text, name)), "blocks": blocks})
    elif raw_text:
        call = {"text": escape(from_agent(raw_text, name))}
        if head:
            call["blocks"] = [*head, _section(escape(raw_text))]
        calls.append(call)
    custom = message.get("custom")
    if carousel is None and isinstance(custom, Mapping):
        calls.append(dict(custom))
    image = public_url(message.get("image"), base_url)
    if image:
        calls.append(
            {"text": image, "blocks": [{"type": "image", "image_url": image, "alt_text": "image"}]}
        )
    return calls
