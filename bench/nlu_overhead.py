"""What the issue-3 NLU components cost per message (``bench/nlu-overhead``).

Loads the trained model, times every node of Rasa's prediction graph while parsing the
blind test texts of all four languages (tests/nlu/fresh_*.csv), and reports per node the
mean and p95 time per message. The components added on top of the foundation's pipeline
(LanguageDetector, CatalogEntityMatcher, SentimentAnalyzer) are summed as "added"; the
price and ordinal extractors existed before and only gained tables, so they are listed
separately. Times are wall-clock with ``time.perf_counter`` around ``GraphNode.__call__``.
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
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDED = ("LanguageDetector", "CatalogEntityMatcher", "SentimentAnalyzer")
EXTENDED = ("PriceExtractor", "OrdinalExtractor")


def texts() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "tests" / "nlu").glob("fresh_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            found += [row["text"] for row in csv.DictReader(handle) if row["text"].strip()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "var" / "models" / "assistant.tar.gz")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent
    from rasa.engine.graph import GraphNode
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    spent: dict[str, list[float]] = defaultdict(list)
    original = GraphNode.__call__

    def timed(self, *inputs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return original(self, *inputs)
        finally:
            spent[self._node_name].append((time.perf_counter() - started) * 1000)

    GraphNode.__call__ = timed  # type: ignore[method-assign]
    messages = texts()

    async def run() -> list[float]:
        agent = Agent.load(str(args.model))
        for text in messages[:20]:  # warm up
            await agent.parse_message(text)
        spent.clear()
        totals = []
        for _ in range(args.rounds):
            for text in messages:
                t0 = time.perf_counter()
                await agent.parse_message(text)
                totals.append((time.perf_counter() - t0) * 1000)
        return totals

    totals = asyncio.run(run())
    print(f"# NLU graph cost per message: {len(messages)} texts x {args.rounds} rounds")
    print(f"model: {args.model}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print()
    print(f"{'node':<42} {'mean ms':>8} {'p95 ms':>8}")
    added = 0.0
    extended = 0.0
    for node, values in sorted(spent.items(), key=lambda kv: -statistics.mean(kv[1])):
        mean = statistics.mean(values)
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
        mark = " (added)" if any(a in node for a in ADDED) else ""
        mark = mark or (" (more tables)" if any(e in node for e in EXTENDED) else "")
        print(f"{node + mark:<42} {mean:>8.3f} {p95:>8.3f}")
        if any(a in node for a in ADDED):
            added += mean
        elif any(e in node for e in EXTENDED):
            extended += mean
    print()
    print(
        f"whole parse: mean {statistics.mean(totals):.1f} ms, "
        f"p95 {statistics.quantiles(totals, n=20)[-1]:.1f} ms"
    )
    print(f"added components (language, catalog entities, sentiment): {added:.2f} ms per message")
    print(f"price + ordinal extractors (now four languages): {extended:.2f} ms per message")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "nlu_overhead.json").write_text(
        json.dumps(
            {
                "added_ms": added,
                "extended_ms": extended,
                "nodes": {k: statistics.mean(v) for k, v in spent.items()},
                "parse_mean_ms": statistics.mean(totals),
            },
            indent=2,
        )
    )
    print(f"added_ms_per_message: {added + extended:.2f}")


if __name__ == "__main__":
    main()
