"""Sentiment accuracy and per-message latency of the default and the larger-set model.

Reads a TSV of ``sentence<TAB>label[<TAB>language]`` (labels 1/0 or
negative/neutral/positive, optional header). For binary files a prediction counts as positive
when its score is >= 0 (so "neutral" with a positive lean is positive); for three-class files
the label must match, and accuracy is also given per language. The default model is trained
from the shipped sentences exactly as ``rasa train`` does; the larger-set model is read from
``--extended-dir`` (trained first from ``--train-data`` when absent). The last line is the
accuracy of the model the assistant would use: the larger-set model for the languages it was
kept for, the default model for the others.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.components.sentiment_analyzer import combine, load_extended  # noqa: E402
from assistant.components.sentiment_model import (  # noqa: E402
    POSITIVE,
    Example,
    SentimentModel,
    read_examples,
    train_default,
)
from bench._common import OUT_DIR, percentile, print_table  # noqa: E402

SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))


def evaluate(model: SentimentModel, examples: Sequence[Example], binary: bool) -> dict[str, object]:
    """Accuracy (overall and per language) and latency of one model on the examples."""
    hits: dict[str, list[bool]] = defaultdict(list)
    latencies = []
    for example in examples:
        started = time.perf_counter()
        prediction = model.predict(example.text, example.language)
        latencies.append((time.perf_counter() - started) * 1000)
        if binary:
            right = (prediction.score >= 0) == (example.label == POSITIVE)
        else:
            right = prediction.label == example.label
        hits[example.language].append(right)
    total = [hit for values in hits.values() for hit in values]
    return {
        "n": len(total),
        "accuracy": sum(total) / len(total),
        "per_language": {lang: sum(v) / len(v) for lang, v in sorted(hits.items())},
        "latency_ms_mean": statistics.fmean(latencies),
        "latency_ms_p95": percentile(latencies, 95),
    }


def ensure_extended(directory: Path, train_data: Path) -> None:
    """Trains the larger-set model with scripts/train_sentiment.py when it is absent."""
    if (directory / "manifest.json").is_file():
        return
    print(f"# {directory} is absent: training it from {train_data}", flush=True)
    script = ROOT / "scripts" / "train_sentiment.py"
    command = [sys.executable, str(script), "--data", str(train_data), "--out", str(directory)]
    subprocess.run(command, check=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, required=True, help="labelled sentences")
    parser.add_argument("--json", type=Path, default=None, help="result file")
    parser.add_argument(
        "--extended-dir", type=Path, default=ROOT / "var" / "sentiment" / "extended"
    )
    parser.add_argument(
        "--train-data", type=Path, default=SHARED / "data" / "sentiment" / "sst2_train.tsv"
    )
    args = parser.parse_args(argv)
    examples = read_examples(args.tsv)
    if not examples:
        parser.error(f"{args.tsv}: no labelled rows")
    binary = all(example.label != "neutral" for example in examples)

    started = time.perf_counter()
    default = train_default()
    default_seconds = time.perf_counter() - started
    ensure_extended(args.extended_dir, args.train_data)
    extended = load_extended(args.extended_dir)
    used = combine(default, extended)
    models: dict[str, SentimentModel] = {"default": default}
    if extended is not None:
        models[f"larger set ({extended.name})"] = extended
        models["assistant (routed)" if used is not default else "assistant (= default)"] = used
    else:
        models["assistant (= default)"] = used

    languages = sorted({example.language for example in examples})
    print(f"# Sentiment benchmark: {args.tsv} ({len(examples)} sentences, languages: ", end="")
    print(f"{', '.join(languages)}; {'binary, score >= 0 = positive' if binary else '3-class'})")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; latency = one predict() call per sentence, "
        "single process, wall clock"
    )
    print(f"default model trained from the shipped sentences in {default_seconds:.1f} s")
    if extended is not None:
        info = getattr(extended, "info", {})
        print(
            f"larger-set model: {args.extended_dir} ({extended.name}), used for "
            f"{', '.join(info.get('use_for_languages', [])) or 'no language'}"
        )
    results = {name: evaluate(model, examples, binary) for name, model in models.items()}
    rows = [
        [
            name,
            result["n"],
            result["accuracy"],
            f"{result['latency_ms_mean']:.2f}",
            f"{result['latency_ms_p95']:.2f}",
        ]
        for name, result in results.items()
    ]
    print_table("accuracy and latency", ["model", "n", "accuracy", "mean ms", "p95 ms"], rows)
    if len(languages) > 1:
        per_language = [
            [name, *(result["per_language"].get(lang, 0.0) for lang in languages)]
            for name, result in results.items()
        ]
        print_table("accuracy per language", ["model", *languages], per_language)
    assistant_name = next(name for name in results if name.startswith("assistant"))
    payload = {
        "tsv": str(args.tsv),
        "binary": binary,
        "models": results,
        "assistant_model": used.name,
        "accuracy": results[assistant_name]["accuracy"],
    }
    out = args.json or OUT_DIR / f"sentiment_{args.tsv.stem}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
    print(f"\njson: {out}")
    print(f"accuracy: {results[assistant_name]['accuracy']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
