"""The Facebook Messenger channel: Rasa's connector, switched on by the environment, async sends.

Configuration (environment, read once when rasa builds the channel; ``docs/channels.md``):

- ``FACEBOOK_VERIFY`` (the verify token you choose for the webhook), ``FACEBOOK_SECRET`` (the
  app secret) and ``FACEBOOK_PAGE_ACCESS_TOKEN`` switch the channel on; without them it is
  disabled (503 on its webhook).
- ``FACEBOOK_GRAPH_URL``: the Graph API's address with its version (default
  ``https://graph.facebook.com/v19.0``).

Differences from Rasa 3.6's ``FacebookInput``:

- signatures: Rasa checks only ``X-Hub-Signature`` (SHA-1) with ``==`` and answers 200 "not
  validated" to a forged request; here ``X-Hub-Signature-256`` is checked when present (else
  the SHA-1 header) in constant time, and a request without a valid one gets 403;
- sending: Rasa's ``MessengerBot`` posts with ``requests`` (blocking the event loop) to the
  fixed Graph host; here :class:`GraphMessengerOutput` posts with aiohttp to the configured
  address, rendered by :mod:`formats.messenger` (generic template for products);
- every messaging event of a batch is handled (Rasa stops after the first);
- a bare number picks an offered option (:mod:`assistant.channels.options`); postbacks and
  quick replies deliver their payload as the message (Rasa's ``Messenger`` parsing).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels.messaging import ChannelSettings, disabled_blueprint
from assistant.channels.options import Handler, OptionChooser
from assistant.channels.rendered import RenderedOutput
from formats import messenger as messenger_format

__all__ = ["DEFAULT_GRAPH_URL", "GraphMessengerOutput", "ShopFacebookInput", "valid_signature"]

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v19.0"
REQUIRED = ("FACEBOOK_VERIFY", "FACEBOOK_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN")
OPTIONAL = ("FACEBOOK_GRAPH_URL",)
TIMEOUT = aiohttp.ClientTimeout(total=15)


def valid_signature(secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether a webhook request is signed with the app secret.

    ``X-Hub-Signature-256: sha256=<hex>`` is checked when present, else
    ``X-Hub-Signature: sha1=<hex>``; the comparison takes constant time.

    Args:
        secret: The app secret.
        body: The raw request body.
        headers: The request headers.

    Returns:
        True for a valid signature.
    """
    for header, algorithm in (("X-Hub-Signature-256", "sha256"), ("X-Hub-Signature", "sha1")):
        sent = headers.get(header)
        if not sent:
            continue
        prefix, _, digest = sent.partition("=")
        if prefix != algorithm or not digest:
            return False
        expected = hmac.new(secret.encode("utf-8"), body, getattr(hashlib, algorithm))
        return hmac.compare_digest(expected.hexdigest(), digest.lower())
    return False


class GraphMessengerOutput(RenderedOutput, OutputChannel):
    """Sends bot messages through the Send API, as rendered by :mod:`formats.messenger`."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``facebook``."""
        return "facebook"

    def __init__(
        self,
        page_access_token: str,
        graph_url: str = DEFAULT_GRAPH_URL,
        public_url: str | None = None,
    ) -> None:
        """Create the output channel (no request is made).

        Args:
            page_access_token: The page's access token.
            graph_url: The Graph API's address with its version.
            public_url: The shop's public address (relative card links and images).
        """
        self._token = page_access_token
        self.messages_url = graph_url.rstrip("/") + "/me/messages"
        self.public_url = public_url

    async def _post(self, body: dict[str, Any]) -> bool:
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
                async with http.post(
                    self.messages_url, params={"access_token": self._token}, json=body
                ) as answer:
                    if answer.status >= 400:
                        logger.error(
                            "facebook: Send API answered %s: %s",
                            answer.status,
                            (await answer.text())[:300],
                        )
                        return False
                    return True
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("facebook: Send API failed: %s", error)
            return False

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message (text, buttons, carousel, image, agent reply).

        Args:
            recipient_id: The shopper's page-scoped id.
            message: The bot message as Rasa hands it over.
        """
        for part in messenger_format.render(message, self.public_url):
            await self._post(
                {"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": part}
            )

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        """Send a sender action (``mark_seen``, ``typing_on``, ``typing_off``).

        Args:
            recipient_id: The shopper's page-scoped id.
            sender_action: The action.
        """
        await self._post({"recipient": {"id": recipient_id}, "sender_action": sender_action})


class _Messenger(Messenger):
    """Rasa's webhook parsing, answering through :class:`GraphMessengerOutput`."""

    def __init__(self, output: GraphMessengerOutput, on_new_message: Handler) -> None:
        self.on_new_message = on_new_message
        self.output = output
        self.last_message: dict[str, Any] = {}

    async def handle_all(self, payload: Mapping[str, Any], metadata: dict[str, Any] | None) -> None:
        """Handle every messaging event of a webhook batch (Rasa's ``handle`` stops at one)."""
        for entry in payload.get("entry") or []:
            for event in entry.get("messaging") or []:
                self.last_message = event
                if event.get("message"):
                    await self.message(event, metadata)
                elif event.get("postback"):
                    await self.postback(event, metadata)

    async def _handle_user_message(
        self, text: str, sender_id: str, metadata: dict[str, Any] | None
    ) -> None:
        await self.output.send_action(sender_id, "mark_seen")
        await self.output.send_action(sender_id, "typing_on")
        try:
            await self.on_new_message(
                UserMessage(
                    text, self.output, sender_id, input_channel="facebook", metadata=metadata
                )
            )
        except Exception:  # noqa: BLE001 - Facebook would resend the batch
            logger.exception("facebook: exception while handling a message")
        finally:
            await self.output.send_action(sender_id, "typing_off")


class ShopFacebookInput(FacebookInput):
    """Messenger input enabled by the environment (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``facebook`` (URL ``/webhooks/facebook/webhook``)."""
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from the environment (the credentials block has no secrets).

        Args:
            credentials: The ``credentials.yml`` block (unused).

        Returns:
            The channel, disabled when its variables are missing.
        """
        settings = ChannelSettings.read("facebook", REQUIRED, OPTIONAL)
        settings.log_state()
        return cls(
            settings.get("FACEBOOK_VERIFY") or "",
            settings.get("FACEBOOK_SECRET") or "",
            settings.get("FACEBOOK_PAGE_ACCESS_TOKEN") or "",
            graph_url=settings.get("FACEBOOK_GRAPH_URL", DEFAULT_GRAPH_URL) or DEFAULT_GRAPH_URL,
            public_url=settings.public_url,
            disabled_reason=None if settings.enabled else settings.disabled_reason(),
        )

    def __init__(
        self,
        fb_verify: str,
        fb_secret: str,
        fb_access_token: str,
        *,
        graph_url: str = DEFAULT_GRAPH_URL,
        public_url: str | None = None,
        disabled_reason: str | None = None,
    ) -> None:
        """Create the channel.

        Args:
            fb_verify: The webhook's verify token.
            fb_secret: The app secret (request signatures).
            fb_access_token: The page access token.
            graph_url: The Graph API's address with its version.
            public_url: The shop's public address (relative card links and images).
            disabled_reason: Why the channel is off, or ``None`` when it is on.
        """
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.graph_url = graph_url
        self.public_url = public_url
        self.disabled_reason = disabled_reason

    def get_output_channel(self) -> OutputChannel | None:
        """An output channel to Messenger (``None`` when disabled).

        Returns:
            The output channel.
        """
        if self.disabled_reason:
            return None
        return GraphMessengerOutput(self.fb_access_token, self.graph_url, self.public_url)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """The webhook routes (a 503 blueprint when the channel is disabled).

        Args:
            on_new_message: Rasa's handler.

        Returns:
            The blueprint.
        """
        if self.disabled_reason:
            return disabled_blueprint(self.name(), self.disabled_reason)
        chooser = OptionChooser(on_new_message)
        fb_webhook = Blueprint("fb_webhook", __name__)

        @fb_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @fb_webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            sent = request.args.get("hub.verify_token") or ""
            if hmac.compare_digest(sent.encode(), self.fb_verify.encode()):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("facebook: webhook verification with a wrong verify token")
            return response.text("failure, invalid token", status=403)

        @fb_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not valid_signature(self.fb_secret, request.body, request.headers):
                logger.warning("facebook: request with an invalid signature refused")
                return response.text("invalid signature", status=403)
            body = request.json
            if not isinstance(body, dict):
                return response.text("a JSON object is expected", status=400)
            output = self.get_output_channel()
            assert isinstance(output, GraphMessengerOutput)
            messenger = _Messenger(output, chooser)
            await messenger.handle_all(body, self.get_metadata(request))
            return response.text("success")

        return chooser.attach(fb_webhook)
