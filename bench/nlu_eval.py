"""Runs the trained Rasa model on each text of a CSV (text,intent) and reports intent accuracy.

Two accuracies are printed: of the classifier's top intent, and of the final intent after the
FallbackClassifier (where a fallback counts as right only for out_of_scope texts). The last line
is the stricter one, after fallback.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import platform
import statistics
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FALLBACK = "nlu_fallback"


def read_rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "intent"} <= set(reader.fieldnames):
            raise SystemExit(f"{path}: expected columns text,intent; got {reader.fieldnames}")
        return [(row["text"], row["intent"].strip()) for row in reader if row["text"].strip()]


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = sorted({gold for gold, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


async def run(args: argparse.Namespace) -> None:
    from rasa.core.agent import Agent

    rows = read_rows(args.csv)
    started = time.perf_counter()
    agent = Agent.load(str(args.model))
    load_seconds = time.perf_counter() - started
    top_pairs: list[tuple[str, str]] = []
    final_pairs: list[tuple[str, str]] = []
    latencies: list[float] = []
    for text, gold in rows:
        t0 = time.perf_counter()
        parsed = await agent.parse_message(text)
        latencies.append((time.perf_counter() - t0) * 1000)
        final = (parsed.get("intent") or {}).get("name") or ""
        ranking = [r["name"] for r in parsed.get("intent_ranking", []) if r["name"] != FALLBACK]
        top = ranking[0] if ranking else final
        top_pairs.append((gold, top))
        if final == FALLBACK and gold == "out_of_scope":
            final = "out_of_scope"
        final_pairs.append((gold, final))

    n = len(rows)
    top_acc = sum(g == p for g, p in top_pairs) / n
    final_acc = sum(g == p for g, p in final_pairs) / n
    fallbacks = sum(1 for (_, p) in final_pairs if p == FALLBACK)
    confused = Counter((g, p) for g, p in final_pairs if g != p).most_common(args.top)
    per_intent = {}
    for label in sorted({g for g, _ in final_pairs}):
        items = [(g, p) for g, p in final_pairs if g == label]
        per_intent[label] = (sum(g == p for g, p in items) / len(items), len(items))

    print(f"# NLU intent benchmark: {args.csv} ({n} texts, {len(per_intent)} intents)")
    print(f"model: {args.model} (loaded in {load_seconds:.1f} s)")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print()
    print(f"{'intent':<20} {'n':>4} {'accuracy':>9}")
    for label, (acc, count) in per_intent.items():
        print(f"{label:<20} {count:>4} {acc:>9.3f}")
    print()
    print("most confused (gold -> predicted, count):")
    for (gold, pred), count in confused:
        print(f"  {gold} -> {pred}: {count}")
    print()
    print(f"{'metric':<34} {'value':>8}")
    print(f"{'accuracy, classifier top intent':<34} {top_acc:>8.3f}")
    print(f"{'macro-F1, classifier top intent':<34} {macro_f1(top_pairs):>8.3f}")
    print(f"{'accuracy, after fallback':<34} {final_acc:>8.3f}")
    print(f"{'macro-F1, after fallback':<34} {macro_f1(final_pairs):>8.3f}")
    print(f"{'fallback rate':<34} {fallbacks / n:>8.3f}")
    print(f"{'parse latency p50 (ms)':<34} {statistics.median(latencies):>8.1f}")
    print(f"{'parse latency p95 (ms)':<34} {statistics.quantiles(latencies, n=20)[-1]:>8.1f}")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "nlu.json").write_text(
        json.dumps(
            {
                "csv": str(args.csv),
                "n": n,
                "accuracy_top": top_acc,
                "accuracy": final_acc,
                "macro_f1": macro_f1(final_pairs),
                "fallback_rate": fallbacks / n,
                "confused": [[g, p, c] for (g, p), c in confused],
            },
            indent=2,
        )
    )
    print(f"accuracy: {final_acc:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, required=True, help="CSV with columns text,intent")
    parser.add_argument("--model", type=Path, default=ROOT / "var" / "models" / "assistant.tar.gz")
    parser.add_argument("--top", type=int, default=10, help="how many confused pairs to list")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
