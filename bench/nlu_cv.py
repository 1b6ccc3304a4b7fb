"""Cross-validation of the project's own NLU data, per language (``bench/nlu --cv``).

Every language's examples (nlu_data/nlu/<lang>/) are split into K stratified folds by
intent; each round trains the project's pipeline (assistant/config.yml) on all other folds
of every language plus the lookup tables and synonyms, and parses the held-out fold.
Accuracy is reported per language, of the classifier's top intent and after fallback
(a fallback counts as right only for out_of_scope).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import statistics
from collections import defaultdict
from pathlib import Path

from nlu_training import ROOT, final_intent, parse_all, scratch_dir, top_intent, train_nlu


def load_languages(data_dir: Path) -> tuple[dict[str, list], object]:
    """The examples of each language directory, and the shared lookups/synonyms."""
    from rasa.shared.nlu.training_data.loading import load_data

    per_language = {}
    for lang_dir in sorted(p for p in data_dir.glob("nlu/*") if p.is_dir()):
        data = load_data(str(lang_dir))
        per_language[lang_dir.name] = list(data.intent_examples)
    shared = load_data(str(data_dir / "lookups"))
    for lang_dir in sorted(p for p in data_dir.glob("nlu/*") if p.is_dir()):
        shared = shared.merge(load_data(str(lang_dir)))
    return per_language, shared


def folds_of(examples: list, k: int, seed: int) -> list[list]:
    """K folds, stratified by intent."""
    by_intent = defaultdict(list)
    for example in examples:
        by_intent[example.get("intent")].append(example)
    folds: list[list] = [[] for _ in range(k)]
    rng = random.Random(seed)
    offset = 0
    for intent in sorted(by_intent):
        items = by_intent[intent]
        rng.shuffle(items)
        for i, example in enumerate(items):
            folds[(i + offset) % k].append(example)
        offset += len(items)
    return folds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="(the mode this script implements)")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=ROOT / "nlu_data")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "nlu_cv.json")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from rasa.shared.nlu.training_data.training_data import TrainingData

    per_language, shared = load_languages(args.data)
    split = {lang: folds_of(ex, args.folds, args.seed) for lang, ex in per_language.items()}
    results: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    train_seconds: list[float] = []
    latencies: list[float] = []
    for fold in range(args.folds):
        train = [e for lang in split for i, f in enumerate(split[lang]) if i != fold for e in f]
        held = [(lang, e) for lang in split for e in split[lang][fold]]
        data = TrainingData(
            training_examples=train,
            entity_synonyms=shared.entity_synonyms,
            regex_features=shared.regex_features,
            lookup_tables=shared.lookup_tables,
        )
        trained = train_nlu(data, scratch_dir(f"nlu-cv-{fold}-"))
        train_seconds.append(trained.seconds)
        parsed, lat = parse_all(trained.model, [e.get("text") for _, e in held])
        latencies += lat
        for (lang, example), result in zip(held, parsed, strict=True):
            gold = example.get("intent")
            final = final_intent(result)
            if final == "nlu_fallback" and gold == "out_of_scope":
                final = "out_of_scope"
            results[lang].append((gold, top_intent(result), final))
        print(
            f"fold {fold + 1}/{args.folds}: trained on {len(train)} in {trained.seconds:.0f} s, "
            f"parsed {len(held)}",
            flush=True,
        )

    print()
    print(f"# NLU cross-validation: {args.folds} folds stratified by intent, seed {args.seed}")
    print(f"config: assistant/config.yml; data: {args.data}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"training time per fold: {statistics.mean(train_seconds):.0f} s (mean)")
    print()
    print(f"{'language':<10} {'examples':>9} {'top intent':>11} {'after fallback':>15}")
    summary = {}
    every = []
    for lang in sorted(results):
        rows = results[lang]
        every += rows
        top = sum(g == t for g, t, _ in rows) / len(rows)
        final = sum(g == f for g, _, f in rows) / len(rows)
        summary[lang] = {"n": len(rows), "accuracy_top": top, "accuracy": final}
        print(f"{lang:<10} {len(rows):>9} {top:>11.3f} {final:>15.3f}")
    overall = sum(g == f for g, _, f in every) / len(every)
    print(
        f"{'all':<10} {len(every):>9} {sum(g == t for g, t, _ in every) / len(every):>11.3f} "
        f"{overall:>15.3f}"
    )
    print(
        f"parse latency p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1]:.1f} ms"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "folds": args.folds,
                "languages": summary,
                "accuracy": overall,
                "train_seconds": train_seconds,
            },
            indent=2,
        )
    )
    print(f"accuracy: {overall:.3f}")


if __name__ == "__main__":
    main()
