"""Trains the larger-set sentiment model: the shipped chat sentences plus a labelled file.

    .venv/rasa/bin/python scripts/train_sentiment.py --data FILE [--out var/sentiment/extended]

FILE has ``sentence<TAB>label`` rows (``1`` positive, ``0`` negative, or
negative/neutral/positive), an optional header and an optional third column with the
language (default ``en``). It is read where it is and never copied.

The model is a linear model fitted on the shipped sentences (all four languages) plus FILE,
gated by the default model: the default model decides whether a message is neutral (a
large review set has few neutral shop questions), the larger-set model gives the sign and
the score (:class:`GatedSentimentModel`). A large English set can make the model worse on
Spanish, German or French chat, so the script measures it: it holds back a fifth of the
shipped sentences, trains the default model and the larger-set model without them, and
keeps the larger-set model only for the languages where it is at least as accurate on the
held-back sentences. The others keep the default model. The languages land in the manifest
(``info.use_for_languages``); the SentimentAnalyzer reads them at ``rasa train`` time.
Retrain the Rasa model afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.components.sentiment_model import (  # noqa: E402
    LANGUAGES,
    MANIFEST,
    SHIPPED_DATA,
    SHIPPED_LEXICON,
    Example,
    GatedSentimentModel,
    Lexicon,
    LinearSentimentModel,
    LinearSettings,
    SentimentModel,
    read_examples,
)

#: The larger set is large: SGD fits it in seconds, lbfgs takes minutes on 2 cores.
EXTENDED_SETTINGS = LinearSettings(solver="sgd", max_iter=30, regularisation=8.0)
#: The shipped sentences weigh as much as this share of the larger set in training.
SHIPPED_SHARE = 0.25


def split_shipped(
    examples: Sequence[Example], share: float = 0.2, seed: int = 7
) -> tuple[list[Example], list[Example]]:
    """Splits the shipped sentences into train and held-back parts per language and label."""
    groups: dict[tuple[str, str], list[Example]] = defaultdict(list)
    for example in examples:
        groups[(example.language, example.label)].append(example)
    train, held = [], []
    rng = random.Random(seed)
    for key in sorted(groups):
        items = list(groups[key])
        rng.shuffle(items)
        cut = max(1, round(len(items) * share))
        held += items[:cut]
        train += items[cut:]
    return train, held


def accuracy_by_language(model: SentimentModel, examples: Sequence[Example]) -> dict[str, float]:
    """Three-class accuracy of a model per language."""
    hits: dict[str, list[bool]] = defaultdict(list)
    for example in examples:
        hits[example.language].append(
            model.predict(example.text, example.language).label == example.label
        )
    return {language: sum(values) / len(values) for language, values in sorted(hits.items())}


def train_extended(
    shipped: Sequence[Example],
    extra: Sequence[Example],
    lexicon: Lexicon,
    name: str,
    shipped_share: float = SHIPPED_SHARE,
) -> LinearSentimentModel:
    """Fits the linear model on shipped + extra sentences, the shipped ones up-weighted."""
    weight = max(1.0, shipped_share * len(extra) / max(1, len(shipped)))
    weights = [weight] * len(shipped) + [1.0] * len(extra)
    return LinearSentimentModel.train(
        [*shipped, *extra], lexicon, name=name, settings=EXTENDED_SETTINGS, sample_weight=weights
    )


def save_replacing(model: SentimentModel, out: Path) -> None:
    """Saves the model into ``out``, replacing an earlier model only when the new one is whole.

    Raises:
        SystemExit: If ``out`` exists and is not an empty directory or an earlier model.
    """
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise SystemExit(f"{out} exists and is not a sentiment model; not overwriting it")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save(partial)
    if out.exists():
        shutil.rmtree(out)
    partial.rename(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled TSV (read in place)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "sentiment" / "extended")
    parser.add_argument("--name", default=None, help="model name (default: extended-<file stem>)")
    parser.add_argument(
        "--shipped-share",
        type=float,
        default=SHIPPED_SHARE,
        help="weight of the shipped sentences relative to FILE (default %(default)s)",
    )
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"no such file: {args.data}")
    name = args.name or f"extended-{args.data.stem}"
    started = time.perf_counter()
    lexicon = Lexicon.read(SHIPPED_LEXICON)
    shipped = read_examples(SHIPPED_DATA)
    try:
        extra = read_examples(args.data)
    except ValueError as error:
        parser.error(str(error))
    print(f"shipped sentences: {len(shipped)}; {args.data}: {len(extra)} rows")

    train_part, held = split_shipped(shipped)
    default_check = LinearSentimentModel.train(train_part, lexicon, name="default")
    extended_check = GatedSentimentModel(
        name,
        default_check,
        train_extended(train_part, extra, lexicon, name, args.shipped_share),
    )
    before = accuracy_by_language(default_check, held)
    after = accuracy_by_language(extended_check, held)
    languages = [lang for lang in LANGUAGES if lang in after and after[lang] >= before[lang]]
    print("held-back shipped sentences, 3-class accuracy (default -> larger set):")
    for language in LANGUAGES:
        if language in before:
            print(f"  {language}: {before[language]:.3f} -> {after[language]:.3f}")
    print(f"larger-set model used for: {', '.join(languages) or 'no language'}")

    model = GatedSentimentModel(
        name,
        LinearSentimentModel.train(shipped, lexicon, name="default"),
        train_extended(shipped, extra, lexicon, f"{name}-polarity", args.shipped_share),
    )
    model.info.update(
        {
            "data": str(args.data),
            "use_for_languages": languages,
            "held_back_accuracy": {"default": before, "extended": after},
        }
    )
    save_replacing(model, args.out)
    seconds = time.perf_counter() - started
    print(json.dumps({"out": str(args.out), "model": name, "seconds": round(seconds, 1)}))
    print("Retrain the Rasa model (make train) so the assistant uses it.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
