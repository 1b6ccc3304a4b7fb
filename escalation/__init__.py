"""Escalation rules: when the assistant hands a conversation to a human agent.

A pure library (it imports nothing from Rasa, rasa-sdk or the action server), used by the
action server's handoff actions and by ``bench/escalation``:

- :mod:`escalation.config`: load and validate ``assistant/escalation.yml``;
- :mod:`escalation.rules`: :class:`EscalationState` and :func:`decide`;
- :mod:`escalation.events`: count fallbacks in a row from Rasa tracker events (plain dicts).
"""

from __future__ import annotations

from escalation.config import (
    DEFAULT_CONFIG_PATH,
    EscalationConfig,
    EscalationConfigError,
    load_config,
    parse_config,
)
from escalation.events import fallbacks_in_a_row, user_message_ids_since
from escalation.rules import REASONS, Decision, EscalationState, SentimentEntry, decide

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "REASONS",
    "Decision",
    "EscalationConfig",
    "EscalationConfigError",
    "EscalationState",
    "SentimentEntry",
    "decide",
    "fallbacks_in_a_row",
    "load_config",
    "parse_config",
    "user_message_ids_since",
]
