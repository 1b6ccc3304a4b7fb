"""What the four messaging channels share: settings from the environment, the disabled path.

Each messaging channel (telegram, slack, facebook, twilio) is switched on by its credentials in
the environment, read once when Rasa builds the channel (``from_credentials``). With a required
variable missing, the channel is *disabled*: Rasa still starts, nothing calls the platform, one
line is logged ("telegram: disabled (set TELEGRAM_TOKEN, TELEGRAM_VERIFY)"), and the channel's
webhook answers 503 with that sentence, so a misconfigured platform sees why.

``SHOP_PUBLIC_URL`` (optional, every channel) is the shop's public address: relative product
links and images in cards are made absolute with it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

__all__ = ["PUBLIC_URL_ENV", "ChannelSettings", "disabled_blueprint"]

logger = logging.getLogger(__name__)

#: The shop's public address, for relative links and images in cards.
PUBLIC_URL_ENV = "SHOP_PUBLIC_URL"


@dataclass(frozen=True)
class ChannelSettings:
    """A channel's settings as read from the environment.

    Attributes:
        channel: The channel's name (``telegram``, ...).
        values: Every variable read that is set (non-empty), by name.
        missing: Required variables that are not set.
    """

    channel: str
    values: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    @classmethod
    def read(
        cls,
        channel: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
        environ: Mapping[str, str] | None = None,
    ) -> ChannelSettings:
        """Read the channel's variables.

        Args:
            channel: The channel's name.
            required: Variables the channel cannot work without.
            optional: Variables with defaults.
            environ: The environment; ``os.environ`` when omitted.

        Returns:
            The settings.
        """
        env = os.environ if environ is None else environ
        values = {
            name: env[name].strip()
            for name in (*required, *optional, PUBLIC_URL_ENV)
            if env.get(name, "").strip()
        }
        missing = tuple(name for name in required if name not in values)
        return cls(channel, values, missing)

    @property
    def enabled(self) -> bool:
        """Whether every required variable is set."""
        return not self.missing

    @property
    def public_url(self) -> str | None:
        """The shop's public address (``SHOP_PUBLIC_URL``), if set."""
        return self.values.get(PUBLIC_URL_ENV)

    def get(self, name: str, default: str | None = None) -> str | None:
        """A variable's value.

        Args:
            name: The variable.
            default: Returned when it is not set.

        Returns:
            The value.
        """
        return self.values.get(name, default)

    def disabled_reason(self) -> str:
        """The sentence logged and answered while the channel is disabled."""
        return f"{self.channel}: disabled (set {', '.join(self.missing)})"

    def log_state(self) -> None:
        """Log once whether the channel is on (called when Rasa builds it)."""
        if self.enabled:
            logger.info("%s: enabled", self.channel)
        else:
            logger.info("%s", self.disabled_reason())


def disabled_blueprint(name: str, reason: str) -> Blueprint:
    """The blueprint of a disabled channel: every route answers 503 with the reason.

    Args:
        name: The channel's name (the blueprint is ``<name>_disabled``).
        reason: What to set to enable it.

    Returns:
        The blueprint.
    """
    blueprint = Blueprint(f"{name}_disabled")

    async def unavailable(_request: Request, path: str = "") -> HTTPResponse:
        return response.json({"status": "disabled", "error": reason}, status=503)

    blueprint.add_route(unavailable, "/", methods=["GET", "POST"])
    blueprint.add_route(unavailable, "/<path:path>", methods=["GET", "POST"])
    return blueprint
