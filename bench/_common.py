"""Shared helpers of the benchmarks: judgments, ranking metrics, machine info, output."""

from __future__ import annotations

import csv
import json
import math
import os
import platform
import random
import resource
import socket
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"

#: Candidate label columns of judgment files, in order of preference.
_LABEL_COLUMNS = ("median_relevance", "relevance", "label", "score", "grade")


@dataclass
class Judgments:
    """Graded relevance judgments: query -> product id -> gain (label minus lowest)."""

    gains: dict[str, dict[str, float]]
    label_column: str
    lowest_label: float
    relevant_threshold: float
    rows: int = 0
    queries: list[str] = field(default_factory=list)

    def relevant(self, query: str) -> set[str]:
        """Products judged relevant for a query (gain >= relevant_threshold)."""
        return {pid for pid, gain in self.gains[query].items() if gain >= self.relevant_threshold}


def load_judgments(path: Path) -> Judgments:
    """Read a judgments CSV, detecting its label column.

    Gain = label - lowest label of the file. A product counts as relevant for
    MRR / recall when its gain is at least half of the highest gain.

    Args:
        path: CSV with ``query``, ``product_id`` and a label column.

    Returns:
        The judgments.

    Raises:
        ValueError: If no known label column is present.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        label = next((c for c in _LABEL_COLUMNS if c in fields), None)
        if label is None or "query" not in fields or "product_id" not in fields:
            raise ValueError(f"cannot detect judgment columns in {fields}")
        rows = [(r["query"], r["product_id"], float(r[label])) for r in reader]
    lowest = min(value for _, _, value in rows)
    highest = max(value for _, _, value in rows)
    gains: dict[str, dict[str, float]] = {}
    for query, pid, value in rows:
        gains.setdefault(query, {})[pid] = value - lowest
    return Judgments(
        gains=gains,
        label_column=label,
        lowest_label=lowest,
        relevant_threshold=(highest - lowest) / 2.0,
        rows=len(rows),
        queries=list(gains),
    )


def ndcg_at(ranked: Sequence[str], gains: dict[str, float], k: int = 10) -> float:
    """nDCG@k with linear gains; unjudged products have gain 0.

    Args:
        ranked: Product ids, best first.
        gains: Judged gains of the query.
        k: Cut-off.

    Returns:
        nDCG@k in [0, 1] (0 when no judged product has positive gain).
    """
    dcg = sum(gains.get(pid, 0.0) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    """1 / rank of the first relevant product (0 if none is ranked)."""
    for i, pid in enumerate(ranked):
        if pid in relevant:
            return 1.0 / (i + 1)
    return 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int = 50) -> float:
    """Share of the relevant products found in the top ``k``."""
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def evaluate(
    runs: dict[str, list[str]], judgments: Judgments, queries: Sequence[str] | None = None
) -> dict[str, float]:
    """Mean nDCG@10, MRR and recall@50 of one system's rankings.

    Args:
        runs: Query -> ranked product ids.
        judgments: The judgments.
        queries: Queries to average over (default: all judged queries).

    Returns:
        ``{"ndcg@10", "mrr", "recall@50", "queries"}``.
    """
    chosen = list(queries if queries is not None else judgments.queries)
    ndcg = [ndcg_at(runs.get(q, []), judgments.gains[q]) for q in chosen]
    rel = [judgments.relevant(q) for q in chosen]
    mrr = [reciprocal_rank(runs.get(q, []), r) for q, r in zip(chosen, rel, strict=True)]
    rec = [recall_at(runs.get(q, []), r) for q, r in zip(chosen, rel, strict=True) if r]
    return {
        "ndcg@10": statistics.fmean(ndcg),
        "mrr": statistics.fmean(mrr),
        "recall@50": statistics.fmean(rec) if rec else 0.0,
        "queries": float(len(chosen)),
    }


def split_halves(queries: Sequence[str], seed: int = 13) -> tuple[list[str], list[str]]:
    """Split queries into two random halves (fixed seed, reproducible)."""
    shuffled = sorted(queries)
    random.Random(seed).shuffle(shuffled)
    middle = len(shuffled) // 2
    return shuffled[:middle], shuffled[middle:]


def percentile(values: Sequence[float], pct: float) -> float:
    """Percentile by linear interpolation (values need not be sorted)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * pct / 100.0
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def free_port() -> int:
    """A loopback port nobody listens on right now (benchmarks that start the stack)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nearest_rank(values: Sequence[float], q: float) -> float:
    """The q-th percentile by nearest rank (a value that was measured)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def latency_summary(values: Sequence[float]) -> dict[str, float]:
    """n, p50 / p95 (nearest rank) / mean / max in milliseconds of durations in seconds."""
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(nearest_rank(values, 95) * 1000, 1),
        "mean_ms": round(statistics.fmean(values) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def rss_mb() -> dict[str, float]:
    """Current and peak resident set size of this process, in MB."""
    current = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                current = float(line.split()[1]) / 1024.0
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"rss_mb": current, "peak_rss_mb": peak}


def machine() -> dict[str, str]:
    """Short description of the machine and software the benchmark ran on."""
    import torch  # noqa: PLC0415 - heavy, only needed here

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "gpu": "yes" if torch.cuda.is_available() else "no",
        "torch_threads": str(torch.get_num_threads()),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a simple aligned text table."""
    cells = [[str(h) for h in header]] + [
        [f"{c:.4f}" if isinstance(c, float) else str(c) for c in row] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for n, row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def write_json(name: str, payload: dict[str, object]) -> Path:
    """Write a benchmark result to ``bench/out/<name>.json``."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
    return path


def model_label(name_or_path: str) -> str:
    """Short readable name of an embedding model given as a hub name or a folder."""
    path = Path(name_or_path)
    if path.is_dir():
        return f"{path.parent.name}/{path.name}" if path.name == "model" else path.name
    return name_or_path
