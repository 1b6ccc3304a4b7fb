"""Bot messages as Telegram Bot API calls: inline keyboards, one message per product card.

:func:`render` turns one Rasa bot message into the API calls that show it (``sendMessage`` /
``sendPhoto`` parameters without ``chat_id``; the channel adds it):

- text: one ``sendMessage`` (an agent's reply reads "Alice: text");
- buttons or quick replies: the text with an inline keyboard, one button per row; a tap sends
  the button's payload back as a ``callback_query``;
- a product carousel: the carousel's text first (when there is one), then one message per card:
  a ``sendPhoto`` with the card as the caption when the image is a public https raster image,
  else a ``sendMessage``; the card's buttons (details, more like this, compare) as one keyboard
  row under it;
- an image: ``sendPhoto``; any other custom payload: passed on as the parameters of the method
  it names (``{"method": "sendLocation", ...}``), or ``sendMessage`` / ``sendPhoto`` when it has
  ``text`` / ``photo``, as Rasa's Telegram channel does.

Texts are plain (no ``parse_mode``), so nothing a shopper or an agent typed is read as markup.
Telegram limits ``callback_data`` to 64 bytes; a button whose payload is longer is left out of
the keyboard (the shopper can still type the option's number).
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

__all__ = ["MAX_CALLBACK_BYTES", "card_text", "inline_keyboard", "render"]

#: Longest ``callback_data`` Telegram accepts, in bytes.
MAX_CALLBACK_BYTES: Final = 64
#: Longest message text and photo caption.
MAX_TEXT: Final = 4096
MAX_CAPTION: Final = 1024


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _button(title: object, payload: object) -> dict[str, str] | None:
    data = str(payload or title or "")
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        return None
    return {"text": _cut(str(title or data), 64), "callback_data": data}


def inline_keyboard(
    buttons: Sequence[Mapping[str, Any]], *, one_row: bool = False
) -> dict[str, Any] | None:
    """An ``InlineKeyboardMarkup`` with the buttons (one per row, or all in one row).

    Buttons with a ``url`` become link buttons; the others send their payload.

    Args:
        buttons: Rasa buttons (``title``, ``payload``, optional ``url``).
        one_row: Put every button in one row (product cards).

    Returns:
        The markup, or ``None`` when no button fits.
    """
    keys: list[dict[str, str]] = []
    for b in buttons:
        link = public_url(b.get("url"))
        if link:
            keys.append({"text": _cut(str(b.get("title") or link), 64), "url": link})
            continue
        key = _button(b.get("title"), b.get("payload"))
        if key is not None:
            keys.append(key)
    if not keys:
        return None
    rows = [keys] if one_row else [[key] for key in keys]
    return {"inline_keyboard": rows}


def card_text(card: Mapping[str, Any], number: int, language: str, base_url: str | None) -> str:
    """A card as plain text: "2. Title (Brand)", price · rating · stock, reason, link.

    Args:
        card: The product card.
        number: Its number in the carousel.
        language: The carousel's language.
        base_url: The shop's public address (for relative links).

    Returns:
        The text.
    """
    head = f"{number}. {card.get('title') or ''}"
    if card.get("brand"):
        head += f" ({card['brand']})"
    lines = [head]
    facts = card_facts(card, language)
    if facts:
        lines.append(facts)
    if card.get("reason"):
        lines.append(f"({card['reason']})")
    link = public_url(card.get("url"), base_url)
    if link:
        lines.append(link)
    return "\n".join(lines)


def _text_call(text: str, markup: dict[str, Any] | None = None) -> dict[str, Any]:
    call: dict[str, Any] = {"method": "sendMessage", "text": _cut(text, MAX_TEXT)}
    if markup is not None:
        call["reply_markup"] = markup
    return call


def _carousel_calls(
    carousel: Mapping[str, Any], intro: str | None, base_url: str | None
) -> list[dict[str, Any]]:
    language = language_of(carousel)
    calls: list[dict[str, Any]] = []
    if intro:
        calls.append(_text_call(intro))
    cards = [c for c in carousel.get("products") or [] if isinstance(c, Mapping)]
    for number, card in enumerate(cards[:MAX_CARDS], 1):
        text = card_text(card, number, language, base_url)
        markup = inline_keyboard(card_options(card, language), one_row=True)
        photo = public_image(card.get("image_url"), base_url)
        if photo:
            call: dict[str, Any] = {
                "method": "sendPhoto",
                "photo": photo,
                "caption": _cut(text, MAX_CAPTION),
            }
            if markup is not None:
                call["reply_markup"] = markup
        else:
            call = _text_call(text, markup)
            call["disable_web_page_preview"] = True
        calls.append(call)
    return calls


def _custom_call(custom: Mapping[str, Any]) -> dict[str, Any] | None:
    if isinstance(custom.get("method"), str):
        return dict(custom)
    if custom.get("text") is not None:
        return {"method": "sendMessage", **custom}
    if custom.get("photo") is not None:
        return {"method": "sendPhoto", **custom}
    return None


def render(message: Mapping[str, Any], base_url: str | None = None) -> list[dict[str, Any]]:
    """The Telegram API calls that show one bot message.

    Args:
        message: The bot message as Rasa hands it to the channel.
        base_url: The shop's public address (relative card links and images).

    Returns:
        Calls: ``{"method": "sendMessage" | "sendPhoto" | ..., <parameters>}``, in order.
    """
    name = agent_name(message)
    text = from_agent(message.get("text"), name) if message.get("text") else None
    calls: list[dict[str, Any]] = []
    carousel = carousel_of(message)
    buttons = buttons_of(message)
    if carousel is not None:
        calls.extend(_carousel_calls(carousel, text, base_url))
        text = None
    if buttons:
        markup = inline_keyboard(buttons)
        calls.append(_text_call(text or "…", markup))
    elif text:
        calls.append(_text_call(text))
    custom = message.get("custom")
    if carousel is None and isinstance(custom, Mapping):
        call = _custom_call(custom)
        if call is not None:
            calls.append(call)
    image = public_url(message.get("image"), base_url)
    if image:
        calls.append({"method": "sendPhoto", "photo": image})
    return calls
