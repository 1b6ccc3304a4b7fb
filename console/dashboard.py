"""The dashboard's figures: open cases and tickets, median wait, handoff rate, resolutions.

"Today" starts at midnight in the console's time zone (``CONSOLE_TZ``). The handoff rate is
conversations handed off today / conversations active today; the console knows its cases,
the active conversations come from Rasa's event broker table (:mod:`console.events`). When
that table is not configured or cannot be read, the rate is ``None`` with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from console.events import ActiveConversations, EventsUnavailable
from console.store import Store

__all__ = ["Dashboard", "local_midnight", "NOT_CONFIGURED", "NO_CONVERSATIONS"]

logger = logging.getLogger("console")
NOT_CONFIGURED = "CONSOLE_EVENTS_DATABASE_URL is not set"
NO_CONVERSATIONS = "no conversations today"


def local_midnight(now: dt.datetime, tz: str) -> dt.datetime:
    """When the local day of ``now`` began.

    Args:
        now: An aware instant.
        tz: An IANA time zone name.

    Returns:
        Local midnight, as an aware UTC instant.
    """
    zone = ZoneInfo(tz)
    day = now.astimezone(zone).date()
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.timezone.utc)


class Dashboard:
    """Computes the figures from the store and (optionally) the event broker table."""

    def __init__(self, store: Store, active: ActiveConversations | None, tz: str) -> None:
        """Create the dashboard.

        Args:
            store: The console's store (its clock gives "now").
            active: Reads active conversations, or ``None`` when not configured.
            tz: The console's time zone.
        """
        self._store = store
        self._active = active
        self._tz = tz

    def figures(self) -> dict[str, Any]:
        """Today's figures.

        Returns:
            ``open_cases``, ``open_tickets``, ``median_wait_seconds``, ``handoffs_today``,
            ``resolutions_today``, ``agents_online``, ``handoff_rate`` (0..1 or ``None``),
            ``handoff_rate_note`` (why it is ``None``), ``conversations_today`` and
            ``handed_off_conversations_today``.
        """
        midnight = local_midnight(self._store.clock(), self._tz)
        figures = self._store.dashboard(midnight)
        figures.update(self._rate(midnight))
        return figures

    def _rate(self, midnight: dt.datetime) -> dict[str, Any]:
        handed_off = self._store.handed_off_conversations(midnight)
        answer: dict[str, Any] = {
            "handoff_rate": None,
            "handoff_rate_note": None,
            "conversations_today": None,
            "handed_off_conversations_today": len(handed_off),
        }
        if self._active is None:
            answer["handoff_rate_note"] = NOT_CONFIGURED
            return answer
        try:
            active = self._active.since(midnight)
        except EventsUnavailable as exc:
            answer["handoff_rate_note"] = str(exc)
            return answer
        except Exception as exc:  # noqa: BLE001 - the dashboard never fails on this figure
            logger.warning("event broker table: %s", type(exc).__name__)
            answer["handoff_rate_note"] = f"event broker table unreadable ({type(exc).__name__})"
            return answer
        # A conversation handed off today was active today, whatever the table says (a case
        # retried after midnight for a message sent before it).
        conversations = active | handed_off
        answer["conversations_today"] = len(conversations)
        if not conversations:
            answer["handoff_rate_note"] = NO_CONVERSATIONS
            return answer
        answer["handoff_rate"] = len(handed_off) / len(conversations)
        return answer
