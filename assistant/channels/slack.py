"""The Slack channel: Rasa's connector, switched on by the environment, Block Kit messages.

Configuration (environment, read once when rasa builds the channel; ``docs/channels.md``):

- ``SLACK_TOKEN`` (the app's bot token, ``xoxb-...``) and ``SLACK_SIGNING_SECRET`` switch the
  channel on; without them it is disabled (503 on its webhook). Rasa's own ``SlackInput``
  refuses to start without a signing secret; this one starts and stays off.
- ``SLACK_API_URL``: the Web API's address (default ``https://slack.com/api/``).
- Non-secret options stay in the ``credentials.yml`` block: ``slack_channel``,
  ``use_threads``, ``conversation_granularity`` (``sender`` by default), as in Rasa.

Rasa's ``SlackInput`` handles the requests: it checks every request's ``X-Slack-Signature``
(HMAC-SHA256 of ``v0:<timestamp>:<body>`` with the signing secret, at most 5 minutes old) and
answers 400 to anything else, answers Slack's ``url_verification`` challenge, ignores bot
messages and Slack's retries, and passes a button's ``value`` (an interactive action) on as the
message. This class adds the disabled path, a bare number picking an offered option
(:mod:`assistant.channels.options`), and an output channel that renders with
:mod:`formats.slack` and posts to the configured API address. Conversation ids of the
``channel`` and ``thread`` granularities (``<user>_<channel>[_<thread>]``) are routed back to
that channel and thread, so the console's agent replies find them.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from assistant.channels.messaging import ChannelSettings, disabled_blueprint
from assistant.channels.options import Handler, OptionChoices
from assistant.channels.rendered import RenderedOutput
from formats import slack as slack_format

__all__ = ["DEFAULT_API_URL", "ShopSlackInput", "ShopSlackOutput"]

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
REQUIRED = ("SLACK_TOKEN", "SLACK_SIGNING_SECRET")
OPTIONAL = ("SLACK_API_URL",)
_SEND_ERRORS = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError)


class ShopSlackOutput(RenderedOutput, SlackBot):
    """Posts bot messages to Slack as rendered by :mod:`formats.slack`."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``slack``."""
        return "slack"

    def __init__(
        self,
        token: str,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
        *,
        api_url: str = DEFAULT_API_URL,
        public_url: str | None = None,
    ) -> None:
        """Create the output channel (no request is made).

        Args:
            token: The bot token.
            slack_channel: Where to post; the conversation's own channel when ``None``.
            thread_id: The thread to answer in, if any.
            proxy: An HTTP proxy for the Web API.
            api_url: The Web API's address.
            public_url: The shop's public address (relative card links and images).
        """
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)
        self.public_url = public_url

    def _target(self, recipient_id: str) -> tuple[str, str | None]:
        """The channel and thread of a conversation id (``<user>[_<channel>[_<thread>]]``)."""
        if self.slack_channel:
            return self.slack_channel, self.thread_id
        parts = str(recipient_id).split("_", 2)
        if len(parts) == 1:
            return parts[0], self.thread_id  # a user id: Slack posts into the app's DM
        return parts[1], parts[2] if len(parts) == 3 else self.thread_id

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message (text, buttons, carousel, image, agent reply).

        Args:
            recipient_id: The conversation id.
            message: The bot message as Rasa hands it over.
        """
        channel, thread = self._target(recipient_id)
        for call in slack_format.render(message, self.public_url):
            arguments = dict(call)
            target = str(arguments.pop("channel", channel))
            if thread and "thread_ts" not in arguments:
                arguments["thread_ts"] = thread
            try:
                await self.client.chat_postMessage(channel=target, **arguments)
            except _SEND_ERRORS as error:
                logger.error("slack: chat.postMessage failed: %s", error)


class ShopSlackInput(OptionChoices, SlackInput):
    """Slack input enabled by the environment (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: ``slack`` (URL ``/webhooks/slack/webhook``)."""
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from the environment and the block's non-secret options.

        Args:
            credentials: The ``credentials.yml`` block (``slack_channel``, ``use_threads``,
                ``conversation_granularity``, ``proxy``); secrets in it are ignored.

        Returns:
            The channel, disabled when its variables are missing.
        """
        options = credentials or {}
        settings = ChannelSettings.read("slack", REQUIRED, OPTIONAL)
        settings.log_state()
        return cls(
            settings.get("SLACK_TOKEN") or "",
            options.get("slack_channel"),
            options.get("proxy"),
            errors_ignore_retry=options.get("errors_ignore_retry"),
            use_threads=bool(options.get("use_threads", False)),
            slack_signing_secret=settings.get("SLACK_SIGNING_SECRET") or "",
            conversation_granularity=options.get("conversation_granularity", "sender"),
            api_url=settings.get("SLACK_API_URL", DEFAULT_API_URL) or DEFAULT_API_URL,
            public_url=settings.public_url,
            disabled_reason=None if settings.enabled else settings.disabled_reason(),
        )

    def __init__(
        self,
        slack_token: str,
        slack_channel: str | None = None,
        proxy: str | None = None,
        slack_retry_reason_header: str | None = "x-slack-retry-reason",
        slack_retry_number_header: str | None = "x-slack-retry-num",
        errors_ignore_retry: list[str] | None = None,
        use_threads: bool | None = False,
        slack_signing_secret: str = "",
        conversation_granularity: str | None = "sender",
        *,
        api_url: str = DEFAULT_API_URL,
        public_url: str | None = None,
        disabled_reason: str | None = None,
    ) -> None:
        """Create the channel (Rasa's arguments, plus the API address and the disabled state).

        Args:
            slack_token: The bot token.
            slack_channel: A channel to post to instead of the conversation's own.
            proxy: An HTTP proxy for the Web API.
            slack_retry_reason_header: Header of Slack's retry reason.
            slack_retry_number_header: Header of Slack's retry number.
            errors_ignore_retry: Retry reasons that are not processed again.
            use_threads: Answer in the message's thread.
            slack_signing_secret: The app's signing secret.
            conversation_granularity: ``sender``, ``channel`` or ``thread``.
            api_url: The Web API's address.
            public_url: The shop's public address (relative card links and images).
            disabled_reason: Why the channel is off, or ``None`` when it is on.
        """
        self.disabled_reason = disabled_reason
        self.api_url = api_url
        self.public_url = public_url
        super().__init__(
            slack_token,
            slack_channel,
            proxy,
            slack_retry_reason_header,
            slack_retry_number_header,
            errors_ignore_retry,
            use_threads,
            slack_signing_secret,
            conversation_granularity,
        )

    def _validate_credentials(self) -> None:
        if not self.disabled_reason:
            super()._validate_credentials()

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """Rasa's Slack routes with numbers read as options (503 routes when disabled).

        Args:
            on_new_message: Rasa's handler.

        Returns:
            The blueprint.
        """
        if self.disabled_reason:
            return disabled_blueprint(self.name(), self.disabled_reason)
        return super().blueprint(on_new_message)

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel | None:  # type: ignore[override]
        """An output channel to a Slack channel (``None`` when disabled).

        Args:
            channel: Where to post; the conversation's own channel when ``None``.
            thread_id: The thread to answer in.

        Returns:
            The output channel.
        """
        if self.disabled_reason:
            return None
        return ShopSlackOutput(
            self.slack_token,
            channel or self.slack_channel,
            thread_id,
            self.proxy,
            api_url=self.api_url,
            public_url=self.public_url,
        )
