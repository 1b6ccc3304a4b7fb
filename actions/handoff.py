"""Handing a conversation to a human agent in the console (issue 5, ARCHITECTURE.md).

- :func:`check_escalation` runs the escalation rules (:mod:`escalation`) on the
  conversation. It runs after every message inside ``action_validate_slot_mappings``
  through :class:`~actions.escalation_slots.EscalationSlotsMixin` (which may only set slots:
  it sets ``handoff_due`` and ``handoff_reason``, and
  ``assistant.policies.handoff.HandoffPolicy`` then runs ``action_handoff``).
- :class:`ActionHandoff` (``action_handoff``) builds the case (reason, sentiment trail,
  language, channel, verified customer and profile summary, conversation summary) and
  opens it in the console. Agents on duty: the shopper is told their place in the queue
  and the conversation is paused (``ConversationPaused``): the bot stays silent until the
  console appends ``resume``. Outside agent hours: the shopper is offered a callback or an
  email ticket and the bot carries on. Console down: the shopper is told, offered the
  ticket path, and the case is kept on disk and retried (:mod:`actions.handoff_queue`).
- :class:`ActionOpenTicket` (``action_open_ticket``) takes the phone number or email
  address the shopper gives after the offer and stores the ticket in the console.

Only the verified customer id is used (:mod:`actions.identity`); contact details are
never logged.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Literal, cast

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.clients.console import CaseRequest, ConsoleUnavailable, TicketRequest
from actions.clients.profiles import ProfilesUnavailable
from actions.constraints import CONSTRAINT_SLOTS
from actions.conversation_state import conversation_language, latest_sentiment
from actions.runtime import Runtime, get_runtime
from escalation import (
    Decision,
    EscalationState,
    SentimentEntry,
    decide,
    fallbacks_in_a_row,
    user_message_ids_since,
)

__all__ = [
    "ActionHandoff",
    "ActionOpenTicket",
    "build_case",
    "check_escalation",
    "find_contact",
    "start_retries",
]

logger = logging.getLogger(__name__)

#: How many recent messages the case's summary quotes, and at most how long each.
LAST_MESSAGES = 6
MESSAGE_CHARS = 500
#: Caps on the summary's lists.
MAX_INTENTS = 20
MAX_PRODUCTS = 20
MAX_ORDER_IDS = 10

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE_RE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
_DECLINE_INTENTS = frozenset({"deny", "goodbye"})


# --- reading the conversation --------------------------------------------------------------


def _user_events(tracker: Tracker) -> list[dict[str, Any]]:
    return [e for e in tracker.events or [] if e.get("event") == "user"]


def _latest_channel(tracker: Tracker) -> str:
    channel = tracker.get_latest_input_channel()
    return channel if isinstance(channel, str) and channel else "unknown"


def _latest_intent(tracker: Tracker) -> str | None:
    name = (tracker.latest_message.get("intent") or {}).get("name")
    return name if isinstance(name, str) else None


def _intensity(parse: Any) -> float | None:
    sentiment = parse.get("sentiment") if isinstance(parse, dict) else None
    value = sentiment.get("intensity") if isinstance(sentiment, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _with_intensity(tracker: Tracker, trail: list[SentimentEntry]) -> list[SentimentEntry]:
    """The trail's entries with the sentiment intensity the NLU gave each message.

    The ``sentiment_trail`` slot keeps label and score; the intensity is read from the
    user events' parse data (and the latest message), matched by message id.
    """
    found: dict[str, float] = {}
    for event in tracker.events or []:
        message_id = event.get("message_id")
        value = _intensity(event.get("parse_data")) if event.get("event") == "user" else None
        if isinstance(message_id, str) and value is not None:
            found[message_id] = value
    latest_id = tracker.latest_message.get("message_id")
    latest_value = _intensity(tracker.latest_message)
    if isinstance(latest_id, str) and latest_value is not None:
        found[latest_id] = latest_value
    entries: list[SentimentEntry] = []
    for entry in trail:
        message_id = entry.get("message_id")
        value = found.get(message_id) if isinstance(message_id, str) else None
        if value is not None and entry.get("intensity") is None:
            entry = cast(SentimentEntry, {**entry, "intensity": value})
        entries.append(entry)
    return entries


def _trail(tracker: Tracker) -> list[SentimentEntry]:
    """The sentiment trail since the last handoff, with the latest message's entry.

    Inside ``action_validate_slot_mappings`` the slot may not hold the latest message's
    sentiment yet; it is appended here when missing. Each entry carries the message's
    sentiment intensity when the NLU gave one.
    """
    raw = tracker.get_slot("sentiment_trail")
    trail = cast(
        list[SentimentEntry],
        [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else [],
    )
    latest = latest_sentiment(tracker)
    if latest is not None and not (
        latest["message_id"] is not None
        and any(e.get("message_id") == latest["message_id"] for e in trail)
    ):
        trail.append(cast(SentimentEntry, latest))
    since = user_message_ids_since(tracker.events or [], "action_handoff")
    if since is not None:
        trail = [e for e in trail if e.get("message_id") in since]
    return _with_intensity(tracker, trail)


async def _segment(runtime: Runtime, customer_id: str | None) -> str | None:
    if customer_id is None:
        return None
    try:
        customer = await runtime.profiles.get_customer(customer_id)
    except ProfilesUnavailable:
        return None
    return customer["segment"] if customer is not None else None


async def check_escalation(tracker: Tracker, runtime: Runtime) -> Decision | None:
    """Run the escalation rules on the conversation.

    The profile (for the VIP rule) is read only when the latest message is a complaint of
    a verified customer; an unreachable profile service makes the customer non-VIP.

    Args:
        tracker: The conversation tracker.
        runtime: The process's runtime (rules, identity, profile client).

    Returns:
        The rule that fired, or ``None``.
    """
    config = runtime.escalation
    intent = _latest_intent(tracker)
    segment = None
    if intent in config.complaint_intents:
        segment = await _segment(runtime, await runtime.identity.customer_id(tracker))
    state = EscalationState(
        intent=intent,
        trail=_trail(tracker),
        fallbacks_in_a_row=fallbacks_in_a_row(tracker.events or [], config),
        segment=segment,
        language=conversation_language(tracker),
    )
    return decide(state, config)


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)[:200]
    return str(value)[:200]


def _summary(tracker: Tracker) -> dict[str, Any]:
    intents: list[str] = []
    order_ids: list[str] = []
    for event in _user_events(tracker):
        parse = event.get("parse_data") or {}
        name = (parse.get("intent") or {}).get("name")
        if isinstance(name, str) and name not in intents:
            intents.append(name)
        for entity in parse.get("entities") or []:
            value = entity.get("value")
            if (
                entity.get("entity") == "order_id"
                and isinstance(value, str)
                and value not in order_ids
            ):
                order_ids.append(value)
    slot_order = tracker.get_slot("order_id")
    if isinstance(slot_order, str) and slot_order and slot_order not in order_ids:
        order_ids.append(slot_order)
    # The console shows constraints as short texts: numbers (price limits) and lists
    # (colours) are written out, as an agent would read them.
    constraints = {
        name: _as_text(tracker.get_slot(name))
        for name in (*CONSTRAINT_SLOTS, "search_query")
        if tracker.get_slot(name) not in (None, "", [])
    }
    shown = tracker.get_slot("shown_products")
    products = [p for p in shown if isinstance(p, str)] if isinstance(shown, list) else []
    messages = [
        {
            "from": "shopper" if e["event"] == "user" else "bot",
            "text": str(e["text"])[:MESSAGE_CHARS],
        }
        for e in tracker.events or []
        if e.get("event") in ("user", "bot") and e.get("text")
    ]
    return {
        "intents": intents[-MAX_INTENTS:],
        "constraints": constraints,
        "products_shown": products[:MAX_PRODUCTS],
        "order_ids": order_ids[-MAX_ORDER_IDS:],
        "last_messages": messages[-LAST_MESSAGES:],
    }


async def _profile(runtime: Runtime, customer_id: str | None) -> dict[str, Any] | None:
    """The profile summary for the agent, or ``None`` (anonymous, unknown, unreachable)."""
    if customer_id is None:
        return None
    try:
        summary = await runtime.profiles.summary(customer_id)
    except ProfilesUnavailable:
        return None
    if summary is None:
        return None
    customer = summary["customer"]
    return {
        "name": customer["name"],
        "segment": customer["segment"],
        "preferred_language": customer["preferred_language"],
        "order_count": summary["order_count"],
        "consent": dict(customer["consent"]),
    }


async def build_case(tracker: Tracker, runtime: Runtime, decision: Decision) -> CaseRequest:
    """The console case for the conversation.

    Args:
        tracker: The conversation tracker.
        runtime: The process's runtime.
        decision: Why the conversation is handed off.

    Returns:
        The ``POST /api/v1/cases`` body (docs/console-api.md).
    """
    customer_id = await runtime.identity.customer_id(tracker)
    profile = await _profile(runtime, customer_id)
    vip = profile is not None and profile["segment"] in runtime.escalation.vip_segments
    trail = [
        {"label": e.get("label"), "score": e.get("score"), "intent": e.get("intent")}
        for e in _trail(tracker)
    ]
    return {
        "conversation_id": str(tracker.sender_id),
        "channel": _latest_channel(tracker),
        "language": conversation_language(tracker),
        "reason": decision.reason,
        "reason_detail": decision.detail,
        "customer_id": customer_id,
        "profile": profile,
        "sentiment_trail": trail,
        "summary": _summary(tracker),
        "priority_hint": "vip" if vip else "normal",
    }


def find_contact(text: str) -> tuple[Literal["callback", "email"], str] | None:
    """An email address or phone number in the shopper's message.

    Args:
        text: The message.

    Returns:
        ``("email", address)``, ``("callback", number)``, or ``None``.
    """
    email = _EMAIL_RE.search(text)
    if email:
        return "email", email.group(0)
    phone = _PHONE_RE.search(text)
    if phone and sum(ch.isdigit() for ch in phone.group(0)) >= 7:
        return "callback", phone.group(0).strip()
    return None


def start_retries(runtime: Runtime) -> None:
    """Start the retry timer (once per loop) and a round when cases wait."""
    runtime.handoff_retrier.ensure_timer()
    runtime.handoff_retrier.kick()


# --- actions -----------------------------------------------------------------------------


class ActionHandoff(SafeAction):
    """Opens the case in the console and pauses the conversation (see the module doc)."""

    def name(self) -> str:
        """The action's name."""
        return "action_handoff"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Hand off, offer a ticket, or report the console down (case kept for retry).

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``ConversationPaused`` on success; otherwise the ticket offer's slots and
            ``FollowupAction("action_listen")``.
        """
        runtime = get_runtime()
        start_retries(runtime)
        decision = await self._decision(tracker, runtime)
        case = await build_case(tracker, runtime, decision)
        done: list[EventType] = [SlotSet("handoff_due", False)]
        offer: list[EventType] = [
            *done,
            SlotSet("handoff_reason", decision.reason),
            SlotSet("ticket_offered", True),
            FollowupAction("action_listen"),
        ]
        try:
            availability = await runtime.console.availability()
            if not availability.get("open", False):
                dispatcher.utter_message(response="utter_handoff_offer_ticket")
                return offer
            opened = await runtime.console.open_case(case)
        except ConsoleUnavailable as exc:
            if exc.service_failure:
                runtime.pending_handoffs.add_case(case)
                logger.warning("console down: the case waits for a retry")
            else:
                logger.error("the console refused the case (%s)", exc)
            dispatcher.utter_message(response="utter_handoff_console_down")
            dispatcher.utter_message(response="utter_handoff_offer_ticket")
            return offer
        runtime.pending_handoffs.remove("case", case["conversation_id"])
        dispatcher.utter_message(
            response="utter_handoff_queued", position=int(opened.get("queue_position", 1))
        )
        return [
            *done,
            SlotSet("handoff_reason", None),
            SlotSet("ticket_offered", False),
            ConversationPaused(),
        ]

    @staticmethod
    async def _decision(tracker: Tracker, runtime: Runtime) -> Decision:
        """The rule that fired now, else the reason a rule or check left in the slot."""
        decision = await check_escalation(tracker, runtime)
        given = tracker.get_slot("handoff_reason")
        if decision is not None and (given is None or decision.reason == given):
            return decision
        if isinstance(given, str) and given:
            return Decision(given, f"escalation rule {given}")
        # Run by a rule without a reason the rules recognise: the shopper's own request.
        return Decision("request_human", "the shopper asked for a person")


class ActionOpenTicket(SafeAction):
    """Stores a callback or email ticket from the contact the shopper gave."""

    def name(self) -> str:
        """The action's name."""
        return "action_open_ticket"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Open the ticket, ask for the contact, or drop the offer on "no".

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            The offer's slots cleared once the ticket is stored or declined.
        """
        runtime = get_runtime()
        start_retries(runtime)
        cleared: list[EventType] = [
            SlotSet("ticket_offered", False),
            SlotSet("handoff_reason", None),
        ]
        if _latest_intent(tracker) in _DECLINE_INTENTS:
            dispatcher.utter_message(response="utter_ticket_declined")
            return cleared
        found = find_contact(str(tracker.latest_message.get("text") or ""))
        if found is None:
            dispatcher.utter_message(response="utter_ask_ticket_contact")
            return []
        kind, contact = found
        reason = tracker.get_slot("handoff_reason")
        ticket: TicketRequest = {
            "conversation_id": str(tracker.sender_id),
            "customer_id": await runtime.identity.customer_id(tracker),
            "language": conversation_language(tracker),
            "kind": kind,
            "contact": contact,
            "reason": reason if isinstance(reason, str) and reason else "request_human",
            "summary": _summary(tracker),
        }
        try:
            await runtime.console.open_ticket(ticket)
        except ConsoleUnavailable as exc:
            if not exc.service_failure:
                logger.error("the console refused the ticket (%s)", exc)
                dispatcher.utter_message(response="utter_handoff_console_down")
                return cleared
            runtime.pending_handoffs.add_ticket(ticket)
            logger.warning("console down: the ticket waits for a retry")
        dispatcher.utter_message(response="utter_ticket_opened")
        return cleared
