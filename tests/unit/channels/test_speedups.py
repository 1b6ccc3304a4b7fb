"""assistant/speedups.py: rasa's schema validation, checked once per schema, same verdicts."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from jsonschema.exceptions import SchemaError, ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from assistant import speedups
from assistant.channels.socketio import VerifiedSocketIOInput

EVENTS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {"type": "object", "properties": {"event": {"type": "string"}}, "required": ["event"]},
}


@pytest.fixture(autouse=True)
def restore_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonschema, "validate", speedups._ORIGINAL)
    speedups._COMPILED.clear()


def test_same_verdicts_as_jsonschema() -> None:
    good = [{"event": "bot", "text": "hi"}]
    bad = [{"text": "no event name"}]
    speedups.cached_validate(good, EVENTS_SCHEMA)
    with pytest.raises(ValidationError) as ours:
        speedups.cached_validate(bad, EVENTS_SCHEMA)
    with pytest.raises(ValidationError) as theirs:
        speedups._ORIGINAL(bad, EVENTS_SCHEMA)
    assert ours.value.message == theirs.value.message


def test_an_invalid_schema_is_still_refused() -> None:
    with pytest.raises(SchemaError):
        speedups.cached_validate({}, {"type": 12})


def test_each_schema_is_checked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    checks: list[Any] = []
    validator_class = jsonschema.validators.validator_for(EVENTS_SCHEMA)
    original = validator_class.check_schema

    def counting(schema: Any, *args: Any, **kwargs: Any) -> None:
        checks.append(schema)
        original(schema, *args, **kwargs)

    monkeypatch.setattr(validator_class, "check_schema", staticmethod(counting))
    for _ in range(5):
        speedups.cached_validate([{"event": "user"}], dict(EVENTS_SCHEMA))  # equal, not same
    assert len(checks) == 1


def test_the_channel_installs_it_and_rasa_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDENTITY_JWT_SECRET", "x" * 32)
    VerifiedSocketIOInput.from_credentials({})
    assert jsonschema.validate is speedups.cached_validate
    action = RemoteAction("action_x", EndpointConfig(url="http://127.0.0.1:1"))
    assert action._validate_action_result({"events": [], "responses": []})
    with pytest.raises(Exception):  # noqa: B017 - rasa wraps the validation error
        action._validate_action_result({"events": "not a list"})
