"""Rasa's REST channel with nothing taken on trust: its shoppers are always anonymous.

Rasa 3.6's ``RestInput`` passes the request's ``metadata`` into the message unchanged and
lets the request choose the message's ``input_channel`` (``_extract_input_channel`` returns
``request.json["input_channel"]`` when present). A POST with
``"input_channel": "socketio"`` and ``"metadata": {"customer_id": ..., "identity":
{"verified": true}}`` would therefore look exactly like a message the verified socket.io
channel produced. :class:`AnonymousRestInput` closes that: the input channel is always
``rest``, the metadata keeps only the allow-listed client keys plus
``identity: {"verified": false}``, and sender ids in the socket.io channel's derived form
(``s-`` + 32 hex digits) are refused, so REST can never write into a socket conversation.
A request without a sender is refused too (Rasa would put all of them into one shared
``default`` conversation).

The name stays ``rest`` (URL ``/webhooks/rest/webhook``, ``RICH_CHANNELS``).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.exceptions import SanicException
from sanic.request import Request

from assistant.channels.browser_input import allowed_client_metadata

__all__ = ["AnonymousRestInput"]

_DERIVED_SENDER_ID = re.compile(r"s-[0-9a-f]{32}")


class AnonymousRestInput(RestInput):
    """REST input whose messages never carry a verified identity."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``rest``."""
        return "rest"

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    async def _extract_sender(self, req: Request) -> str | None:
        sender: object = await super()._extract_sender(req)
        if sender is None or sender == "":
            # Rasa would file every sender-less message under one shared "default" conversation.
            raise SanicException("a sender id is required", status_code=400)
        if isinstance(sender, str) and _DERIVED_SENDER_ID.fullmatch(sender):
            raise SanicException("this sender id is reserved", status_code=400)
        return str(sender)

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """Allow-listed client keys only, marked unverified.

        Args:
            request: The incoming request.

        Returns:
            The metadata passed to Rasa.
        """
        body = request.json if isinstance(request.json, dict) else {}
        metadata = allowed_client_metadata(body.get("metadata"))
        metadata["identity"] = {"verified": False}
        return metadata
