"""The escalation check inside ``action_validate_slot_mappings`` (after every message).

Rasa runs ``action_validate_slot_mappings`` after every user message, before the next
action is predicted, but keeps only its ``slot`` events (a ``FollowupAction`` would be
dropped). So the check sets ``handoff_due`` and ``handoff_reason``, and a rule conditioned
on ``handoff_due: true`` runs ``action_handoff``, which clears it.

This module imports nothing from the runtime at import time, so
``actions.conversation_state`` (which the runtime imports) can use the mixin.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

__all__ = ["EscalationSlotsMixin"]

logger = logging.getLogger(__name__)


class EscalationSlotsMixin:
    """For ``ActionValidateSlotMappings``: fills ``handoff_due`` and ``handoff_reason``.

    Put it before ``ValidationAction`` among the bases. Needs the custom-mapped slot
    ``handoff_due`` (and ``handoff_reason``) in the domain.
    """

    async def extract_handoff_due(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Run the escalation rules on the conversation after the message.

        Nothing is checked while a handoff is already due or the conversation is paused
        (an agent has it).

        Args:
            dispatcher: Unused.
            tracker: The conversation tracker.
            domain: Unused.

        Returns:
            ``{"handoff_due": True, "handoff_reason": reason}`` when a rule fires, else
            nothing.
        """
        if tracker.get_slot("handoff_due") is True or tracker.is_paused():
            return {}
        from actions.handoff import check_escalation, start_retries
        from actions.runtime import get_runtime

        runtime = get_runtime()
        start_retries(runtime)
        decision = await check_escalation(tracker, runtime)
        if decision is None:
            return {}
        logger.info("escalation: %s", decision.reason)
        return {"handoff_due": True, "handoff_reason": decision.reason}
