"""``HandoffPolicy``: runs the handoff when an escalation rule fired, whatever was said.

After every user message ``action_validate_slot_mappings`` runs the escalation rules
(``escalation/``, ``assistant/escalation.yml``) and sets ``handoff_due``. Rasa keeps only
slot events from that action, so something in the dialogue has to turn the slot into
``action_handoff``. A rule conditioned on the slot contradicts every single-intent rule
(``complaint`` -> ``utter_complaint``...), so this small policy does it instead, ahead of the
rules (confidence 1.0 and a higher priority than ``RulePolicy``):

- right after a user message with ``handoff_due`` true: ``action_handoff``;
- right after a user message with ``ticket_offered`` true whose intent answers the offer
  (a contact, yes, no...): ``action_open_ticket``;
- right after either action: ``action_listen`` (the handoff paused the conversation, or the
  ticket answer is complete).

Otherwise it predicts nothing and the other policies decide. Nothing is learned: training
only stores the configuration.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

__all__ = ["HandoffPolicy"]

#: One above RulePolicy (6): on equal confidence this policy wins.
PRIORITY = 7


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class HandoffPolicy(Policy):
    """Predicts the handoff and ticket actions from the slots the escalation check sets."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The defaults (``config.yml`` may override them)."""
        return {
            "priority": PRIORITY,
            "due_slot": "handoff_due",
            "handoff_action": "action_handoff",
            "offer_slot": "ticket_offered",
            "ticket_action": "action_open_ticket",
            "ticket_intents": [
                "inform",
                "affirm",
                "deny",
                "goodbye",
                "nlu_fallback",
                "out_of_scope",
            ],
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        """Keep the configuration (see :class:`rasa.core.policies.policy.Policy`)."""
        config = {**self.get_default_config(), **config}
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.ticket_intents = frozenset(config["ticket_intents"])

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn; the resource is written so that loading finds it."""
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The action this policy insists on, or ``None`` to let the others decide.

        Args:
            tracker: The conversation.

        Returns:
            An action name or ``None``.
        """
        latest = tracker.latest_action_name
        if latest in (self.config["handoff_action"], self.config["ticket_action"]):
            return ACTION_LISTEN_NAME
        if latest != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return None
        if not tracker.latest_message.text and not tracker.latest_message.intent:
            return None
        if tracker.get_slot(self.config["due_slot"]) is True:
            return str(self.config["handoff_action"])
        intent = (tracker.latest_message.intent or {}).get("name")
        if tracker.get_slot(self.config["offer_slot"]) is True and intent in self.ticket_intents:
            return str(self.config["ticket_action"])
        return None

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Probability 1 for :meth:`next_action`'s action, else all zeros.

        Args:
            tracker: The conversation.
            domain: The model's domain.
            rule_only_data: Unused.
            **kwargs: Unused.

        Returns:
            The prediction.
        """
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is not None and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)
