"""Personalised vs non-personalised recommendations on the seeded demo customers.

Run through ``bench/personalisation``. Method (leave-last-purchase-out):

- Data: ``profiles.seed.generate.generate_demo(catalog, today, seed)``: the demo customers
  and their orders. Cancelled orders are not purchases. A customer is evaluated when
  personalisation consent is granted and they have at least two purchase orders.
- Held out: the customer's last purchase order (all its items). Signals come from the
  profile plus every other order; the profile's ``sizes`` are cut to the declared
  favourite categories and the categories of the remaining orders (the generator also
  records sizes for categories bought in the held-out order, which would leak it).
  Co-purchase counts come from all customers' orders minus every held-out order.
- Rankers: ``personalisation.recommend`` (content similarity over the catalog index's
  stored embeddings + co-purchase + boosts + MMR + exploration) against
  ``personalisation.popular`` (the best sellers an anonymous shopper gets today).
- Metrics at 10: hit rate (any held-out product in the top 10), nDCG (binary gains,
  ideal = all held-out products first), intra-list diversity (mean pairwise 1 - cosine
  of the embeddings, the same similarity for both), catalog coverage (distinct products
  recommended / catalog size), hit rate per segment and the segment gap (max - min in
  points; min / max as a ratio), the share of personalised results with a reason.
- Worlds: ``--seeds A-B`` evaluates the demo worlds of seeds A..B (the first one is the
  main world of the tables). Seeds 7-16 are the test worlds (the default, reported);
  seeds 17-36 are the dev worlds: weights of ``personalisation`` are tuned on those
  only, never on the test worlds. The pooled segment gap (max - min hit rate over the
  pooled customers of every world) is the figure of the target (<= 10 points).
- Latency: ``personalise`` on 50 candidates and ``recommend`` on the whole catalog.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import ROOT, percentile, print_table  # noqa: E402
from catalog_index.schema import Product  # noqa: E402
from personalisation import (  # noqa: E402
    Candidate,
    ContentSimilarity,
    CoPurchase,
    CustomerSignals,
    personalise,
    popular,
    recommend,
)
from personalisation.recommend import RECOMMEND_LAMBDA  # noqa: E402
from personalisation.signals import key  # noqa: E402

K = 10
DEFAULT_JSON = ROOT / "var" / "bench" / "personalisation.json"


def load_products(path: Path) -> list[Product]:
    with path.open(encoding="utf-8") as handle:
        return [Product.from_dict(json.loads(line)) for line in handle if line.strip()]


def load_embeddings(products: Sequence[Product]) -> dict[str, Any]:
    """Stored product vectors of the built catalog index (empty when there is none)."""
    from catalog_index.settings import Settings
    from catalog_index.store import ProductStore, connect

    settings = Settings.from_env()
    try:
        store = ProductStore(
            connect(str(settings.chroma_path), settings.chroma_url), settings.collection
        )
        return store.embeddings([p.id for p in products])
    except Exception as exc:  # noqa: BLE001 - report and fall back
        print(f"no embeddings ({exc}); using attribute similarity", file=sys.stderr)
        return {}


def purchases(orders: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Purchase orders (not cancelled), oldest first."""
    kept = [o for o in orders if o.get("status") != "cancelled"]
    return sorted(kept, key=lambda o: (o["placed_at"], o["order_id"]))


def without_leaked_sizes(
    customer: dict[str, Any], kept: Sequence[dict[str, Any]], catalog: dict[str, Product]
) -> dict[str, Any]:
    allowed = {key(c) for c in customer.get("favourite_categories") or []}
    allowed |= {
        key(catalog[i["product_id"]].category)
        for o in kept
        for i in o["items"]
        if i["product_id"] in catalog
    }
    sizes = {c: s for c, s in (customer.get("sizes") or {}).items() if key(c) in allowed}
    return {**customer, "sizes": sizes}


def ndcg(ranked: Sequence[str], relevant: set[str], k: int = K) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, pid in enumerate(ranked[:k]) if pid in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def diversity(products: Sequence[Product], similarity: ContentSimilarity) -> float:
    pairs = list(itertools.combinations(products[:K], 2))
    if not pairs:
        return 0.0
    return statistics.fmean(1.0 - similarity(a, b) for a, b in pairs)


def gap(rates: dict[str, float]) -> dict[str, float]:
    high, low = max(rates.values()), min(rates.values())
    return {"points": 100.0 * (high - low), "ratio_min_over_max": low / high if high else 0.0}


def evaluate(
    products: list[Product],
    similarity: ContentSimilarity,
    catalog_path: Path,
    today: date,
    seed: int,
    lambda_: float,
) -> dict[str, Any]:
    from profiles.seed.generate import generate_demo

    demo = generate_demo(catalog_path, today, seed)
    by_id = {p.id: p for p in products}
    orders_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in demo.orders:
        orders_of[o["customer_id"]].append(o)
    counts = {"customers": len(demo.customers)}
    evaluated: list[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]] = []
    multi = 0
    for customer in demo.customers:
        bought = purchases(orders_of[customer["customer_id"]])
        if len(bought) < 2:
            continue
        multi += 1
        if customer["consent"]["personalisation"]["granted"] is True:
            evaluated.append((customer, bought[:-1], bought[-1]))
    counts["with_2_purchase_orders"] = multi
    counts["evaluated_consented"] = len(evaluated)
    held_ids = {held["order_id"] for _, _, held in evaluated}
    baskets = [
        [i["product_id"] for i in o["items"]]
        for o in demo.orders
        if o["order_id"] not in held_ids and o.get("status") != "cancelled"
    ]
    copurchase = CoPurchase.from_baskets(baskets)
    baseline = popular(products, K)
    baseline_ids = [p.id for p in baseline]
    rows: dict[str, list[dict[str, Any]]] = {"personalised": [], "popular": []}
    shown: dict[str, set[str]] = {"personalised": set(), "popular": set()}
    with_reason = total = 0
    for customer, kept, held in evaluated:
        profile = without_leaked_sizes(customer, kept, by_id)
        signals = CustomerSignals.from_profile(profile, kept, today, catalog=by_id)
        ranked = recommend(
            signals, products, copurchase=copurchase, content=similarity, limit=K, lambda_=lambda_
        )
        relevant = {i["product_id"] for i in held["items"]}
        total += len(ranked)
        with_reason += sum(1 for r in ranked if r.reasons)
        for name, items in (("personalised", [r.product for r in ranked]), ("popular", baseline)):
            ids = [p.id for p in items]
            shown[name].update(ids)
            rows[name].append(
                {
                    "segment": customer["segment"],
                    "hit": float(bool(relevant & set(ids[:K]))),
                    "ndcg": ndcg(ids, relevant),
                    "diversity": diversity(items, similarity),
                }
            )
    result: dict[str, Any] = {"seed": seed, "counts": counts, "rankers": {}}
    for name, data in rows.items():
        segments = sorted({r["segment"] for r in data})
        by_segment = {
            s: statistics.fmean(r["hit"] for r in data if r["segment"] == s) for s in segments
        }
        result["rankers"][name] = {
            "hit_rate@10": statistics.fmean(r["hit"] for r in data),
            "ndcg@10": statistics.fmean(r["ndcg"] for r in data),
            "diversity@10": statistics.fmean(r["diversity"] for r in data),
            "coverage": len(shown[name]) / len(products),
            "hit_rate_by_segment": by_segment,
            "segment_sizes": {s: sum(r["segment"] == s for r in data) for s in segments},
            "segment_gap": gap(by_segment),
        }
    result["reason_share"] = with_reason / total if total else 0.0
    result["baseline_ids"] = baseline_ids
    result["_evaluated"] = evaluated
    result["_copurchase"] = copurchase
    return result


def latency(
    products: list[Product],
    similarity: ContentSimilarity,
    evaluated: list[Any],
    copurchase: CoPurchase,
    today: date,
    repeats: int,
) -> dict[str, float]:
    by_id = {p.id: p for p in products}
    rng = random.Random(5)
    personal_ms: list[float] = []
    recommend_ms: list[float] = []
    for _ in range(repeats):
        for customer, kept, _held in evaluated:
            signals = CustomerSignals.from_profile(customer, kept, today, catalog=by_id)
            candidates = [Candidate(p, rng.random()) for p in rng.sample(products, 50)]
            start = time.perf_counter()
            personalise(candidates, signals, limit=K, similarity=similarity)
            personal_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            recommend(signals, products, copurchase=copurchase, content=similarity, limit=K)
            recommend_ms.append((time.perf_counter() - start) * 1000)
    return {
        "personalise_50_p50_ms": percentile(personal_ms, 50),
        "personalise_50_p95_ms": percentile(personal_ms, 95),
        "recommend_catalog_p50_ms": percentile(recommend_ms, 50),
        "recommend_catalog_p95_ms": percentile(recommend_ms, 95),
        "calls": float(len(personal_ms)),
    }


def seed_range(text: str) -> tuple[int, int]:
    """``A-B`` (or ``A``) as the first and last seed."""
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a seed range A-B: {text!r}") from exc
    if high < low:
        raise argparse.ArgumentTypeError(f"empty seed range: {text!r}")
    return low, high


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog" / "demo_catalog.jsonl")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--seed", type=int, default=7, help="generate_demo seed (the demo data: 7)")
    parser.add_argument(
        "--more-seeds", type=int, default=9, help="extra demo worlds for the spread"
    )
    parser.add_argument(
        "--seeds",
        type=seed_range,
        default=None,
        help="demo worlds A-B (overrides --seed/--more-seeds); test 7-16, dev 17-36",
    )
    parser.add_argument("--lambda", dest="lambda_", type=float, default=RECOMMEND_LAMBDA)
    parser.add_argument("--similarity", choices=["embeddings", "attributes"], default="embeddings")
    parser.add_argument("--latency-repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args()
    if args.seeds is not None:
        args.seed, last = args.seeds
        args.more_seeds = last - args.seed
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    products = load_products(args.catalog)
    vectors = load_embeddings(products) if args.similarity == "embeddings" else {}
    similarity = ContentSimilarity(vectors)
    main_run = evaluate(products, similarity, args.catalog, args.today, args.seed, args.lambda_)
    spread = [
        evaluate(products, similarity, args.catalog, args.today, args.seed + n, args.lambda_)
        for n in range(1, args.more_seeds + 1)
    ]
    timing = latency(
        products,
        similarity,
        main_run["_evaluated"],
        main_run["_copurchase"],
        args.today,
        args.latency_repeats,
    )

    counts = main_run["counts"]
    pers, base = main_run["rankers"]["personalised"], main_run["rankers"]["popular"]
    ratio = pers["hit_rate@10"] / base["hit_rate@10"] if base["hit_rate@10"] else float("inf")
    print(f"# Personalised recommendations, leave-last-purchase-out (demo seed {args.seed})")
    catalog_name = os.path.relpath(args.catalog, ROOT)
    how = f"embeddings (chroma, {len(vectors)} vectors)" if vectors else "attributes"
    print(f"catalog: {catalog_name} ({len(products)} products); similarity: {how}")
    print(f"MMR lambda {args.lambda_}; today {args.today}")
    print(
        f"customers {counts['customers']}, with >= 2 purchase orders "
        f"{counts['with_2_purchase_orders']}, evaluated (consent granted) "
        f"{counts['evaluated_consented']}"
    )
    print_table(
        "ranker quality at 10",
        ["ranker", "hit-rate", "nDCG", "diversity", "coverage"],
        [
            [name, r["hit_rate@10"], r["ndcg@10"], r["diversity@10"], r["coverage"]]
            for name, r in main_run["rankers"].items()
        ],
    )
    segments = sorted(pers["hit_rate_by_segment"])
    print_table(
        "hit-rate@10 by segment (customers)",
        [
            "ranker",
            *[f"{s} ({pers['segment_sizes'][s]})" for s in segments],
            "gap (points)",
            "min/max",
        ],
        [
            [
                name,
                *[r["hit_rate_by_segment"][s] for s in segments],
                r["segment_gap"]["points"],
                r["segment_gap"]["ratio_min_over_max"],
            ]
            for name, r in main_run["rankers"].items()
        ],
    )
    all_runs = [main_run, *spread]
    ratios = []
    for run in all_runs:
        b = run["rankers"]["popular"]["hit_rate@10"]
        ratios.append(run["rankers"]["personalised"]["hit_rate@10"] / b if b else float("inf"))
    pooled = {}
    for name in ("personalised", "popular"):
        hits = [
            run["rankers"][name]["hit_rate@10"] * run["counts"]["evaluated_consented"]
            for run in all_runs
        ]
        n = sum(run["counts"]["evaluated_consented"] for run in all_runs)
        seg_hits: dict[str, list[float]] = defaultdict(list)
        for run in all_runs:
            r = run["rankers"][name]
            for s, rate in r["hit_rate_by_segment"].items():
                seg_hits[s].append(rate * r["segment_sizes"][s])
        seg_n: dict[str, int] = defaultdict(int)
        for run in all_runs:
            for s, size in run["rankers"][name]["segment_sizes"].items():
                seg_n[s] += size
        by_seg = {s: sum(seg_hits[s]) / seg_n[s] for s in seg_hits}
        pooled[name] = {
            "hit_rate@10": sum(hits) / n,
            "diversity@10": statistics.fmean(
                run["rankers"][name]["diversity@10"] for run in all_runs
            ),
            "hit_rate_by_segment": by_seg,
            "segment_sizes": dict(seg_n),
            "segment_gap": gap(by_seg),
            "customers": n,
        }
    pooled_ratio = pooled["personalised"]["hit_rate@10"] / pooled["popular"]["hit_rate@10"]
    print_table(
        f"spread over {len(all_runs)} demo worlds "
        f"(seeds {args.seed}-{args.seed + args.more_seeds}), pooled",
        ["ranker", "customers", "hit-rate", "diversity", *segments, "gap (points)", "min/max"],
        [
            [
                name,
                p["customers"],
                p["hit_rate@10"],
                p["diversity@10"],
                *[p["hit_rate_by_segment"].get(s, 0.0) for s in segments],
                p["segment_gap"]["points"],
                p["segment_gap"]["ratio_min_over_max"],
            ]
            for name, p in pooled.items()
        ],
    )
    print(
        f"hit-rate ratio per world: min {min(ratios):.2f}, "
        f"median {statistics.median(ratios):.2f}, max {max(ratios):.2f}; "
        f"pooled {pooled_ratio:.2f}"
    )
    div_change = pers["diversity@10"] / base["diversity@10"] - 1.0
    print(f"diversity change vs baseline: {100 * div_change:+.1f}% (target >= -5%)")
    pooled_div = pooled["personalised"]["diversity@10"] / pooled["popular"]["diversity@10"] - 1.0
    print(f"diversity change vs baseline, pooled over the worlds: {100 * pooled_div:+.1f}%")
    seed_label = f"seeds {args.seed}-{args.seed + args.more_seeds}"
    world_kind = {(7, 16): "test worlds", (17, 36): "dev worlds"}.get(
        (args.seed, args.seed + args.more_seeds), "worlds"
    )
    pooled_gap = pooled["personalised"]["segment_gap"]
    print(
        f"segment gap, pooled over the {world_kind} ({seed_label}): "
        f"{pooled_gap['points']:.1f} points, min/max {pooled_gap['ratio_min_over_max']:.2f} "
        f"(target <= 10 points)"
    )
    print(f"personalised results with a reason: {100 * main_run['reason_share']:.1f}%")
    print(
        f"latency (ms, {timing['calls']:.0f} calls each): personalise on 50 candidates "
        f"p50 {timing['personalise_50_p50_ms']:.2f} p95 {timing['personalise_50_p95_ms']:.2f}; "
        f"recommend on the catalog p50 {timing['recommend_catalog_p50_ms']:.2f} "
        f"p95 {timing['recommend_catalog_p95_ms']:.2f}"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )

    payload = {
        "method": __doc__,
        "seed": args.seed,
        "today": args.today.isoformat(),
        "lambda": args.lambda_,
        "similarity": "embeddings" if similarity.uses_embeddings else "attributes",
        "counts": counts,
        "rankers": main_run["rankers"],
        "hit_rate_ratio": ratio,
        "diversity_change": div_change,
        "reason_share": main_run["reason_share"],
        "spread": {
            "seeds": [r["seed"] for r in all_runs],
            "ratios": ratios,
            "pooled": pooled,
            "pooled_ratio": pooled_ratio,
            "pooled_diversity_change": pooled_div,
        },
        "latency": timing,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
    print(f"json: {args.json}")
    # The last line is the ratio pooled over every world evaluated: one world's baseline has a
    # hit or two, so its own ratio (printed above per world) is too noisy to stand alone.
    print(f"hit_rate_ratio: {pooled_ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
