""" "Delete my data" erases the console's records too, now or, when it is down, later.

``actions.privacy.erase`` asks the console to erase the customer and each of the customer's
conversations (this one and the older ones the profile service knows). Against the real
profile service (conftest.py) and the real console app (``tests/support/console_app.py``),
both reached through ``httpx.ASGITransport``; only the network to the console is simulated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from action_helpers import response_names, run_action, slot_events, tracker_from

from actions.clients.profiles import ProfileClient
from actions.handoff import ActionHandoff, ActionOpenTicket
from actions.pending import ActionConfirmPending
from actions.runtime import Runtime, reset_runtime, set_runtime
from actions.settings import ActionSettings
from tests.support.console_app import LiveConsole

pytestmark = pytest.mark.asyncio

CUSTOMER = "CUS-1002"
OTHER_CUSTOMER = "CUS-1001"


@pytest.fixture
def erasure_runtime(
    profile_client: ProfileClient, console: LiveConsole, tmp_path: Path
) -> Iterator[Runtime]:
    """A runtime with the real profile service, the real console and a temporary queue."""
    settings = ActionSettings(handoff_queue=tmp_path / "handoff" / "pending.jsonl")
    installed = Runtime(
        settings,
        catalog=lambda: pytest.fail("erasure must not load the catalog"),
        profiles=profile_client,
        console=console.client(retries=1),
    )
    set_runtime(installed)
    yield installed
    reset_runtime()


def tracker(
    sender: str,
    customer_id: str | None,
    text: str,
    intent: str,
    slots: dict[str, Any] | None = None,
) -> Any:
    """A socketio conversation at its latest message (verified customer or anonymous)."""
    metadata = {"customer_id": customer_id, "identity": {"verified": True}} if customer_id else {}
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [],
        "metadata": metadata,
    }
    return tracker_from(
        {
            "sender_id": sender,
            "slots": {"language": "en", **(slots or {})},
            "latest_message": latest,
            "latest_input_channel": "socketio",
        }
    )


async def hand_off(sender: str, customer_id: str | None) -> list[str]:
    """The shopper asks for a person; returns the bot's responses."""
    _, messages = await run_action(
        ActionHandoff(), tracker(sender, customer_id, "a person please", "request_human"), {}
    )
    return response_names(messages)


async def leave_ticket(sender: str, customer_id: str | None) -> None:
    slots = {"ticket_offered": True, "handoff_reason": "request_human"}
    found = tracker(sender, customer_id, "mail me: ana@example.com", "inform", slots)
    _, messages = await run_action(ActionOpenTicket(), found, {})
    assert response_names(messages) == ["utter_ticket_opened"]


async def confirm_erasure(sender: str, customer_id: str | None) -> list[str]:
    """The shopper says yes to "delete my data?"; returns the bot's responses."""
    what = "customer" if customer_id else "conversation"
    slots = {"pending_confirmation": f"erase_data:{what}"}
    events, messages = await run_action(
        ActionConfirmPending(), tracker(sender, customer_id, "yes", "affirm", slots), {}
    )
    assert "privacy_erasure" in slot_events(events)
    return response_names(messages)


def conversations_of(console: LiveConsole) -> list[str]:
    return [case.conversation_id for case in console.cases()]


async def _customer_with_cases(runtime: Runtime, console: LiveConsole) -> None:
    """CUS-1002: a case from an older conversation, a case and a ticket from this one
    (opened before the shopper logged in); CUS-1001: a case of their own."""
    await runtime.profiles.record_conversation(CUSTOMER, "s-old", "socketio")
    assert await hand_off("s-old", CUSTOMER) == ["utter_handoff_queued"]
    assert await hand_off("s-now", None) == ["utter_handoff_queued"]
    await leave_ticket("s-now", None)
    assert await hand_off("s-other", OTHER_CUSTOMER) == ["utter_handoff_queued"]
    await runtime.identity.settle()
    assert conversations_of(console) == ["s-old", "s-now", "s-other"]
    assert len(console.tickets()) == 1


async def test_erasure_removes_the_customers_cases_and_tickets_from_the_console(
    erasure_runtime: Runtime, console: LiveConsole
) -> None:
    await _customer_with_cases(erasure_runtime, console)
    assert await confirm_erasure("s-now", CUSTOMER) == ["utter_erasure_done"]
    assert console.cases(customer_id=CUSTOMER) == []
    assert conversations_of(console) == ["s-other"]
    assert console.tickets() == []
    async with console.agent() as agent:
        assert [row["queue_position"] for row in await agent.queue()] == [1]
    assert len(erasure_runtime.pending_handoffs) == 0


async def test_anonymous_erasure_removes_this_conversations_case(
    erasure_runtime: Runtime, console: LiveConsole
) -> None:
    assert await hand_off("s-anon", None) == ["utter_handoff_queued"]
    await leave_ticket("s-anon", None)
    assert await hand_off("s-other", OTHER_CUSTOMER) == ["utter_handoff_queued"]
    assert await confirm_erasure("s-anon", None) == ["utter_erasure_done_anonymous"]
    assert conversations_of(console) == ["s-other"]
    assert console.tickets() == []


async def test_erasure_while_the_console_is_down_waits_and_is_sent_later(
    erasure_runtime: Runtime, console: LiveConsole
) -> None:
    await _customer_with_cases(erasure_runtime, console)
    console.mode = "down"
    # A handoff fails while down: its case waits to be sent.
    assert await hand_off("s-now", CUSTOMER) == [
        "utter_handoff_console_down",
        "utter_handoff_offer_ticket",
    ]
    pending = erasure_runtime.pending_handoffs
    assert [(e["kind"], e["conversation_id"]) for e in pending.entries()] == [("case", "s-now")]

    assert await confirm_erasure("s-now", CUSTOMER) == ["utter_erasure_done"]
    # The waiting case is dropped (it would bring the data back); the erasures wait.
    waiting = [(e["kind"], e["conversation_id"]) for e in pending.entries()]
    assert waiting == [
        ("erase_customer", CUSTOMER),
        ("erase_conversation", "s-now"),
        ("erase_conversation", "s-old"),
    ]
    # Nothing reached the console yet.
    assert conversations_of(console) == ["s-old", "s-now", "s-other"]
    # Forgetting a conversation keeps the erasures: they are what forgets it.
    pending.forget_conversation("s-old")
    pending.forget_conversation(CUSTOMER)
    assert [(e["kind"], e["conversation_id"]) for e in pending.entries()] == waiting
    # Still down: a retry round keeps everything.
    assert await erasure_runtime.handoff_retrier.retry_now() == 0
    assert len(pending) == 3

    console.mode = "open"
    assert await erasure_runtime.handoff_retrier.retry_now() == 3
    assert len(pending) == 0
    assert conversations_of(console) == ["s-other"]
    assert console.tickets() == []
    assert console.cases(customer_id=CUSTOMER) == []


async def test_a_repeated_erasure_while_down_is_queued_once(
    erasure_runtime: Runtime, console: LiveConsole
) -> None:
    assert await hand_off("s-anon", None) == ["utter_handoff_queued"]
    console.mode = "down"
    for _ in range(2):
        assert await confirm_erasure("s-anon", None) == ["utter_erasure_done_anonymous"]
    entries = erasure_runtime.pending_handoffs.entries()
    assert [(e["kind"], e["conversation_id"]) for e in entries] == [
        ("erase_conversation", "s-anon")
    ]
    console.mode = "open"
    assert await erasure_runtime.handoff_retrier.retry_now() == 1
    assert console.cases() == []
