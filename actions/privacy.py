"""Privacy from the chat: consent for personalisation, opt-out, access and erasure.

- The consent question is asked once per conversation, after the first products shown to a
  logged-in customer who has never answered it (``ask_consent_once``); the answer goes to
  the profile service.
- ``privacy_opt_out`` turns personalisation off in the profile service; the next turn
  reads the profile again, so it is honoured from the very next message.
- ``privacy_access`` shows what the profile service keeps.
- ``privacy_delete`` asks for confirmation; ``action_confirm_pending`` then calls
  :func:`erase`, which erases the customer in the profile service and marks the
  conversations for the tracker store to erase (``assistant/stores/erasable.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Literal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.clients.console import ConsoleUnavailable
from actions.clients.profiles import ProfilesUnavailable
from actions.orders import format_date
from actions.phrases import LanguagePhrases
from actions.rendering import format_price
from actions.runtime import Runtime, get_runtime
from contracts.profiles import Customer
from formats.text import join_values

__all__ = [
    "CONSENT_PREFIX",
    "ERASE_PREFIX",
    "ActionPrivacyOptOut",
    "ActionPrivacyAccess",
    "ActionPrivacyDelete",
    "ask_consent_once",
    "answer_consent",
    "erase",
]

logger = logging.getLogger(__name__)

CONSENT_PREFIX = "consent:"
ERASE_PREFIX = "erase_data:"
#: The consent this module asks for.
PERSONALISATION = "personalisation"


def consent_state(customer: Customer) -> bool | None:
    """The customer's answer to the personalisation question.

    Args:
        customer: The profile.

    Returns:
        True, False, or None when never asked.
    """
    consent = customer.get("consent") or {}
    state = consent.get(PERSONALISATION) or {}
    granted = state.get("granted")
    return granted if isinstance(granted, bool) else None


def ask_consent_once(
    dispatcher: CollectingDispatcher, tracker: Tracker, customer: Customer | None
) -> list[EventType]:
    """Ask for personalisation consent if this is the moment (see the module docstring).

    Args:
        dispatcher: Where messages go.
        tracker: The conversation tracker.
        customer: The verified customer's profile, or ``None`` for anonymous shoppers.

    Returns:
        ``consent_asked`` and ``pending_confirmation`` when the question was asked.
    """
    if customer is None or consent_state(customer) is not None:
        return []
    if tracker.get_slot("consent_asked") or tracker.get_slot("pending_confirmation"):
        return []
    dispatcher.utter_message(response="utter_ask_personalisation_consent")
    return [
        SlotSet("consent_asked", True),
        SlotSet("pending_confirmation", f"{CONSENT_PREFIX}{PERSONALISATION}"),
    ]


async def answer_consent(
    dispatcher: CollectingDispatcher, tracker: Tracker, runtime: Runtime, granted: bool
) -> None:
    """Store the shopper's yes or no to the consent question.

    Args:
        dispatcher: Where messages go.
        tracker: The conversation tracker.
        runtime: The runtime.
        granted: The answer.
    """
    customer_id = await runtime.identity.customer_id(tracker)
    if customer_id is None:
        dispatcher.utter_message(response="utter_ok_nothing_changed")
        return
    try:
        await runtime.profiles.set_consent(customer_id, PERSONALISATION, granted)
    except ProfilesUnavailable:
        dispatcher.utter_message(response="utter_privacy_unavailable")
        return
    runtime.personal.forget(customer_id)
    dispatcher.utter_message(
        response="utter_consent_granted" if granted else "utter_consent_declined"
    )


def _sizes(customer: Customer, phrases: LanguagePhrases) -> str:
    sizes = customer.get("sizes") or {}
    parts = [f"{phrases.show('category', category)} {size}" for category, size in sizes.items()]
    return join_values(parts, limit=8) if parts else "-"


def _names(values: list[str] | None, kind: str, phrases: LanguagePhrases) -> str:
    shown = [phrases.show(kind, value) for value in values or []]
    return join_values(shown, limit=8) if shown else "-"


def _price_band(customer: Customer) -> str:
    band = customer.get("price_band")
    if not band:
        return "-"
    currency = band.get("currency") or "USD"
    return f"{format_price(band['min'], currency)} - {format_price(band['max'], currency)}"


def access_fields(summary: dict[str, Any], phrases: LanguagePhrases) -> dict[str, Any]:
    """The template values of ``utter_privacy_access_profile``.

    Args:
        summary: The profile service's ``/summary`` answer.
        phrases: The fragments of the shopper's language.

    Returns:
        One value per placeholder.
    """
    customer: Customer = summary["customer"]
    state = consent_state(customer)
    consent = (customer.get("consent") or {}).get(PERSONALISATION) or {}
    term = {True: "consent_granted", False: "consent_declined", None: "consent_unasked"}[state]
    return {
        "name": customer.get("name") or "-",
        "email": customer.get("email") or "-",
        "phone": customer.get("phone") or "-",
        "preferred_language": phrases.term(f"language_{customer.get('preferred_language')}"),
        "sizes": _sizes(customer, phrases),
        "brands": _names(customer.get("favourite_brands"), "brand", phrases),
        "categories": _names(customer.get("favourite_categories"), "category", phrases),
        "price_band": _price_band(customer),
        "segment": phrases.term(f"segment_{customer.get('segment')}"),
        "order_count": summary.get("order_count", 0),
        "channel_links": summary.get("channel_links", 0),
        "consent_state": phrases.term(term),
        "consent_date": format_date(consent.get("updated_at"), phrases),
    }


async def _erase_in_console(
    runtime: Runtime, customer_id: str | None, conversation_ids: list[str]
) -> None:
    """Erase the console's cases, transcripts and tickets of the customer and conversations.

    Waiting handoffs of these conversations are dropped. When the console cannot be reached
    the erasures wait in the handoff queue and are retried like cases.
    """
    targets: list[tuple[Literal["erase_customer", "erase_conversation"], str]] = [
        ("erase_conversation", c) for c in conversation_ids
    ]
    if customer_id is not None:
        targets.insert(0, ("erase_customer", customer_id))
    for conversation_id in conversation_ids:
        runtime.pending_handoffs.forget_conversation(conversation_id)
    for number, (kind, target) in enumerate(targets):
        try:
            if kind == "erase_customer":
                await runtime.console.erase_customer(target)
            else:
                await runtime.console.erase_conversation(target)
        except ConsoleUnavailable:
            logger.warning("console unreachable: %d erasures wait", len(targets) - number)
            for later_kind, later_target in targets[number:]:
                runtime.pending_handoffs.add_erasure(later_kind, later_target)
            return


async def erase(
    dispatcher: CollectingDispatcher, tracker: Tracker, runtime: Runtime
) -> list[EventType]:
    """Erase the customer (or, for anonymous shoppers, this conversation).

    Args:
        dispatcher: Where messages go.
        tracker: The conversation tracker.
        runtime: The runtime.

    Returns:
        The ``privacy_erasure`` marker the tracker store acts on (empty when the profile
        service could not erase: then nothing is erased anywhere).
    """
    customer_id = await runtime.identity.customer_id(tracker)
    conversations: list[str] = []
    if customer_id is None:
        dispatcher.utter_message(response="utter_erasure_done_anonymous")
    else:
        try:
            report = await runtime.profiles.erase(customer_id)
        except ProfilesUnavailable:
            dispatcher.utter_message(response="utter_privacy_unavailable")
            return []
        runtime.personal.forget(customer_id)
        runtime.identity.forget(customer_id)
        conversations = [c for c in report.get("conversations", []) if c != tracker.sender_id]
        dispatcher.utter_message(
            response="utter_erasure_done",
            channel_links=report.get("channel_links_deleted", 0),
            orders=report.get("orders_anonymised", 0),
            conversations=len(conversations) + 1,
        )
    await _erase_in_console(runtime, customer_id, [tracker.sender_id, *conversations])
    requested = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    marker = {"conversations": conversations, "requested_at": requested}
    return [SlotSet("privacy_erasure", marker)]


class ActionPrivacyOptOut(SafeAction):
    """Turn personalisation off for the verified customer."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_privacy_opt_out"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Store the opt-out and say so.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``consent_asked`` set, so the question is not asked again in this conversation.
        """
        runtime = get_runtime()
        customer_id = await runtime.identity.customer_id(tracker)
        if customer_id is None:
            dispatcher.utter_message(response="utter_privacy_opt_out_anonymous")
            return []
        try:
            await runtime.profiles.set_consent(customer_id, PERSONALISATION, False)
        except ProfilesUnavailable:
            dispatcher.utter_message(response="utter_privacy_unavailable")
            return []
        runtime.personal.forget(customer_id)
        dispatcher.utter_message(response="utter_privacy_opted_out")
        return [SlotSet("consent_asked", True)]


class ActionPrivacyAccess(SafeAction):
    """Show what is kept about the shopper."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_privacy_access"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the profile's fields, order count and consent state.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            No events.
        """
        runtime = get_runtime()
        customer_id = await runtime.identity.customer_id(tracker)
        if customer_id is None:
            dispatcher.utter_message(response="utter_privacy_access_anonymous")
            return []
        try:
            summary = await runtime.profiles.summary(customer_id)
        except ProfilesUnavailable:
            dispatcher.utter_message(response="utter_privacy_unavailable")
            return []
        if summary is None:
            dispatcher.utter_message(response="utter_privacy_access_anonymous")
            return []
        fields = access_fields(dict(summary), runtime.phrases_for(tracker))
        dispatcher.utter_message(response="utter_privacy_access_profile", **fields)
        return []


class ActionPrivacyDelete(SafeAction):
    """Ask to confirm the erasure (``action_confirm_pending`` carries it out)."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_privacy_delete"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Say what would be erased and ask for a yes.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``pending_confirmation`` = ``erase_data:...``.
        """
        runtime = get_runtime()
        customer_id = await runtime.identity.customer_id(tracker)
        if customer_id is None:
            dispatcher.utter_message(response="utter_confirm_erasure_anonymous")
            return [SlotSet("pending_confirmation", f"{ERASE_PREFIX}conversation")]
        try:
            summary = await runtime.profiles.summary(customer_id)
        except ProfilesUnavailable:
            dispatcher.utter_message(response="utter_privacy_unavailable")
            return []
        count = summary.get("order_count", 0) if summary else 0
        dispatcher.utter_message(response="utter_confirm_erasure", order_count=count)
        return [SlotSet("pending_confirmation", f"{ERASE_PREFIX}customer")]
