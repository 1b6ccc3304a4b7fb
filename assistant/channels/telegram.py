"""The Telegram channel: Rasa's connector, switched on by the environment, nothing sent unasked.

Configuration (environment, read once when rasa builds the channel; ``docs/channels.md``):

- ``TELEGRAM_TOKEN`` (the bot token from @BotFather) and ``TELEGRAM_VERIFY`` (the bot's
  username) switch the channel on; without them it is disabled (503 on its webhook).
- ``TELEGRAM_WEBHOOK_URL``: the public URL of ``/webhooks/telegram/webhook``, registered with
  Telegram by ``GET /webhooks/telegram/set_webhook`` or, with ``TELEGRAM_SET_WEBHOOK=1``, when
  rasa starts.
- ``TELEGRAM_SECRET_TOKEN``: sent to Telegram with the webhook; updates without it in
  ``X-Telegram-Bot-Api-Secret-Token`` are refused (403).
- ``TELEGRAM_API_URL``: the Bot API's address (default ``https://api.telegram.org``).

Differences from Rasa 3.6's ``TelegramInput``: it calls ``setWebhook`` (synchronously, with
``asyncio.run``) every time an output channel is made, which breaks inside a running loop, so
the console's agent replies could not reach a Telegram shopper; here the output channel is made
once and the webhook is set only when asked. Rasa asks Telegram for the bot's name on every
update (``getMe``); here once. A button tap (``callback_query``) is acknowledged
(``answerCallbackQuery``) and its payload becomes the message. Messages are rendered by
:mod:`formats.telegram`, and a bare number picks an offered option
(:mod:`assistant.channels.options`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiogram.bot import Bot
from aiogram.bot.api import TelegramAPIServer, check_token
from aiogram.types import Update
from aiogram.utils.exceptions import TelegramAPIError, ValidationError
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import USER_INTENT_RESTART
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels.messaging import ChannelSettings, disabled_blueprint
from assistant.channels.options import OptionChooser
from assistant.channels.rendered import RenderedOutput
from formats import telegram as telegram_format

__all__ = ["DEFAULT_API_URL", "ShopTelegramInput", "ShopTelegramOutput"]

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
REQUIRED = ("TELEGRAM_TOKEN", "TELEGRAM_VERIFY")
OPTIONAL = (
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_API_URL",
    "TELEGRAM_SECRET_TOKEN",
    "TELEGRAM_SET_WEBHOOK",
)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SEND_ERRORS = (TelegramAPIError, aiohttp.ClientError, asyncio.TimeoutError)


class ShopTelegramOutput(RenderedOutput, TelegramOutput):
    """Sends bot messages to a Telegram chat as rendered by :mod:`formats.telegram`."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``telegram``."""
        return "telegram"

    def __init__(
        self,
        access_token: str,
        api_url: str = DEFAULT_API_URL,
        public_url: str | None = None,
    ) -> None:
        """Create the output channel (no request is made).

        Args:
            access_token: The bot token.
            api_url: The Bot API's address.
            public_url: The shop's public address (relative card links and images).
        """
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url))
        self.public_url = public_url

    async def call(self, chat_id: str, call: dict[str, Any]) -> Any:
        """Make one Bot API call for a chat.

        Args:
            chat_id: The chat.
            call: ``{"method": ..., <parameters>}`` (:func:`formats.telegram.render`).

        Returns:
            The API's ``result``.
        """
        params = dict(call)
        method = str(params.pop("method"))
        params.setdefault("chat_id", chat_id)
        data = {
            key: json.dumps(value) if isinstance(value, dict | list | bool) else value
            for key, value in params.items()
            if value is not None
        }
        return await self.request(method, data)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message (text, buttons, carousel, image, agent reply).

        Args:
            recipient_id: The chat id.
            message: The bot message as Rasa hands it over.
        """
        for call in telegram_format.render(message, self.public_url):
            try:
                await self.call(recipient_id, call)
            except _SEND_ERRORS as error:
                logger.error("telegram: %s failed: %s", call.get("method"), error)

    async def register_webhook(self, url: str, secret_token: str | None) -> bool:
        """Tell Telegram where to send updates (``setWebhook``).

        Args:
            url: The public webhook URL.
            secret_token: Telegram sends it back in ``X-Telegram-Bot-Api-Secret-Token``.

        Returns:
            Whether Telegram accepted it.
        """
        data = {"url": url}
        if secret_token:
            data["secret_token"] = secret_token
        try:
            return bool(await self.request("setWebhook", data))
        except _SEND_ERRORS as error:
            logger.error("telegram: setWebhook failed: %s", error)
            return False


class ShopTelegramInput(TelegramInput):
    """Telegram input enabled by the environment (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``telegram`` (URL ``/webhooks/telegram/webhook``)."""
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from the environment (the credentials block has no secrets).

        Args:
            credentials: The ``credentials.yml`` block (unused).

        Returns:
            The channel, disabled when its variables are missing.
        """
        return cls.from_settings(ChannelSettings.read("telegram", REQUIRED, OPTIONAL))

    @classmethod
    def from_settings(cls, settings: ChannelSettings) -> ShopTelegramInput:
        """Build the channel from read settings; logs whether it is on.

        Args:
            settings: The channel's settings.

        Returns:
            The channel.
        """
        token = settings.get("TELEGRAM_TOKEN")
        reason = None if settings.enabled else settings.disabled_reason()
        if token and reason is None:
            try:
                check_token(token)
            except ValidationError:
                reason = "telegram: disabled (TELEGRAM_TOKEN is not a bot token)"
        if reason:
            logger.info("%s", reason)
        else:
            settings.log_state()
        return cls(
            token,
            settings.get("TELEGRAM_VERIFY"),
            settings.get("TELEGRAM_WEBHOOK_URL"),
            api_url=settings.get("TELEGRAM_API_URL", DEFAULT_API_URL) or DEFAULT_API_URL,
            secret_token=settings.get("TELEGRAM_SECRET_TOKEN"),
            set_webhook_on_start=settings.get("TELEGRAM_SET_WEBHOOK", "0") in {"1", "true"},
            public_url=settings.public_url,
            disabled_reason=reason,
        )

    def __init__(
        self,
        access_token: str | None,
        verify: str | None,
        webhook_url: str | None,
        debug_mode: bool = False,
        *,
        api_url: str = DEFAULT_API_URL,
        secret_token: str | None = None,
        set_webhook_on_start: bool = False,
        public_url: str | None = None,
        disabled_reason: str | None = None,
    ) -> None:
        """Create the channel.

        Args:
            access_token: The bot token.
            verify: The bot's username; updates are refused unless ``getMe`` agrees.
            webhook_url: The public webhook URL (for ``setWebhook``).
            debug_mode: Unused (errors are logged, never re-raised to Telegram).
            api_url: The Bot API's address.
            secret_token: The webhook's secret token, or ``None``.
            set_webhook_on_start: Call ``setWebhook`` when the server starts.
            public_url: The shop's public address (relative card links and images).
            disabled_reason: Why the channel is off, or ``None`` when it is on.
        """
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.api_url = api_url
        self.secret_token = secret_token
        self.set_webhook_on_start = set_webhook_on_start
        self.public_url = public_url
        self.disabled_reason = disabled_reason
        self._output: ShopTelegramOutput | None = None

    def get_output_channel(self) -> OutputChannel | None:  # type: ignore[override]
        """The channel's one output channel (no request is made; ``None`` when disabled).

        Returns:
            The output channel.
        """
        if self.disabled_reason or not self.access_token:
            return None
        if self._output is None:
            self._output = ShopTelegramOutput(self.access_token, self.api_url, self.public_url)
        return self._output

    def _authentic(self, request: Request) -> bool:
        if not self.secret_token:
            return True
        sent = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(sent.encode(), self.secret_token.encode())

    @staticmethod
    def _text_and_chat(update: Update) -> tuple[str | None, Any]:
        """The message text (or button payload) of an update and its chat."""
        if update.callback_query is not None:
            message = update.callback_query.message
            return update.callback_query.data, message.chat if message else None
        message = update.edited_message or update.message
        if message is None:
            return None, None
        if message.text is not None:
            return message.text.replace("/bot", ""), message.chat
        if message.location is not None:
            location = message.location
            return f'{{"lng":{location.longitude}, "lat":{location.latitude}}}', message.chat
        return None, message.chat

    async def _verified_bot(self, output: ShopTelegramOutput) -> bool:
        if not self.verify:
            return True
        me = await output.me  # asked once, then cached by aiogram
        return bool(me.username == self.verify)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The webhook routes (a 503 blueprint when the channel is disabled).

        Args:
            on_new_message: Rasa's handler.

        Returns:
            The blueprint.
        """
        if self.disabled_reason:
            return disabled_blueprint(self.name(), self.disabled_reason)
        output = self.get_output_channel()
        assert isinstance(output, ShopTelegramOutput)
        chooser = OptionChooser(on_new_message)
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/set_webhook", methods=["GET", "POST"])
        async def set_webhook(_: Request) -> HTTPResponse:
            if not self.webhook_url:
                return response.json({"error": "set TELEGRAM_WEBHOOK_URL"}, status=400)
            if await output.register_webhook(self.webhook_url, self.secret_token):
                return response.text("Webhook setup successful")
            return response.text("Webhook setup failed", status=502)

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self._authentic(request):
                logger.warning("telegram: update without the right secret token refused")
                return response.text("invalid secret token", status=403)
            body = request.json
            if isinstance(body, str):
                body = json.loads(body)
            if not isinstance(body, dict):
                return response.text("an update object is expected", status=400)
            update = Update(**body)
            try:
                verified = await self._verified_bot(output)
            except _SEND_ERRORS as error:
                logger.error("telegram: getMe failed: %s", error)
                return response.text("cannot reach Telegram", status=503)
            if not verified:
                logger.warning("telegram: the token's bot is not TELEGRAM_VERIFY")
                return response.text("failed", status=403)
            text, chat = self._text_and_chat(update)
            if update.callback_query is not None:
                await self._answer(output, update.callback_query.id)
            if text is None or chat is None:
                return response.text("success")
            texts = [text]
            if text == INTENT_MESSAGE_PREFIX + USER_INTENT_RESTART:
                texts.append("/start")
            for part in texts:
                try:
                    await chooser(
                        UserMessage(
                            part,
                            output,
                            str(chat.id),
                            input_channel=self.name(),
                            metadata=self.get_metadata(request),
                        )
                    )
                except Exception:  # noqa: BLE001 - Telegram would resend the update forever
                    logger.exception("telegram: exception while handling a message")
            return response.text("success")

        async def on_start(_app: Sanic, _loop: object) -> None:
            if self.set_webhook_on_start and self.webhook_url:
                await output.register_webhook(self.webhook_url, self.secret_token)

        async def on_stop(_app: Sanic, _loop: object) -> None:
            session = output._session
            if session is not None and not session.closed:
                await session.close()

        telegram_webhook.listener("after_server_start")(on_start)
        telegram_webhook.listener("before_server_stop")(on_stop)
        return chooser.attach(telegram_webhook)

    @staticmethod
    async def _answer(output: ShopTelegramOutput, callback_query_id: str) -> None:
        try:
            await output.request("answerCallbackQuery", {"callback_query_id": callback_query_id})
        except _SEND_ERRORS as error:
            logger.warning("telegram: answerCallbackQuery failed: %s", error)
