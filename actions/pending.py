"""``action_confirm_pending`` / ``action_decline_pending``: answer the bot's yes/no question.

``pending_confirmation`` holds ``<kind>:<argument>``; kinds are ``cancel_order``,
``return_order`` (argument: order id), ``relax_search`` (argument: the constraint to
drop), ``consent`` (the personalisation question) and ``erase_data`` ("delete my data").
Both actions always clear the slot.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.clients.orders import OrdersClientError
from actions.constraints import RELAXABLE, SearchConstraints
from actions.entities import clean_user_text
from actions.orders import CANCEL_PREFIX, RETURN_PREFIX, format_date
from actions.phrases import LanguagePhrases
from actions.privacy import CONSENT_PREFIX, ERASE_PREFIX, answer_consent, erase
from actions.rendering import describe_constraint, format_price
from actions.runtime import Runtime, get_runtime
from actions.search import RELAX_PREFIX, run_search

__all__ = ["ActionConfirmPending", "ActionDeclinePending", "return_reason"]

_YES_NO_RE = re.compile(
    r"^\W*(yes|yeah|yep|yup|sure|ok(ay)?|please|do it|go ahead|confirm(ed)?|right|"
    r"correct|absolutely|of course|y)\W*$",
    re.IGNORECASE,
)
_CLEAR = SlotSet("pending_confirmation", None)


def return_reason(text: str) -> str:
    """The reason a shopper gave with their "yes" ("yes, they're too small").

    Args:
        text: The confirming message.

    Returns:
        The cleaned reason, or ``"not given"`` for a bare yes.
    """
    cleaned = clean_user_text(text, 200)
    head = re.sub(r"^\W*(yes|yeah|yep|sure|ok(ay)?|please)\b[\s,.!-]*", "", cleaned, flags=re.I)
    if not head or _YES_NO_RE.match(cleaned):
        return "not given"
    return head


def _pending(tracker: Tracker) -> tuple[str, str] | None:
    value = tracker.get_slot("pending_confirmation")
    if not isinstance(value, str) or ":" not in value:
        return None
    kind, _, argument = value.partition(":")
    return kind + ":", argument


async def _confirm_cancel(
    dispatcher: CollectingDispatcher,
    runtime: Runtime,
    order_id: str,
    customer: str | None,
    phrases: LanguagePhrases,
) -> None:
    result = await runtime.orders.cancel_order(order_id, customer)
    outcome = result["outcome"]
    if outcome == "ok":
        order = result.get("order")
        refunds = order.get("refunds", []) if order else []
        history = order["status_history"] if order else []
        was_paid = len(history) >= 2 and history[-2]["status"] == "paid"
        if refunds and was_paid:
            refund = refunds[-1]
            dispatcher.utter_message(
                response="utter_order_cancelled_refund",
                order_id=order_id,
                amount=format_price(refund["amount"], refund["currency"]),
                expected_by=format_date(refund.get("expected_by"), phrases),
            )
        else:
            dispatcher.utter_message(response="utter_order_cancelled", order_id=order_id)
    elif outcome == "not_found":
        dispatcher.utter_message(response="utter_order_not_found", order_id=order_id)
    else:
        dispatcher.utter_message(response="utter_cannot_cancel_now", order_id=order_id)


async def _confirm_return(
    dispatcher: CollectingDispatcher,
    runtime: Runtime,
    order_id: str,
    customer: str | None,
    reason: str,
    phrases: LanguagePhrases,
) -> None:
    result = await runtime.orders.start_return(order_id, reason, customer)
    outcome = result["outcome"]
    request = result.get("return_request")
    if outcome == "ok" and request is not None:
        dispatcher.utter_message(
            response="utter_return_started",
            order_id=order_id,
            return_id=request["return_id"],
            label_url=request.get("label_url", "-"),
        )
    elif outcome == "not_found":
        dispatcher.utter_message(response="utter_order_not_found", order_id=order_id)
    elif outcome == "outside_window":
        order = result.get("order")
        dispatcher.utter_message(
            response="utter_return_outside_window",
            order_id=order_id,
            window_end=format_date(order.get("return_window_ends") if order else None, phrases),
        )
    else:
        dispatcher.utter_message(response="utter_return_not_possible_now", order_id=order_id)


class ActionConfirmPending(SafeAction):
    """Carry out what the bot asked about and clear ``pending_confirmation``."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_confirm_pending"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Cancel the order, start the return, or re-run the relaxed search.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``pending_confirmation`` cleared (plus the search's slots for a relaxation).
        """
        pending = _pending(tracker)
        if pending is None:
            dispatcher.utter_message(response="utter_nothing_pending")
            return [_CLEAR]
        kind, argument = pending
        runtime = get_runtime()
        if kind == CONSENT_PREFIX:
            await answer_consent(dispatcher, tracker, runtime, True)
            return [_CLEAR]
        if kind == ERASE_PREFIX:
            return [_CLEAR, *await erase(dispatcher, tracker, runtime)]
        customer = await runtime.identity.customer_id(tracker)
        if customer is None and kind in (CANCEL_PREFIX, RETURN_PREFIX):
            dispatcher.utter_message(response="utter_login_required")
            return [_CLEAR]
        try:
            if kind == CANCEL_PREFIX:
                await _confirm_cancel(
                    dispatcher, runtime, argument, customer, runtime.phrases_for(tracker)
                )
            elif kind == RETURN_PREFIX:
                reason = return_reason(str(tracker.latest_message.get("text") or ""))
                await _confirm_return(
                    dispatcher, runtime, argument, customer, reason, runtime.phrases_for(tracker)
                )
            elif kind == RELAX_PREFIX and argument in RELAXABLE:
                relaxed = SearchConstraints.from_tracker(tracker).without(argument)
                query = str(tracker.get_slot("search_query") or "")
                personal = await runtime.personal.context(customer, runtime.catalog)
                events = run_search(dispatcher, tracker, runtime, relaxed, query, personal=personal)
                return [_CLEAR, *[e for e in events if e.get("name") != "pending_confirmation"]]
            else:
                dispatcher.utter_message(response="utter_nothing_pending")
        except OrdersClientError:
            dispatcher.utter_message(response="utter_orders_unavailable")
        return [_CLEAR]


class ActionDeclinePending(SafeAction):
    """Drop what the bot asked about and clear ``pending_confirmation``."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_decline_pending"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Say that nothing was changed.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``pending_confirmation`` cleared.
        """
        pending = _pending(tracker)
        kind, argument = pending if pending else ("", "")
        if kind == CONSENT_PREFIX:
            await answer_consent(dispatcher, tracker, get_runtime(), False)
        elif kind == ERASE_PREFIX:
            dispatcher.utter_message(response="utter_erasure_kept")
        elif kind == CANCEL_PREFIX:
            dispatcher.utter_message(response="utter_cancel_kept", order_id=argument)
        elif kind == RETURN_PREFIX:
            dispatcher.utter_message(response="utter_return_not_started", order_id=argument)
        elif kind == RELAX_PREFIX:
            constraints = SearchConstraints.from_tracker(tracker)
            dispatcher.utter_message(
                response="utter_search_kept",
                constraint=describe_constraint(
                    argument, constraints, get_runtime().phrases_for(tracker)
                )
                or argument,
            )
        else:
            dispatcher.utter_message(response="utter_ok_nothing_changed")
        return [_CLEAR]
