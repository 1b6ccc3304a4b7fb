"""Loading and validating assistant/escalation.yml."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from escalation import DEFAULT_CONFIG_PATH, EscalationConfigError, load_config, parse_config
from escalation.rules import REASONS

SHIPPED: dict[str, Any] = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))


def test_shipped_file_loads_with_every_rule_in_order() -> None:
    config = load_config()
    assert config.enabled == REASONS
    assert config.request_intents == {"request_human"}
    assert config.complaint_intents == {"complaint"}
    assert config.vip_segments == {"vip"}
    assert config.negative_window == 3 and config.negative_min == 2
    assert config.fallback_in_a_row == 2
    assert -1 <= config.strong_max_score < config.negative_score < 0


def test_new_settings_default_to_the_old_behaviour() -> None:
    data = copy.deepcopy(SHIPPED)
    for key in ("grievance_intents", "fallback_responses"):
        del data[key]
    del data["rules"]["strong_complaint"]["min_intensity"]
    del data["rules"]["negative_sentiment"]["min_intensity"]
    del data["rules"]["repeated_fallback"]["min_confidence"]
    del data["rules"]["repeated_fallback"]["count_repeats"]
    config = parse_config(data)
    assert config.grievance_intents == frozenset() and config.fallback_responses == frozenset()
    assert config.strong_min_intensity == 0.0 and config.negative_min_intensity == 0.0
    assert config.fallback_min_confidence == 0.0 and config.fallback_count_repeats is False


def test_disabling_a_rule(tmp_path: Path) -> None:
    data = copy.deepcopy(SHIPPED)
    data["rules"]["vip_complaint"]["enabled"] = False
    path = tmp_path / "e.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert "vip_complaint" not in load_config(path).enabled


def _mutated(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(SHIPPED)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[key]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return data


BAD = [
    ("rules.strong_complaint.max_score", -1.5, "scores are in"),
    ("rules.strong_complaint.max_score", "low", "must be a number"),
    ("rules.negative_sentiment.window", 0, "integer >= 1"),
    ("rules.negative_sentiment.min_negative", 4, "min_negative must be <= window"),
    ("rules.repeated_fallback.in_a_row", True, "integer >= 1"),
    ("rules.vip_complaint.segments", "vip", "list of names"),
    ("rules.vip_complaint.enabled", "yes", "true or false"),
    ("rules.request_human", KeyError, "rules.request_human is missing"),
    ("rules.angry_vip", {"enabled": True}, "unknown rule"),
    ("rules.strong_complaint.threshold", -0.5, "unknown keys"),
    ("complaint_intents", [""], "list of names"),
    ("thresholds", 1, "unknown keys"),
    ("version", 2, "version must be 1"),
    ("rules.strong_complaint.min_intensity", 1.5, r"must be in \[0, 1\]"),
    ("rules.negative_sentiment.min_intensity", "x", "must be a number"),
    ("rules.repeated_fallback.min_confidence", -0.1, r"must be in \[0, 1\]"),
    ("rules.repeated_fallback.count_repeats", "yes", "true or false"),
    ("rules.vip_complaint.grievance_score", 2, "scores are in"),
    ("grievance_intents", "track_order", "list of names"),
    ("fallback_responses", [1], "list of names"),
]


@pytest.mark.parametrize(
    ("path", "value", "message"), BAD, ids=[b[0] + "=" + str(b[1]) for b in BAD]
)
def test_invalid_values_are_refused_with_the_key(path: str, value: Any, message: str) -> None:
    with pytest.raises(EscalationConfigError, match=message):
        parse_config(_mutated(path, value))


def test_not_a_mapping_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(EscalationConfigError):
        parse_config(["rules"])
    with pytest.raises(EscalationConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(EscalationConfigError, match="cannot read"):
        load_config(broken)
