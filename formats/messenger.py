"""Bot messages as Messenger Send API messages: generic template, button template, quick replies.

:func:`render` turns one Rasa bot message into the ``message`` objects of the Send API calls
that show it (the channel adds ``recipient`` and ``messaging_type``):

- text: ``{"text": ...}`` (an agent's reply reads "Alice: text"), split at 2,000 characters;
- up to 3 buttons: a button template with postback buttons (a tap comes back as a ``postback``
  whose payload is the message); more buttons, or quick replies: quick replies (up to 13);
- a product carousel: the carousel's text, then a generic template with up to 10 elements:
  title, subtitle with price · rating · stock (and the brand), the image when it is a public
  https raster image, the product page as the default action when it has a public link, and
  the card's buttons as up to 3 postback buttons;
- an image: an image attachment; any other custom payload: sent as the message itself.
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
)

__all__ = ["generic_template", "render"]

#: The Send API's limits.
MAX_TEXT: Final = 2000
MAX_TEMPLATE_TEXT: Final = 640
MAX_TITLE: Final = 80
MAX_BUTTON_TITLE: Final = 20
MAX_TEMPLATE_BUTTONS: Final = 3
MAX_QUICK_REPLIES: Final = 13
MAX_PAYLOAD: Final = 1000


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split(text: str, limit: int = MAX_TEXT) -> list[str]:
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        parts.append(text)
    return parts


def _postback(button: Mapping[str, Any]) -> dict[str, Any] | None:
    link = public_url(button.get("url"))
    title = _cut(str(button.get("title") or button.get("payload") or link or ""), MAX_BUTTON_TITLE)
    if link:
        return {"type": "web_url", "url": link, "title": title}
    payload = str(button.get("payload") or button.get("title") or "")
    if not payload or len(payload) > MAX_PAYLOAD:
        return None
    return {"type": "postback", "title": title, "payload": payload}


def _buttons(buttons: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    result = [_postback(b) for b in buttons]
    return [b for b in result if b is not None][:MAX_TEMPLATE_BUTTONS]


def _options(text: str, buttons: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    if len(buttons) <= MAX_TEMPLATE_BUTTONS and len(text) <= MAX_TEMPLATE_TEXT:
        return {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": text or "…",
                    "buttons": _buttons(buttons),
                },
            }
        }
    replies = [
        {
            "content_type": "text",
            "title": _cut(str(b.get("title") or b.get("payload")), MAX_BUTTON_TITLE),
            "payload": str(b.get("payload") or b.get("title"))[:MAX_PAYLOAD],
        }
        for b in buttons[:MAX_QUICK_REPLIES]
    ]
    return {"text": _cut(text or "…", MAX_TEXT), "quick_replies": replies}


def generic_template(carousel: Mapping[str, Any], base_url: str | None = None) -> dict[str, Any]:
    """The carousel as a generic template message (at most 10 elements).

    Args:
        carousel: The carousel payload.
        base_url: The shop's public address (relative links and images).

    Returns:
        The ``message`` object.
    """
    language = language_of(carousel)
    elements: list[dict[str, Any]] = []
    cards = [c for c in carousel.get("products") or [] if isinstance(c, Mapping)]
    for card in cards[:MAX_CARDS]:
        subtitle = card_facts(card, language)
        if card.get("brand"):
            subtitle = f"{card['brand']} · {subtitle}" if subtitle else str(card["brand"])
        if card.get("reason"):
            subtitle += f"\n{card['reason']}"
        element: dict[str, Any] = {
            "title": _cut(str(card.get("title") or ""), MAX_TITLE),
            "subtitle": _cut(subtitle, MAX_TITLE),
        }
        image = public_image(card.get("image_url"), base_url)
        if image:
            element["image_url"] = image
        link = public_url(card.get("url"), base_url)
        if link and link.startswith("https://"):
            element["default_action"] = {"type": "web_url", "url": link}
        buttons = _buttons(card_options(card, language))
        if buttons:
            element["buttons"] = buttons
        elements.append(element)
    return {
        "attachment": {
            "type": "template",
            "payload": {"template_type": "generic", "elements": elements},
        }
    }


def render(message: Mapping[str, Any], base_url: str | None = None) -> list[dict[str, Any]]:
    """The Send API ``message`` objects that show one bot message.

    Args:
        message: The bot message as Rasa hands it to the channel.
        base_url: The shop's public address (relative card links and images).

    Returns:
        Message objects, in order.
    """
    name = agent_name(message)
    text = from_agent(message.get("text"), name) if message.get("text") else ""
    messages: list[dict[str, Any]] = []
    carousel = carousel_of(message)
    buttons = buttons_of(message)
    if carousel is not None:
        if text:
            messages.extend({"text": part} for part in _split(text))
        messages.append(generic_template(carousel, base_url))
        text = ""
    if buttons:
        messages.append(_options(text, buttons))
    elif text:
        messages.extend({"text": part} for part in _split(text))
    custom = message.get("custom")
    if carousel is None and isinstance(custom, Mapping):
        messages.append(dict(custom))
    image = public_url(message.get("image"), base_url)
    if image:
        messages.append(
            {"attachment": {"type": "image", "payload": {"url": image, "is_reusable": True}}}
        )
    return messages
