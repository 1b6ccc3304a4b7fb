"""The console's client of Rasa's HTTP API (docs/console-api.md, "What the console does").

One :class:`httpx.AsyncClient` per app, with timeouts; the token goes in the ``token`` query
parameter (Rasa's ``--auth-token``). Tests replace only the network (``httpx.MockTransport``).

Conversation ids go into URLs through :func:`console.ids.rasa_segment`. An id that cannot
travel unescaped is used only once Rasa has echoed it back exactly (Rasa 3.6 does not decode
``%``-escapes, so it would read another tracker): the client never writes to a tracker whose
``sender_id`` is not the case's conversation id.
"""

from __future__ import annotations

from typing import Any

import httpx

from console.ids import rasa_segment, travels_raw

__all__ = ["RasaClient", "RasaError", "RasaUnaddressable", "UNADDRESSABLE"]

TIMEOUT = httpx.Timeout(5.0, connect=2.0)
UNADDRESSABLE = (
    "Rasa's HTTP API does not reach this conversation id (it holds characters Rasa reads %-escaped)"
)
CONFIRMED_MAX = 10_000
#: The event that ends a bot turn (what Rasa's prediction loop appends before listening).
LISTEN = {"event": "action", "name": "action_listen"}


class RasaError(RuntimeError):
    """Rasa did not answer, or answered with an error."""


class RasaUnaddressable(RasaError):
    """Rasa's HTTP API answers for another sender id than the conversation's."""


class RasaClient:
    """Reads transcripts and appends events to Rasa's trackers."""

    def __init__(
        self, base_url: str, token: str, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        """Create the client (no connection is made yet).

        Args:
            base_url: Rasa's URL, e.g. ``http://127.0.0.1:5005``.
            token: Rasa's API token (empty when Rasa runs without one).
            transport: A transport to use instead of the network (tests).
        """
        params = {"token": token} if token else {}
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=TIMEOUT, params=params, transport=transport
        )
        # Escaped ids Rasa has echoed back exactly (insertion-ordered, trimmed when large).
        self._confirmed: dict[str, None] = {}

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _call(
        self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None
    ) -> Any:
        try:
            response = await self._client.request(method, path, json=body, params=params)
        except httpx.HTTPError as exc:
            raise RasaError(f"Rasa unreachable: {type(exc).__name__}") from None
        if response.status_code >= 400:
            raise RasaError(f"Rasa answered {response.status_code}")
        try:
            return response.json()
        except ValueError:
            return None

    @staticmethod
    def _conversation(conversation_id: str) -> str:
        return f"/conversations/{rasa_segment(conversation_id)}"

    @staticmethod
    def _check_echo(data: Any, conversation_id: str) -> None:
        sender = data.get("sender_id") if isinstance(data, dict) else None
        if isinstance(sender, str) and sender != conversation_id:
            raise RasaUnaddressable(UNADDRESSABLE)

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's tracker (its events).

        Args:
            conversation_id: Rasa's sender id.

        Returns:
            The tracker JSON.

        Raises:
            RasaUnaddressable: Rasa answered for another sender id.
            RasaError: Rasa failed.
        """
        data = await self._call("GET", f"{self._conversation(conversation_id)}/tracker")
        self._check_echo(data, conversation_id)
        return data if isinstance(data, dict) else {}

    async def addressable(self, conversation_id: str) -> bool:
        """Whether Rasa's HTTP API reaches exactly this conversation.

        Ids that travel unescaped always do (no call is made); an escaped id is asked for
        once (``GET .../tracker``, which must echo it back) and remembered.

        Args:
            conversation_id: Rasa's sender id.

        Returns:
            True when it does, False when Rasa answers for another id.

        Raises:
            RasaError: Rasa could not be asked.
        """
        if travels_raw(conversation_id) or conversation_id in self._confirmed:
            return True
        try:
            await self.tracker(conversation_id)
        except RasaUnaddressable:
            return False
        if len(self._confirmed) >= CONFIRMED_MAX:
            self._confirmed.pop(next(iter(self._confirmed)))
        self._confirmed[conversation_id] = None
        return True

    async def _writable(self, conversation_id: str) -> str:
        if not await self.addressable(conversation_id):
            raise RasaUnaddressable(UNADDRESSABLE)
        return self._conversation(conversation_id)

    async def _append(
        self,
        conversation_id: str,
        event: dict[str, Any] | list[dict[str, Any]],
        params: dict[str, str] | None = None,
    ) -> None:
        path = await self._writable(conversation_id)
        await self._call("POST", f"{path}/tracker/events", event, params)

    async def send_bot_message(
        self,
        conversation_id: str,
        text: str,
        agent: str,
        custom: dict[str, Any] | None = None,
    ) -> None:
        """Append an agent's message as a ``bot`` event; Rasa sends it on the latest channel.

        Args:
            conversation_id: Rasa's sender id.
            text: The message.
            agent: The agent's display name (metadata).
            custom: A custom payload (a product carousel) sent with the text.

        Raises:
            RasaError: Rasa failed.
        """
        event: dict[str, Any] = {"event": "bot", "text": text, "metadata": {"agent": agent}}
        if custom is not None:
            event["data"] = {"custom": custom}
        await self._append(
            conversation_id, event, {"output_channel": "latest", "execute_side_effects": "true"}
        )

    async def pause(self, conversation_id: str) -> None:
        """Append ``pause``: the bot stops answering the shopper (their messages are kept).

        Args:
            conversation_id: Rasa's sender id.

        Raises:
            RasaError: Rasa failed.
        """
        await self._append(conversation_id, {"event": "pause"})

    async def ensure_paused(self, conversation_id: str) -> bool:
        """Pause the conversation unless its tracker already is.

        A case opened by the action server's retry (the console was down when the handoff
        fired) may belong to a conversation the bot still answers.

        Args:
            conversation_id: Rasa's sender id.

        Returns:
            Whether a ``pause`` was appended.

        Raises:
            RasaError: Rasa failed.
        """
        tracker = await self.tracker(conversation_id)
        if tracker.get("paused") is True:
            return False
        if not travels_raw(conversation_id):
            self._confirmed[conversation_id] = None  # the tracker above echoed it
        await self.pause(conversation_id)
        return True

    async def resume(self, conversation_id: str) -> None:
        """Append ``resume`` and ``action_listen``: the bot answers the shopper again.

        The paused conversation's last action is ``action_handoff`` (a paused conversation
        predicts nothing more); the ``action_listen`` lets the next message follow the rules
        as after any bot turn, instead of falling back.

        Args:
            conversation_id: Rasa's sender id.

        Raises:
            RasaError: Rasa failed.
        """
        await self._append(conversation_id, [{"event": "resume"}, LISTEN])

    async def hand_back(self, conversation_id: str) -> None:
        """Resume the conversation, let the bot say ``utter_handback``, then listen.

        Args:
            conversation_id: Rasa's sender id.

        Raises:
            RasaError: Rasa failed.
        """
        await self.resume(conversation_id)
        path = await self._writable(conversation_id)
        await self._call(
            "POST", f"{path}/execute", {"name": "utter_handback"}, {"output_channel": "latest"}
        )
        # ``/execute`` runs one action and stops; without the ``action_listen`` a prediction
        # loop would have added, the next message would follow ``utter_handback`` instead of
        # a listen, match no rule, and get the fallback.
        await self._append(conversation_id, LISTEN)
