"""Escalation rules on scripted conversations: precision, recall, per language, per rule.

Reads ``bench/data/escalation_conversations.yml`` (labelled escalate / do not escalate),
plays every conversation turn by turn through the escalation library
(``escalation.decide``, ``assistant/escalation.yml``) the way the action server does after
each user message (sentiment trail of the last 5 messages, fallbacks in a row from the
events, the VIP segment), and stops at the first rule that fires.

Modes:
- default: intents and sentiment are the ones written in the file (tests the rules alone);
  the sentiment's intensity is computed from the text by the SentimentAnalyzer's own
  lexical function (``assistant.components.sentiment_intensity``) unless written;
- ``--nlu``: intents (with confidence) and sentiment (label, score, intensity) come from
  the trained Rasa model (``--model``, default ``var/models/assistant.tar.gz``) parsing each
  text through ``rasa.core.agent`` (needs the Rasa environment; ``bench/escalation --nlu``
  picks it). This measures rules + NLU.

Between turns the bench appends what the real dialogue answers where that matters to the
rules (nlu_data/rules, actions/details.py): ``nlu_fallback`` -> ``utter_default``,
``out_of_scope`` -> ``utter_out_of_scope``, ``product_details`` / ``compare_products``
before any product was shown -> a bot message from ``utter_nothing_shown``; any other
intent -> an ordinary answer.

Writes ``bench/out/escalation[-nlu].json``. Targets (issue 5): precision >= 0.9, recall >= 0.9.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml
from _common import ROOT, machine, print_table, write_json

from assistant.components.sentiment_intensity import intensity
from escalation import (
    REASONS,
    EscalationConfig,
    EscalationState,
    decide,
    fallbacks_in_a_row,
    load_config,
)

DATA = ROOT / "bench" / "data" / "escalation_conversations.yml"
MODEL = ROOT / "var" / "models" / "assistant.tar.gz"
TRAIL_LENGTH = 5  # actions.conversation_state.TRAIL_LENGTH
TARGET = 0.9


SHOWS_PRODUCTS = frozenset({"search_product", "recommend"})
NEEDS_SHOWN_PRODUCTS = frozenset({"product_details", "compare_products"})


def bot_reply(intent: str | None, products_shown: bool) -> list[dict[str, Any]]:
    """The events of the real dialogue's answer, as far as the rules look at them."""
    if intent == "nlu_fallback":
        return [{"event": "action", "name": "utter_default"}]
    if intent == "out_of_scope":
        return [{"event": "action", "name": "utter_out_of_scope"}]
    if intent in NEEDS_SHOWN_PRODUCTS and not products_shown:
        return [
            {"event": "action", "name": f"action_{intent}"},
            {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_nothing_shown"}},
        ]
    return [{"event": "action", "name": f"utter_{intent}"}]


def play(conversation: dict[str, Any], config: EscalationConfig) -> tuple[str | None, int | None]:
    """Run the rules after every turn; the first decision wins.

    Returns:
        (reason, 1-based turn) of the first rule that fired, or (None, None).
    """
    events: list[dict[str, Any]] = []
    trail: list[dict[str, Any]] = []
    segment = "vip" if conversation.get("vip") else "regular"
    products_shown = False
    for number, turn in enumerate(conversation["turns"], 1):
        intent = turn["intent"]
        events.append({"event": "action", "name": "action_listen"})
        parsed_intent: dict[str, Any] = {"name": intent}
        if turn.get("confidence") is not None:
            parsed_intent["confidence"] = turn["confidence"]
        events.append(
            {"event": "user", "text": turn["text"], "parse_data": {"intent": parsed_intent}}
        )
        sentiment = turn.get("sentiment")
        if sentiment:
            strength = sentiment.get("intensity")
            if strength is None:
                strength = intensity(turn["text"], conversation["language"]).value
            trail = [
                *trail,
                {
                    "label": sentiment["label"],
                    "score": sentiment["score"],
                    "intensity": strength,
                    "intent": intent,
                },
            ][-TRAIL_LENGTH:]
        state = EscalationState(
            intent=intent,
            trail=trail,  # type: ignore[arg-type]
            fallbacks_in_a_row=fallbacks_in_a_row(events, config),
            segment=segment,
            language=conversation["language"],
        )
        decision = decide(state, config)
        if decision is not None:
            return decision.reason, number
        events.extend(bot_reply(intent, products_shown))
        products_shown = products_shown or intent in SHOWS_PRODUCTS
    return None, None


def nlu_turns(conversations: list[dict[str, Any]], model: Path) -> None:
    """Replace every turn's intent and sentiment with the trained model's parse."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse_all() -> None:
        for conversation in conversations:
            for turn in conversation["turns"]:
                parsed = await agent.parse_message(turn["text"])
                turn["written"] = {"intent": turn["intent"], "sentiment": turn.get("sentiment")}
                turn["intent"] = (parsed.get("intent") or {}).get("name")
                turn["confidence"] = (parsed.get("intent") or {}).get("confidence")
                sentiment = parsed.get("sentiment")
                turn["sentiment"] = (
                    {
                        "label": sentiment["label"],
                        "score": float(sentiment["score"]),
                        "intensity": sentiment.get("intensity"),
                    }
                    if isinstance(sentiment, dict) and "label" in sentiment
                    else None
                )

    asyncio.run(parse_all())


def _machine() -> dict[str, str]:
    """Machine info (the Rasa environment has no torch, which ``machine`` asks for)."""
    try:
        return machine()
    except ImportError:
        return {"python": sys.version.split()[0]}


def ratio(numerator: int, denominator: int) -> float:
    """A safe ratio (1.0 when nothing was counted)."""
    return numerator / denominator if denominator else 1.0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--config", type=Path, default=None, help="escalation.yml to use")
    parser.add_argument("--nlu", action="store_true", help="parse the texts with the Rasa model")
    parser.add_argument("--model", type=Path, default=MODEL, help="Rasa model for --nlu")
    parser.add_argument("--out", default=None, help="name of the JSON file in bench/out")
    args = parser.parse_args(argv)

    config = load_config(args.config) if args.config else load_config()
    conversations: list[dict[str, Any]] = yaml.safe_load(args.data.read_text(encoding="utf-8"))[
        "conversations"
    ]
    if args.nlu:
        nlu_turns(conversations, args.model)

    rows = []
    tp = fp = fn = tn = 0
    per_language: dict[str, Counter[str]] = defaultdict(Counter)
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    confusion = []
    for conversation in conversations:
        reason, turn = play(conversation, config)
        expected = bool(conversation["escalate"])
        predicted = reason is not None
        outcome = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get(
            (expected, predicted), "tn"
        )
        tp += outcome == "tp"
        fp += outcome == "fp"
        fn += outcome == "fn"
        tn += outcome == "tn"
        per_language[conversation["language"]][outcome] += 1
        if conversation.get("reason"):
            per_rule[conversation["reason"]]["expected"] += 1
            per_rule[conversation["reason"]]["caught"] += predicted
            per_rule[conversation["reason"]]["same_reason"] += reason == conversation["reason"]
        if reason is not None:
            per_rule[reason]["fired"] += 1
            per_rule[reason]["fired_correctly"] += expected
        wrong_reason = predicted and expected and reason != conversation.get("reason")
        if outcome in ("fp", "fn") or wrong_reason:
            confusion.append(
                {
                    "id": conversation["id"],
                    "kind": conversation["kind"],
                    "outcome": outcome if outcome in ("fp", "fn") else "other_reason",
                    "expected_reason": conversation.get("reason"),
                    "fired": reason,
                    "turn": turn,
                    "turns": [
                        {
                            "text": t["text"],
                            "intent": t["intent"],
                            "confidence": t.get("confidence"),
                            "sentiment": t.get("sentiment"),
                        }
                        for t in conversation["turns"]
                    ],
                }
            )
        rows.append(conversation["id"])

    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    mode = "rules + NLU (trained model)" if args.nlu else "rules (intents/sentiment from the file)"
    print(f"escalation bench: {len(conversations)} conversations, {mode}")
    print_table(
        "overall",
        ["precision", "recall", "tp", "fp", "fn", "tn"],
        [[precision, recall, tp, fp, fn, tn]],
    )
    language_rows = []
    for language in sorted(per_language):
        c = per_language[language]
        language_rows.append(
            [
                language,
                ratio(c["tp"], c["tp"] + c["fp"]),
                ratio(c["tp"], c["tp"] + c["fn"]),
                c["tp"],
                c["fp"],
                c["fn"],
                c["tn"],
            ]
        )
    print_table(
        "per language", ["lang", "precision", "recall", "tp", "fp", "fn", "tn"], language_rows
    )
    rule_rows = []
    for rule in REASONS:
        c = per_rule[rule]
        rule_rows.append(
            [
                rule,
                c["expected"],
                c["caught"],
                c["same_reason"],
                c["fired"],
                ratio(c["fired_correctly"], c["fired"]),
            ]
        )
    print_table(
        "per rule (expected = labelled with this reason; caught = escalated by any rule;"
        " same = by this rule; fired = conversations this rule fired on; precision of firing)",
        ["rule", "expected", "caught", "same", "fired", "precision"],
        rule_rows,
    )
    print("\nconfusion list:" if confusion else "\nconfusion list: empty")
    for item in confusion:
        print(
            f"  {item['id']} ({item['kind']}): {item['outcome']}, expected "
            f"{item['expected_reason']}, fired {item['fired']} at turn {item['turn']}"
        )
        for t in item["turns"]:
            s = t["sentiment"] or {}
            confidence = t.get("confidence")
            strength = s.get("intensity")
            print(
                f"      {t['intent']:<16} {'' if confidence is None else f'{confidence:.2f}':<5}"
                f" {s.get('label', '-'):<8} {s.get('score', '')!s:<7.7}"
                f" {'' if strength is None else f'i={strength:.2f}':<6} {t['text']}"
            )
    met = precision >= TARGET and recall >= TARGET
    print(f"\ntargets precision >= {TARGET} and recall >= {TARGET}: {'met' if met else 'MISSED'}")
    path = write_json(
        args.out or ("escalation-nlu" if args.nlu else "escalation"),
        {
            "mode": "nlu" if args.nlu else "written",
            "data": str(args.data),
            "model": str(args.model) if args.nlu else None,
            "conversations": len(conversations),
            "precision": precision,
            "recall": recall,
            "counts": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
            "per_language": {k: dict(v) for k, v in per_language.items()},
            "per_rule": {k: dict(v) for k, v in per_rule.items()},
            "confusion": confusion,
            "targets_met": met,
            "machine": _machine(),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
