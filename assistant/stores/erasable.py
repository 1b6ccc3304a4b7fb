"""A SQL tracker store that can erase conversations when the assistant is asked to.

Rasa's tracker store and SQL event broker only ever append. A shopper's "delete my data"
must remove the messages of their conversations too, so the privacy action ends with a
``privacy_erasure`` slot event (``{"conversations": [sender ids], "requested_at": ...}``).
When :class:`ErasableSQLTrackerStore` saves a tracker that carries such an event, it deletes
every stored event of the current conversation and of the listed ones, in the tracker
table and in the SQL event broker's table, and keeps only what happened after the marker
(the marker itself holds conversation ids, so it is not kept either). The conversation then
continues from an empty history.

Configure it in the endpoints file like Rasa's SQL store::

    tracker_store:
      type: assistant.stores.erasable.ErasableSQLTrackerStore
      dialect: "sqlite"
      db: ${TRACKER_DB}
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

__all__ = ["ERASURE_SLOT", "ErasableSQLTrackerStore", "erasure_request"]

logger = logging.getLogger(__name__)

#: The slot whose event asks the store to erase conversations.
ERASURE_SLOT = "privacy_erasure"
#: Sender ids are at most this long in Rasa's table; longer values are not ids.
_MAX_SENDER_ID = 255


def erasure_request(events: Iterable[Event]) -> Optional[tuple]:
    """The position and conversations of the last erasure marker among ``events``.

    Args:
        events: A tracker's events, oldest first.

    Returns:
        ``(index, conversation ids)`` of the last ``privacy_erasure`` slot event with a
        value, or ``None`` when there is none.
    """
    found = None
    for index, event in enumerate(events):
        if isinstance(event, SlotSet) and event.key == ERASURE_SLOT and event.value:
            value = event.value if isinstance(event.value, dict) else {}
            listed = value.get("conversations") or []
            ids = {
                str(item)
                for item in listed
                if isinstance(item, (str, int)) and 0 < len(str(item)) <= _MAX_SENDER_ID
            }
            found = (index, ids)
    return found


class ErasableSQLTrackerStore(SQLTrackerStore):
    """:class:`SQLTrackerStore` plus erasure on request (see the module docstring)."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events, or erase and keep what followed an erasure marker.

        Args:
            tracker: The tracker to store.
        """
        events = list(tracker.events)
        request = erasure_request(events)
        if request is None:
            await super().save(tracker)
            return
        index, others = request
        senders: Set[Text] = {tracker.sender_id, *others}
        kept = events[index + 1 :]
        self._erase(senders, kept, tracker.sender_id)
        logger.info("erased the events of %d conversation(s) on request", len(senders))

    def _erase(self, senders: Set[Text], kept: List[Event], sender_id: Text) -> None:
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id.in_(senders)).delete(
                synchronize_session=False
            )
            for event in kept:
                session.add(self._row(sender_id, event))
            session.commit()
        broker = self.event_broker
        if isinstance(broker, SQLEventBroker):
            with broker.session_scope() as broker_session:
                broker_session.query(broker.SQLBrokerEvent).filter(
                    broker.SQLBrokerEvent.sender_id.in_(senders)
                ).delete(synchronize_session=False)
                broker_session.commit()
        if broker is not None:
            for event in kept:
                body: Dict[Text, Any] = {"sender_id": sender_id}
                body.update(event.as_dict())
                broker.publish(body)

    def _row(self, sender_id: Text, event: Event) -> Any:
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )
