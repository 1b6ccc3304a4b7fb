"""HandoffPolicy: the handoff and ticket actions come from the escalation slots, ahead of rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.handoff import HandoffPolicy

DOMAIN = Domain.from_dict(
    {
        "intents": ["complaint", "greet", "inform", "search_product", "request_human"],
        "slots": {
            "handoff_due": {"type": "bool", "mappings": [{"type": "custom"}]},
            "ticket_offered": {"type": "bool", "mappings": [{"type": "custom"}]},
        },
        "responses": {"utter_complaint": [{"text": "sorry"}], "utter_greet": [{"text": "hi"}]},
        "actions": ["action_handoff", "action_open_ticket", "action_search"],
    }
)


@pytest.fixture()
def policy(tmp_path: Path) -> HandoffPolicy:
    """A policy that went through create -> train -> load."""
    storage = LocalModelStorage.create(tmp_path)
    resource = Resource("handoff_policy")
    context = ExecutionContext(GraphSchema({}), "test-model")
    created = HandoffPolicy.create(HandoffPolicy.get_default_config(), storage, resource, context)
    created.train([], DOMAIN)
    loaded = HandoffPolicy.load(HandoffPolicy.get_default_config(), storage, resource, context)
    assert isinstance(loaded, HandoffPolicy)
    return loaded


def tracker(*slots: tuple[str, Any], intent: str = "complaint", after: list[Any] | None = None):
    events: list[Any] = [ActionExecuted(ACTION_LISTEN_NAME)]
    events.append(UserUttered("this is awful", intent={"name": intent, "confidence": 0.9}))
    events.extend(SlotSet(name, value) for name, value in slots)
    events.extend(after or [])
    return DialogueStateTracker.from_events("shopper", events, DOMAIN.slots)


def predicted(policy: HandoffPolicy, tracker: DialogueStateTracker) -> str | None:
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    if prediction.probabilities[best] == 0.0:
        return None
    return DOMAIN.action_names_or_texts[best]


def test_a_due_handoff_runs_the_handoff(policy: HandoffPolicy) -> None:
    assert predicted(policy, tracker(("handoff_due", True))) == "action_handoff"


def test_nothing_due_leaves_the_choice_to_the_other_policies(policy: HandoffPolicy) -> None:
    assert predicted(policy, tracker(("handoff_due", False))) is None
    assert predicted(policy, tracker()) is None


def test_after_the_handoff_the_bot_listens(policy: HandoffPolicy) -> None:
    done = tracker(
        ("handoff_due", True),
        after=[ActionExecuted("action_handoff"), SlotSet("handoff_due", False)],
    )
    assert predicted(policy, done) == ACTION_LISTEN_NAME


def test_a_due_flag_is_not_acted_on_twice_in_a_turn(policy: HandoffPolicy) -> None:
    # Another action already ran after the message: the policy does not interrupt it.
    busy = tracker(("handoff_due", True), after=[ActionExecuted("utter_complaint")])
    assert predicted(policy, busy) is None


def test_an_answer_to_the_ticket_offer_opens_a_ticket(policy: HandoffPolicy) -> None:
    assert predicted(policy, tracker(("ticket_offered", True), intent="inform")) == (
        "action_open_ticket"
    )
    after = tracker(
        ("ticket_offered", True), intent="inform", after=[ActionExecuted("action_open_ticket")]
    )
    assert predicted(policy, after) == ACTION_LISTEN_NAME


def test_a_new_request_after_the_offer_is_handled_as_usual(policy: HandoffPolicy) -> None:
    assert predicted(policy, tracker(("ticket_offered", True), intent="search_product")) is None


def test_the_handoff_wins_over_a_rule_for_the_same_intent(
    policy: HandoffPolicy, tmp_path: Path
) -> None:
    """A strongly negative complaint: the complaint rule says utter_complaint, the policy wins."""
    from rasa.shared.core.generator import TrackerWithCachedStates

    (tmp_path / "rules").mkdir()
    storage = LocalModelStorage.create(tmp_path / "rules")
    context = ExecutionContext(GraphSchema({}), "test-model")
    rules = RulePolicy.create(RulePolicy.get_default_config(), storage, Resource("rules"), context)
    rule = TrackerWithCachedStates.from_events(
        "rule",
        [
            ActionExecuted(ACTION_LISTEN_NAME),
            UserUttered(intent={"name": "complaint"}),
            ActionExecuted("utter_complaint"),
            ActionExecuted(ACTION_LISTEN_NAME),
        ],
        domain=DOMAIN,
        is_rule_tracker=True,
    )
    rules.train([rule], DOMAIN)
    conversation = tracker(("handoff_due", True))
    predictions = [
        rules.predict_action_probabilities(conversation, DOMAIN),
        policy.predict_action_probabilities(conversation, DOMAIN),
    ]
    assert max(predictions[0].probabilities) == 1.0  # the rule does apply
    ensemble = DefaultPolicyPredictionEnsemble.create({}, storage, Resource("e"), context)
    winner = ensemble.combine_predictions_from_kwargs(
        conversation, DOMAIN, **{f"policy{i}": p for i, p in enumerate(predictions)}
    )
    best = max(range(len(winner.probabilities)), key=winner.probabilities.__getitem__)
    assert DOMAIN.action_names_or_texts[best] == "action_handoff"
    assert winner.policy_name == "HandoffPolicy"
