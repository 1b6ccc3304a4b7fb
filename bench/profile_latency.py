"""What the profile look-up costs a turn, and how the assistant answers without the service.

Starts the real stack (profile service, rasa, action server) on free loopback ports with its
own state, then measures:

1. The look-up itself, timed over real HTTP with the action server's own ``ProfileClient``:
   what every personalised turn waits for (reading the customer, for the consent), and the
   customer plus the order history (cached for a minute, and prefetched in the background
   when a message arrives, so a search rarely waits for it): p50/p95.
2. Whole turns over the widget's socket.io channel: each search by an anonymous visitor and,
   right after, by a logged-in customer who consented (profile look-up + personal re-ranking),
   time from sending the message to the product carousel: p50/p95 of both and of the paired
   difference.
3. The profile service stopped: a logged-in customer's search turns, time to the carousel, and
   whether any reply shows error text. Then a hung service (a socket that accepts and never
   answers, on the same port), after waiting for the circuit breaker to half-open: the first
   turns wait for the client's time budget, then the open breaker answers at once.

Usage: bench/personalisation (runs this, then the ranking benchmark), or directly:
    .venv/app/bin/python bench/profile_latency.py [--turns 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests" / "e2e"), str(ROOT / "bench")]

from _common import free_port, latency_summary, nearest_rank  # noqa: E402
from socket_shopper import SocketShopper, carousels, customer_token, texts  # noqa: E402
from stack import Stack, StackConfig  # noqa: E402

from actions.clients.profiles import ProfileClient  # noqa: E402

QUERIES = [
    "running shoes",
    "a rain jacket",
    "hiking boots",
    "t-shirts",
    "backpacks",
    "socks",
    "fleece jackets",
    "sneakers",
    "a warm hat",
    "leggings",
]
#: A customer of the seeded demo data who consented to personalisation.
CUSTOMER = "CUS-1001"
ERROR_WORDS = ("sorry, something went wrong", "error", "unavailable")


async def lookup_times(url: str, token: str, rounds: int) -> tuple[list[float], list[float]]:
    """Times of the per-turn look-up (customer) and of a first turn (customer + orders)."""
    client = ProfileClient(url, token)
    try:
        await client.get_customer(CUSTOMER)  # open the connection pool
        per_turn, first_turn = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            await client.get_customer(CUSTOMER)
            per_turn.append(time.perf_counter() - started)
            started = time.perf_counter()
            await client.get_customer(CUSTOMER)
            await client.list_orders(CUSTOMER, limit=50)
            first_turn.append(time.perf_counter() - started)
        return per_turn, first_turn
    finally:
        await client.aclose()


async def timed_turn(shopper: SocketShopper, text: str) -> tuple[float, list[dict[str, Any]]]:
    """Seconds from sending to the carousel (or the last reply), and the replies."""
    started = time.perf_counter()
    await shopper.sio.emit(
        "user_uttered", {"message": text, "session_id": shopper.session_id, "metadata": {}}
    )
    replies: list[dict[str, Any]] = []
    arrived = None
    while arrived is None:
        try:
            reply = await asyncio.wait_for(shopper.replies.get(), timeout=30)
        except TimeoutError:
            break
        replies.append(reply)
        if carousels([reply]):
            arrived = time.perf_counter() - started
    # the consent question or other follow-ups: collect them so the next turn starts clean
    replies.extend(await shopper.collect(quiet=0.8, timeout=0.8))
    return (arrived if arrived is not None else float("nan")), replies


async def paired_turns(url: str, token: str, queries: list[str]) -> tuple[list[float], list[float]]:
    """The same search by an anonymous visitor and by the customer, one right after the other."""
    anonymous = await SocketShopper(url).connect()
    personal = await SocketShopper(url, token).connect()
    plain: list[float] = []
    mine: list[float] = []
    try:
        for query in queries:
            plain.append((await timed_turn(anonymous, query))[0])
            mine.append((await timed_turn(personal, query))[0])
    finally:
        await anonymous.close()
        await personal.close()
    return plain, mine


async def turns(url: str, token: str | None, queries: list[str]) -> tuple[list[float], str]:
    """Search turns of one shopper; returns the times and everything the bot said."""
    shopper = await SocketShopper(url, token).connect()
    said: list[str] = []
    times: list[float] = []
    try:
        for query in queries:
            seconds, replies = await timed_turn(shopper, query)
            times.append(seconds)
            said.append(texts(replies))
    finally:
        await shopper.close()
    return times, "\n".join(said)


def hang_server(port: int, stop: threading.Event) -> threading.Thread:
    """A socket on the port that accepts connections and never answers."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(64)
    server.settimeout(0.2)
    held: list[socket.socket] = []

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except TimeoutError:
                continue
        for conn in held:
            conn.close()
        server.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def main() -> int:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=30, help="search turns per shopper")
    parser.add_argument("--lookups", type=int, default=300, help="direct look-ups")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "profile_latency.json")
    args = parser.parse_args()
    var_dir = ROOT / "var" / "bench-profile-latency"
    if var_dir.exists():
        import shutil

        shutil.rmtree(var_dir)
    config = StackConfig(
        rasa_port=free_port(),
        actions_port=free_port(),
        profiles_port=free_port(),
        console_port=free_port(),
        web_port=free_port(),
        var_dir=var_dir,
        with_web=False,
        extra_env={"RASA_TOKEN": "bench-token"},
    )
    queries = [QUERIES[i % len(QUERIES)] for i in range(args.turns)]
    results: dict[str, Any] = {"turns": args.turns, "customer": CUSTOMER}
    print(f"starting the stack in {var_dir} (about a minute)...", flush=True)
    with Stack(config) as stack:
        token = customer_token(stack.identity_secret, CUSTOMER, ttl=3600)
        per_turn, first_turn = asyncio.run(
            lookup_times(config.profiles_url, stack.profiles_token, args.lookups)
        )
        results["lookup_per_turn"] = latency_summary(per_turn)
        results["lookup_first_turn"] = latency_summary(first_turn)
        # warm both paths once, then each query by both shoppers, one right after the other
        asyncio.run(paired_turns(config.rasa_url, token, queries[:3]))
        anonymous, personal = asyncio.run(paired_turns(config.rasa_url, token, queries))
        results["turn_anonymous"] = latency_summary(anonymous)
        results["turn_personal"] = latency_summary(personal)
        extra = [p - a for p, a in zip(personal, anonymous, strict=True)]
        results["turn_cost_p50_ms"] = round(statistics.median(extra) * 1000, 1)
        results["turn_cost_p95_ms"] = round(nearest_rank(extra, 95) * 1000, 1)

        stack.stop_process("profiles")
        down, said = asyncio.run(turns(config.rasa_url, token, queries[:10]))
        results["service_stopped"] = latency_summary(down)
        results["service_stopped_error_text"] = any(w in said.lower() for w in ERROR_WORDS)
        results["service_stopped_all_answered"] = all(t == t for t in down)

        # let the circuit breaker (opened by the stopped service) half-open again first
        time.sleep(31)
        stop = threading.Event()
        thread = hang_server(config.profiles_port, stop)
        hung, said = asyncio.run(turns(config.rasa_url, token, queries[:10]))
        stop.set()
        thread.join()
        results["service_hung"] = {
            **latency_summary(hung),
            "each_ms": [round(t * 1000) for t in hung],
        }
        results["service_hung_error_text"] = any(w in said.lower() for w in ERROR_WORDS)

    print("\nProfile look-up cost and answers without the profile service")
    print("(real stack on loopback; socket.io shopper; times to the product carousel)\n")
    print(f"{'measure':44} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    rows = [
        ("look-up in every turn (consent: GET customer)", "lookup_per_turn"),
        ("customer + order history (prefetched)", "lookup_first_turn"),
        ("search turn, anonymous", "turn_anonymous"),
        ("search turn, logged in + consented", "turn_personal"),
        ("search turn, profile service stopped", "service_stopped"),
        ("search turn, profile service hung", "service_hung"),
    ]
    for label, key in rows:
        r = results[key]
        print(f"{label:44} {r['n']:>4} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8}")
    print(
        f"\nturn cost of personalisation (look-up + personal ranking; the same query by the"
        f" customer minus by an anonymous visitor, paired): "
        f"p50 {results['turn_cost_p50_ms']} ms, p95 {results['turn_cost_p95_ms']} ms"
    )
    print(f"hung service, each turn (ms): {results['service_hung']['each_ms']}")
    print(
        "error text shown with the service stopped / hung: "
        f"{results['service_stopped_error_text']} / {results['service_hung_error_text']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"lookup_p95_ms: {results['lookup_per_turn']['p95_ms']}")
    print(f"stopped_reply_p95_ms: {results['service_stopped']['p95_ms']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
