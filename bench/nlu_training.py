"""Trains the project's NLU pipeline on given training data and parses texts with it.

Shared by ``bench/nlu --cv`` (cross-validation of the project's own data) and
``bench/clinc`` (CLINC150). Runs in the Rasa environment.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "assistant" / "config.yml"
FALLBACK = "nlu_fallback"


@dataclass
class Trained:
    """A trained NLU model and how long training took."""

    model: Path
    seconds: float


def train_nlu(training_data: Any, workdir: Path, config: Path = CONFIG) -> Trained:
    """Train an NLU-only model with the project's pipeline on ``training_data``.

    Args:
        training_data: A ``rasa.shared.nlu.training_data.training_data.TrainingData``.
        workdir: Where the data file and the model go.
        config: The pipeline configuration.

    Returns:
        The model file and the wall-clock training time.
    """
    from rasa.model_training import train_nlu as rasa_train_nlu

    workdir.mkdir(parents=True, exist_ok=True)
    data_file = workdir / "nlu.yml"
    data_file.write_text(training_data.nlu_as_yaml(), encoding="utf-8")
    started = time.perf_counter()
    model = rasa_train_nlu(
        config=str(config),
        nlu_data=str(data_file),
        output=str(workdir / "models"),
        fixed_model_name="nlu",
    )
    seconds = time.perf_counter() - started
    if not model:
        raise SystemExit("rasa could not train the NLU model")
    return Trained(Path(model), seconds)


def parse_all(model: Path, texts: list[str]) -> tuple[list[dict[str, Any]], list[float]]:
    """Parse every text with the model.

    Args:
        model: A trained model file.
        texts: The texts.

    Returns:
        The parse results and the per-text latencies in milliseconds.
    """
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)

    async def run() -> tuple[list[dict[str, Any]], list[float]]:
        agent = Agent.load(str(model))
        results: list[dict[str, Any]] = []
        latencies: list[float] = []
        for text in texts:
            t0 = time.perf_counter()
            results.append(await agent.parse_message(text))
            latencies.append((time.perf_counter() - t0) * 1000)
        return results, latencies

    return asyncio.run(run())


def top_intent(parsed: dict[str, Any]) -> str:
    """The classifier's best intent, ignoring the fallback."""
    ranking = [r["name"] for r in parsed.get("intent_ranking", []) if r["name"] != FALLBACK]
    return ranking[0] if ranking else str((parsed.get("intent") or {}).get("name") or "")


def final_intent(parsed: dict[str, Any]) -> str:
    """The intent after the FallbackClassifier (``nlu_fallback`` when it fired)."""
    return str((parsed.get("intent") or {}).get("name") or "")


def scratch_dir(prefix: str) -> Path:
    """A fresh temporary directory for models and data."""
    return Path(tempfile.mkdtemp(prefix=prefix))
