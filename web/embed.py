r"""How the shop embeds the widget: its config object and the page's Content-Security-Policy.

A shop adds the assistant with two tags (docs/widget.md)::

    <script>window.ShopAssistantConfig = {server, token, language, colours, ...}</script>
    <script src="<console>/widget/widget.js" defer></script>

The config is JSON made safe for a ``<script>`` element (``<``, ``>``, ``&`` and ``'`` become
``\u`` escapes, so a ``</script>`` in any value cannot end the element). The inline config
script carries a per-response nonce; the policy allows scripts only from the shop itself, that
nonce and the console's origin, and connections only to the shop and rasa (http and ws). The
widget's tag carries the nonce too: the widget styles its shadow root with a constructed style
sheet, and only browsers without those fall back to a ``<style>`` element with the nonce.
"""

from __future__ import annotations

import json
from typing import Any

from web.settings import ShopSettings

__all__ = ["COLOURS", "WIDGET_TITLE", "content_security_policy", "script_json", "widget_config"]

#: The shop's colours handed to the widget (AA contrast with white text).
COLOURS = {"primary": "#1d4f91", "primaryText": "#ffffff"}
WIDGET_TITLE = "Shop assistant"
_SCRIPT_SAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON that can stand inside an HTML ``<script>`` element as a JavaScript expression.

    Args:
        value: Any JSON-serialisable value.

    Returns:
        The JSON text with the characters that could end the element or the string escaped.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_SCRIPT_SAFE.get(ch, ch) for ch in text)


def widget_config(settings: ShopSettings, *, language: str, token: str | None) -> dict[str, Any]:
    """The widget's config object for one page.

    Args:
        settings: The server's settings (rasa's URL).
        language: The widget's language (``en``, ``es``, ``de``, ``fr``).
        token: The signed customer token, or ``None`` for an anonymous visitor (no key then).

    Returns:
        ``{server, token?, language, colours, position, title}``.
    """
    config: dict[str, Any] = {"server": settings.rasa_url.rstrip("/")}
    if token is not None:
        config["token"] = token
    config.update(language=language, colours=dict(COLOURS), position="right", title=WIDGET_TITLE)
    return config


def _ws(origin: str) -> str:
    return "ws" + origin[len("http") :]  # http -> ws, https -> wss


def content_security_policy(settings: ShopSettings, nonce: str) -> str:
    """The page's Content-Security-Policy.

    Args:
        settings: The server's settings (the console's and rasa's origins).
        nonce: The nonce of this response's inline config script.

    Returns:
        The header value.
    """
    rasa = settings.rasa_origin
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}' {settings.console_origin}",
            f"connect-src 'self' {rasa} {_ws(rasa)}",
            "img-src 'self' https: data:",
            f"style-src 'self' 'nonce-{nonce}'",  # the widget's fallback <style> (old browsers)
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
