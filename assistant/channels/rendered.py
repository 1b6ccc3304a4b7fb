"""Output channels that render every bot message in one place: their ``send_response``.

Rasa's ``OutputChannel.send_response`` splits a bot message into parts and calls
``send_text_message``, ``send_text_with_buttons``, ``send_custom_json`` and so on. The
messaging channels instead render the whole message at once (``formats/``: a carousel with its
text, buttons as a keyboard or numbered options, the agent's name), so their ``send_response``
does the work and :class:`RenderedOutput` routes Rasa's part-wise calls back to it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RenderedOutput"]


class RenderedOutput:
    """Mixin for an ``OutputChannel`` whose ``send_response`` renders whole messages."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message (implemented by the channel)."""
        raise NotImplementedError

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send a text."""
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send a text with buttons (in the channel's own form)."""
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send a text with quick replies (in the channel's own form)."""
        await self.send_response(recipient_id, {"text": text, "quick_replies": quick_replies})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Send an image."""
        await self.send_response(recipient_id, {"image": image})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Send a custom payload (a product carousel, or the platform's own message)."""
        await self.send_response(recipient_id, {"custom": json_message})
