"""The Twilio channel (WhatsApp and SMS): Rasa's connector, signed requests, numbered options.

Configuration (environment, read once when rasa builds the channel; ``docs/channels.md``):

- ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and ``TWILIO_NUMBER`` (``whatsapp:+14155238886``
  for WhatsApp, ``+1...`` for SMS) switch the channel on; without them it is disabled (503 on
  its webhook).
- ``TWILIO_WEBHOOK_URL``: the public URL Twilio calls (the one set in the Twilio console).
  Twilio signs that exact URL; behind a tunnel or proxy the URL rasa sees differs, so set it.
  Without it the request's own URL is used.
- ``TWILIO_API_URL``: the REST API's address (default ``https://api.twilio.com``).

Differences from Rasa 3.6's ``TwilioInput``:

- signatures: Rasa checks none; here ``X-Twilio-Signature`` (base64 HMAC-SHA1 of the URL and
  the sorted form parameters with the auth token, Twilio's ``RequestValidator``) must match, or
  the request gets 403;
- sending: Rasa's ``TwilioOutput`` is the ``twilio`` client (blocking ``requests`` in the event
  loop, fixed host); here :class:`TwilioApiOutput` posts with aiohttp to the configured
  address, rendered by :mod:`formats.twilio`: a carousel is a numbered list and buttons are
  numbered options in one message (Rasa sends one message per button);
- a media-only message without text no longer crashes the handler;
- a bare number picks an offered option (:mod:`assistant.channels.options`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from assistant.channels.messaging import ChannelSettings, disabled_blueprint
from assistant.channels.options import Handler, OptionChooser
from assistant.channels.rendered import RenderedOutput
from formats import twilio as twilio_format

__all__ = ["DEFAULT_API_URL", "ShopTwilioInput", "TwilioApiOutput"]

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.twilio.com"
REQUIRED = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER")
OPTIONAL = ("TWILIO_API_URL", "TWILIO_WEBHOOK_URL")
SIGNATURE_HEADER = "X-Twilio-Signature"
TIMEOUT = aiohttp.ClientTimeout(total=15)


class TwilioApiOutput(RenderedOutput, OutputChannel):
    """Sends bot messages through Twilio's Messages API, as rendered by :mod:`formats.twilio`."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``twilio``."""
        return "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        api_url: str = DEFAULT_API_URL,
        public_url: str | None = None,
    ) -> None:
        """Create the output channel (no request is made).

        Args:
            account_sid: The account SID.
            auth_token: The auth token.
            twilio_number: The sender (``whatsapp:+1...`` or ``+1...``).
            api_url: The REST API's address.
            public_url: The shop's public address (relative card links and images).
        """
        self._auth = aiohttp.BasicAuth(account_sid, auth_token)
        self.twilio_number = twilio_number
        self.messages_url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.public_url = public_url

    async def _create(self, recipient_id: str, params: dict[str, Any]) -> bool:
        form: list[tuple[str, str]] = [("To", recipient_id), ("From", self.twilio_number)]
        if params.get("Body"):
            form.append(("Body", str(params["Body"])))
        form.extend(("MediaUrl", str(url)) for url in params.get("MediaUrl") or [])
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT, auth=self._auth) as http:
                async with http.post(self.messages_url, data=form) as answer:
                    if answer.status >= 400:
                        logger.error(
                            "twilio: Messages API answered %s: %s",
                            answer.status,
                            (await answer.text())[:300],
                        )
                        return False
                    return True
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("twilio: Messages API failed: %s", error)
            return False

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message: text, numbered options or products, media.

        Args:
            recipient_id: The shopper's address (``whatsapp:+...`` or ``+...``).
            message: The bot message as Rasa hands it over.
        """
        for params in twilio_format.render(message, self.public_url):
            await self._create(recipient_id, params)


class ShopTwilioInput(TwilioInput):
    """Twilio input enabled by the environment, with signatures checked (module docstring)."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``twilio`` (URL ``/webhooks/twilio/webhook``)."""
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from the environment (the credentials block has no secrets).

        Args:
            credentials: The ``credentials.yml`` block (unused).

        Returns:
            The channel, disabled when its variables are missing.
        """
        settings = ChannelSettings.read("twilio", REQUIRED, OPTIONAL)
        settings.log_state()
        return cls(
            settings.get("TWILIO_ACCOUNT_SID"),
            settings.get("TWILIO_AUTH_TOKEN"),
            settings.get("TWILIO_NUMBER"),
            api_url=settings.get("TWILIO_API_URL", DEFAULT_API_URL) or DEFAULT_API_URL,
            webhook_url=settings.get("TWILIO_WEBHOOK_URL"),
            public_url=settings.public_url,
            disabled_reason=None if settings.enabled else settings.disabled_reason(),
        )

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        twilio_number: str | None,
        debug_mode: bool = False,
        *,
        api_url: str = DEFAULT_API_URL,
        webhook_url: str | None = None,
        public_url: str | None = None,
        disabled_reason: str | None = None,
    ) -> None:
        """Create the channel.

        Args:
            account_sid: The account SID.
            auth_token: The auth token (request signatures and API calls).
            twilio_number: The sender number.
            debug_mode: Unused (errors are logged, never re-raised to Twilio).
            api_url: The REST API's address.
            webhook_url: The public URL Twilio signs; the request's URL when ``None``.
            public_url: The shop's public address (relative card links and images).
            disabled_reason: Why the channel is off, or ``None`` when it is on.
        """
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.api_url = api_url
        self.webhook_url = webhook_url
        self.public_url = public_url
        self.disabled_reason = disabled_reason

    def get_output_channel(self) -> OutputChannel | None:
        """An output channel to Twilio (``None`` when disabled).

        Returns:
            The output channel.
        """
        if self.disabled_reason or not (
            self.account_sid and self.auth_token and self.twilio_number
        ):
            return None
        return TwilioApiOutput(
            self.account_sid, self.auth_token, self.twilio_number, self.api_url, self.public_url
        )

    def authentic(self, request: Request) -> bool:
        """Whether the request carries Twilio's signature for the webhook URL and form.

        Args:
            request: The webhook request.

        Returns:
            True when ``X-Twilio-Signature`` matches.
        """
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature or not self.auth_token:
            return False
        url = self.webhook_url or request.url
        return bool(RequestValidator(self.auth_token).validate(url, request.form, signature))

    def _text(self, request: Request) -> str | None:
        latitude, longitude = request.form.get("Latitude"), request.form.get("Longitude")
        if latitude and longitude:
            return f"/locationData{{'Latitude': {latitude},'Longitude': {longitude}}}"
        text = request.form.get("Body")
        # @ signs get corrupted in SMSes by some carriers (as in Rasa's channel)
        return text.replace("¡", "@") if text else None

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
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.authentic(request):
                logger.warning("twilio: request with an invalid X-Twilio-Signature refused")
                return response.text("invalid signature", status=403)
            sender = request.form.get("From")
            text = self._text(request)
            if not sender or text is None:
                return response.text("", status=204)
            try:
                await chooser(
                    UserMessage(
                        text,
                        self.get_output_channel(),
                        sender,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except Exception:  # noqa: BLE001 - Twilio would retry the request
                logger.exception("twilio: exception while handling a message")
            return response.text("", status=204)

        return chooser.attach(twilio_webhook)
