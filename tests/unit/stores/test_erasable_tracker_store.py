"""The erasable tracker store: "delete my data" removes conversations from both SQL tables."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from rasa.core.brokers.sql import SQLEventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.erasable import ERASURE_SLOT, ErasableSQLTrackerStore, erasure_request

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
slots:
  privacy_erasure:
    type: any
    influence_conversation: false
    mappings: [{type: custom}]
"""
)


def _store(tmp_path: Path) -> ErasableSQLTrackerStore:
    broker = SQLEventBroker(db=str(tmp_path / "events.db"))
    return ErasableSQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"), event_broker=broker
    )


def _rows(path: Path, sender: str) -> list[str]:
    with sqlite3.connect(path) as db:
        return [
            row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))
        ]


def _talk(store: ErasableSQLTrackerStore, sender: str, text: str) -> DialogueStateTracker:
    tracker = asyncio.run(store.get_or_create_tracker(sender))
    tracker.update(UserUttered(text, {"name": "greet"}))
    tracker.update(BotUttered(f"echo {text}"))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    return tracker


def test_ordinary_saves_append_like_the_sql_store(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _talk(store, "alice", "my email is alice@example.com")
    _talk(store, "alice", "second message")
    texts = [json.loads(d).get("text") for d in _rows(tmp_path / "tracker.db", "alice")]
    assert "my email is alice@example.com" in texts and "second message" in texts
    assert any("second message" in d for d in _rows(tmp_path / "events.db", "alice"))


def test_the_marker_erases_this_and_the_listed_conversations_in_both_tables(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    _talk(store, "alice-web", "my address is 14 Alder Street")
    _talk(store, "alice-telegram", "hello from telegram")
    _talk(store, "bob", "bob's own message")
    tracker = asyncio.run(store.get_or_create_tracker("alice-web"))
    tracker.update(UserUttered("yes, delete my data", {"name": "affirm"}))
    tracker.update(BotUttered("Done. I erased your customer profile"))
    tracker.update(
        SlotSet(ERASURE_SLOT, {"conversations": ["alice-telegram"], "requested_at": "x"})
    )
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))

    for table in ("tracker.db", "events.db"):
        web = " ".join(_rows(tmp_path / table, "alice-web"))
        assert "Alder Street" not in web and "delete my data" not in web
        assert "erased your customer profile" not in web
        assert _rows(tmp_path / table, "alice-telegram") == []
        assert any("bob's own message" in d for d in _rows(tmp_path / table, "bob"))
    # only what followed the marker is kept, and the conversation goes on from there
    kept = [json.loads(d)["event"] for d in _rows(tmp_path / "tracker.db", "alice-web")]
    assert kept == ["action"]
    _talk(store, "alice-web", "a new start")
    again = asyncio.run(store.retrieve("alice-web"))
    assert again is not None
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["a new start"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"conversations": ["a", "b"]}, {"a", "b"}),
        ({"conversations": []}, set()),
        ({"conversations": [None, 3, "x" * 300]}, {"3"}),
        ({"something": "else"}, set()),
    ],
)
def test_erasure_request_reads_only_sensible_ids(value: object, expected: set[str]) -> None:
    found = erasure_request([SlotSet("other", 1), SlotSet(ERASURE_SLOT, value)])
    assert found == (1, expected)


def test_no_marker_or_an_empty_marker_is_no_request() -> None:
    assert erasure_request([SlotSet("other", 1)]) is None
    assert erasure_request([SlotSet(ERASURE_SLOT, None)]) is None
