"""The dashboard's handoff rate, from a real SQLite file with Rasa's SQL event broker schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from console_helpers import START, TOKEN, Console

from console.dashboard import local_midnight
from console.events import ActiveConversations, EventsUnavailable, make_events_engine
from console.hours import parse_hours
from console.settings import load_settings

# What rasa/core/brokers/sql.py (SQLBrokerEvent) creates with metadata.create_all on SQLite.
SCHEMA = (
    "CREATE TABLE events (id INTEGER NOT NULL, sender_id VARCHAR(255), data TEXT, PRIMARY KEY (id))"
)
TODAY = START.replace(hour=0)  # 2025-06-02 00:00 UTC


class Broker:
    """Writes events the way Rasa's SQLEventBroker.publish does."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with sqlite3.connect(path) as conn:
            conn.execute(SCHEMA)

    def publish(self, sender: str, kind: str, at: dt.datetime, **extra: object) -> None:
        event = {"event": kind, "timestamp": at.timestamp(), "sender_id": sender, **extra}
        with sqlite3.connect(self.path) as conn:
            conn.execute(
                "INSERT INTO events (sender_id, data) VALUES (?, ?)", (sender, json.dumps(event))
            )

    def raw(self, sender: str, data: str) -> None:
        with sqlite3.connect(self.path) as conn:
            conn.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)", (sender, data))


@pytest.fixture
def broker(tmp_path: Path) -> Broker:
    return Broker(tmp_path / "events.db")


@pytest.fixture
def console_with_events(sqlite_url: str, broker: Broker) -> Iterator[Console]:
    app = Console(sqlite_url, events_database_url=f"sqlite:///{broker.path}")
    yield app
    app.close()


def _day(broker: Broker) -> None:
    broker.publish("yesterday", "user", TODAY - dt.timedelta(minutes=1), text="hi")
    broker.publish("s-1", "user", TODAY + dt.timedelta(hours=9), text="hola")
    broker.publish("s-1", "bot", TODAY + dt.timedelta(hours=9, seconds=1), text="¡Hola!")
    broker.publish("s-2", "user", TODAY + dt.timedelta(hours=9, minutes=30), text="hi")
    broker.publish("bot-only", "bot", TODAY + dt.timedelta(hours=9), text="proactive")
    broker.publish("s-3", "action", TODAY + dt.timedelta(hours=9), name="action_listen")
    broker.publish("s-3", "user", TODAY + dt.timedelta(hours=9, minutes=45), text='"user"')


def test_handoff_rate_counts_conversations_with_a_user_message_today(
    console_with_events: Console, broker: Broker
) -> None:
    _day(broker)
    console_with_events.open_case("s-1")
    admin = console_with_events.agent()
    figures = admin.get("/dashboard.json").json()
    assert figures["conversations_today"] == 3  # s-1, s-2, s-3
    assert figures["handed_off_conversations_today"] == 1
    assert figures["handoff_rate"] == pytest.approx(1 / 3)
    assert figures["handoff_rate_note"] is None
    page = admin.get("/dashboard").text
    assert "33.3% (1 of 3 conversations)" in page


def test_new_events_are_counted_and_a_new_day_starts_over(
    console_with_events: Console, broker: Broker
) -> None:
    _day(broker)
    admin = console_with_events.agent()
    assert admin.get("/dashboard.json").json()["conversations_today"] == 3
    broker.publish("s-4", "user", START, text="late")
    console_with_events.open_case("s-4")
    figures = admin.get("/dashboard.json").json()
    assert (figures["conversations_today"], figures["handed_off_conversations_today"]) == (4, 1)
    assert figures["handoff_rate"] == pytest.approx(0.25)

    console_with_events.clock.now = START + dt.timedelta(days=1)
    broker.publish("s-5", "user", START + dt.timedelta(days=1), text="tomorrow")
    admin = console_with_events.agent()  # yesterday's session may have idled out
    figures = admin.get("/dashboard.json").json()
    assert figures["conversations_today"] == 1 and figures["handoff_rate"] == 0.0
    assert figures["handoffs_today"] == 0


def test_a_handed_off_conversation_counts_as_active(
    console_with_events: Console, broker: Broker
) -> None:
    # A case the action server retried after midnight, for a message sent before it.
    broker.publish("late", "user", TODAY - dt.timedelta(minutes=2))
    console_with_events.open_case("late")
    figures = console_with_events.agent().get("/dashboard.json").json()
    assert figures["conversations_today"] == 1 and figures["handoff_rate"] == 1.0


def test_today_starts_at_midnight_in_the_console_time_zone(sqlite_url: str, broker: Broker) -> None:
    hours = parse_hours("Mon-Fri 00:00-24:00", "America/New_York")  # EDT, UTC-4
    console = Console(sqlite_url, events_database_url=f"sqlite:///{broker.path}", hours=hours)
    try:
        local_start = dt.datetime(2025, 6, 2, 4, 0, tzinfo=dt.timezone.utc)
        assert local_midnight(START, "America/New_York") == local_start
        broker.publish("before", "user", local_start - dt.timedelta(seconds=1))
        broker.publish("after", "user", local_start)
        console.clock.now = local_start - dt.timedelta(minutes=5)
        console.open_case("before")
        console.clock.now = START
        figures = console.agent().get("/dashboard.json").json()
        assert figures["conversations_today"] == 1 and figures["handoffs_today"] == 0
        assert figures["handoff_rate"] == 0.0
    finally:
        console.close()


def test_many_rows_and_bad_rows(tmp_path: Path) -> None:
    broker = Broker(tmp_path / "big.db")
    with sqlite3.connect(broker.path) as conn:
        rows = []
        for n in range(3000):
            at = TODAY - dt.timedelta(hours=30) + dt.timedelta(seconds=30 * n)
            event = {"event": "user", "timestamp": at.timestamp(), "text": "x"}
            rows.append((f"c-{n % 700}", json.dumps(event)))
        conn.executemany("INSERT INTO events (sender_id, data) VALUES (?, ?)", rows)
    broker.raw("broken", "{not json")
    broker.raw("no-stamp", json.dumps({"event": "user"}))
    broker.raw("list", json.dumps(["user"]))
    expected = {
        f"c-{n % 700}"
        for n in range(3000)
        if TODAY - dt.timedelta(hours=30) + dt.timedelta(seconds=30 * n) >= TODAY
    }
    counter = ActiveConversations(lambda: make_events_engine(f"sqlite:///{broker.path}"))
    try:
        assert counter.since(TODAY) == expected
        assert counter.since(TODAY) == expected  # incremental: the same answer again
        broker.publish("fresh", "user", START)
        assert counter.since(TODAY) == expected | {"fresh"}
    finally:
        counter.close()


def test_a_path_with_spaces_and_unicode(tmp_path: Path) -> None:
    folder = tmp_path / "odd dir ü"
    folder.mkdir()
    broker = Broker(folder / "events.db")
    broker.publish("s-1", "user", START)
    counter = ActiveConversations(lambda: make_events_engine(f"sqlite:///{broker.path}"))
    try:
        assert counter.since(TODAY) == {"s-1"}
    finally:
        counter.close()


def test_the_broker_file_is_only_read(broker: Broker) -> None:
    _day(broker)
    before = hashlib.sha256(broker.path.read_bytes()).hexdigest()
    counter = ActiveConversations(lambda: make_events_engine(f"sqlite:///{broker.path}"))
    try:
        assert counter.since(TODAY) == {"s-1", "s-2", "s-3"}
    finally:
        counter.close()
    assert hashlib.sha256(broker.path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in broker.path.parent.iterdir()) == ["events.db"]


@pytest.mark.parametrize(
    ("url", "note"),
    [
        (None, "CONSOLE_EVENTS_DATABASE_URL is not set"),
        ("sqlite:///{dir}/missing.db", "event broker database unreadable (OperationalError)"),
        ("sqlite:///{dir}/empty.db", "no events table yet (Rasa creates it when it starts)"),
        ("not a url", "CONSOLE_EVENTS_DATABASE_URL is not a database URL"),
        ("sqlite://", "CONSOLE_EVENTS_DATABASE_URL must name a SQLite file"),
        (
            "postgresql+psycopg://nobody:secret-pw@127.0.0.1:1/rasa_events",
            "event broker database unreadable (OperationalError)",
        ),
    ],
)
def test_without_a_readable_table_the_rate_is_na_with_the_reason(
    sqlite_url: str, tmp_path: Path, url: str | None, note: str
) -> None:
    sqlite3.connect(tmp_path / "empty.db").close()
    events_url = url.format(dir=tmp_path) if url else None
    console = Console(sqlite_url, events_database_url=events_url)
    try:
        console.open_case("s-1")
        admin = console.agent()
        answer = admin.get("/dashboard.json")
        assert answer.status_code == 200
        figures = answer.json()
        assert figures["handoff_rate"] is None and figures["handoff_rate_note"] == note
        assert figures["handed_off_conversations_today"] == 1 and figures["open_cases"] == 1
        page = admin.get("/dashboard")
        assert page.status_code == 200 and f"n/a ({note})" in page.text
        assert "secret-pw" not in page.text
    finally:
        console.close()
    assert not (tmp_path / "missing.db").exists()


def test_no_conversations_today(console_with_events: Console, broker: Broker) -> None:
    broker.publish("old", "user", TODAY - dt.timedelta(days=1))
    figures = console_with_events.agent().get("/dashboard.json").json()
    assert figures["handoff_rate"] is None and figures["conversations_today"] == 0
    assert figures["handoff_rate_note"] == "no conversations today"


def test_the_setting_is_read_once_from_the_environment() -> None:
    env = {"CONSOLE_TOKEN": TOKEN, "CONSOLE_SECRET_KEY": "k" * 20}
    assert load_settings(env).events_database_url is None
    url = "postgresql+psycopg://rasa@db/rasa_events"
    assert (
        load_settings({**env, "CONSOLE_EVENTS_DATABASE_URL": f" {url} "}).events_database_url == url
    )


def test_a_bad_url_raises_events_unavailable() -> None:
    with pytest.raises(EventsUnavailable):
        make_events_engine("::nope::")


def test_active_conversations_on_postgresql(postgres_server: str) -> None:
    """The same reading against a PostgreSQL broker table (what docker-compose runs)."""
    url = sa.make_url(postgres_server)
    name = f"ev_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    events_url = url.set(database=name).render_as_string(hide_password=False)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        writer = sa.create_engine(events_url)
        with writer.begin() as conn:
            conn.execute(
                sa.text(
                    "CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255), data TEXT)"
                )
            )
            for sender, kind, at in [
                ("old", "user", TODAY - dt.timedelta(hours=2)),
                ("s-1", "user", TODAY + dt.timedelta(hours=1)),
                ("s-1", "bot", TODAY + dt.timedelta(hours=1)),
                ("bot-only", "bot", TODAY + dt.timedelta(hours=2)),
                ("s 2/ü", "user", TODAY + dt.timedelta(hours=3)),
            ]:
                data = json.dumps({"event": kind, "timestamp": at.timestamp()})
                conn.execute(
                    sa.text("INSERT INTO events (sender_id, data) VALUES (:s, :d)"),
                    {"s": sender, "d": data},
                )
        writer.dispose()
        counter = ActiveConversations(lambda: make_events_engine(events_url))
        try:
            assert counter.since(TODAY) == {"s-1", "s 2/ü"}
        finally:
            counter.close()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
