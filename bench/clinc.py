"""CLINC150 with the project's NLU pipeline (``bench/clinc``).

Trains assistant/config.yml's pipeline (unchanged) on the CLINC150 "full" training set with
out-of-scope as its own class (intent ``oos``), then parses the test set. In-scope accuracy
counts a test text as right when the final intent is its gold intent; out-of-scope recall
counts an out-of-scope test text as caught when the final intent is ``oos`` or the
FallbackClassifier's ``nlu_fallback``. Both are also given for the classifier's top intent
alone (no threshold), as in Larson et al. 2019, Table 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
from pathlib import Path

from nlu_training import ROOT, final_intent, parse_all, scratch_dir, top_intent, train_nlu

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nlu" / "clinc150_data_full.json"
OOS = "oos"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="test", choices=["test", "val"])
    parser.add_argument("--limit", type=int, default=0, help="train on the first N per intent")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "clinc.json")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    raw = json.loads(args.data.read_text(encoding="utf-8"))
    train_pairs = [(t, i) for t, i in raw["train"]] + [(t, OOS) for t, _ in raw["oos_train"]]
    if args.limit:
        seen: dict[str, int] = {}
        kept = []
        for text, intent in train_pairs:
            seen[intent] = seen.get(intent, 0) + 1
            if seen[intent] <= args.limit:
                kept.append((text, intent))
        train_pairs = kept
    test_pairs = [(t, i) for t, i in raw[args.split]] + [
        (t, OOS) for t, _ in raw[f"oos_{args.split}"]
    ]
    messages = [Message(data={"text": t, "intent": i}) for t, i in train_pairs]
    print(
        f"training on {len(messages)} texts ({len({i for _, i in train_pairs})} intents)",
        flush=True,
    )
    trained = train_nlu(TrainingData(training_examples=messages), scratch_dir("clinc-"))
    print(f"trained in {trained.seconds:.0f} s; parsing {len(test_pairs)} texts", flush=True)
    parsed, latencies = parse_all(trained.model, [t for t, _ in test_pairs])

    def scores(pick) -> tuple[float, float]:
        in_scope = [(g, pick(r)) for (_, g), r in zip(test_pairs, parsed, strict=True) if g != OOS]
        oos = [pick(r) for (_, g), r in zip(test_pairs, parsed, strict=True) if g == OOS]
        accuracy = sum(g == p for g, p in in_scope) / len(in_scope)
        recall = sum(p in (OOS, "nlu_fallback") for p in oos) / len(oos)
        return accuracy, recall

    top_acc, top_rec = scores(top_intent)
    fin_acc, fin_rec = scores(final_intent)
    print()
    print(f"# CLINC150 ({args.data.name}, {args.split} split), out-of-scope as its own class")
    print("pipeline: assistant/config.yml, unchanged; one training run")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print()
    print(f"{'':<32} {'in-scope acc':>13} {'oos recall':>11}")
    print(f"{'classifier top intent':<32} {top_acc:>13.3f} {top_rec:>11.3f}")
    print(f"{'after FallbackClassifier':<32} {fin_acc:>13.3f} {fin_rec:>11.3f}")
    print(f"{'published BERT (Larson 2019)':<32} {0.969:>13.3f} {0.403:>11.3f}")
    print(f"{'published Rasa (Larson 2019)':<32} {0.915:>13.3f} {0.453:>11.3f}")
    print()
    print(f"training time: {trained.seconds / 60:.1f} min ({len(messages)} texts)")
    print(
        f"parse latency p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1]:.1f} ms"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "in_scope_accuracy": fin_acc,
                "oos_recall": fin_rec,
                "in_scope_accuracy_top": top_acc,
                "oos_recall_top": top_rec,
                "train_seconds": trained.seconds,
                "train_texts": len(messages),
            },
            indent=2,
        )
    )
    print(f"in_scope_accuracy: {fin_acc:.3f}")


if __name__ == "__main__":
    main()
