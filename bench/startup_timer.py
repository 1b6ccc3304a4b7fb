"""Measures how long `make run` takes to become ready, and how long Ctrl-C takes to stop it."""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(env: dict[str, str]) -> tuple[float, float]:
    started = time.monotonic()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    else:
        raise SystemExit("make run ended before it was ready:\n" + "".join(lines[-30:]))
    ready = time.monotonic() - started
    stop_started = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=120)
    return ready, time.monotonic() - stop_started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    env = dict(os.environ, RASA_PORT="5105", ACTIONS_PORT="5155", WEB_PORT="8180")
    results = [one_run(env) for _ in range(args.runs)]
    print("# make run: time to ready (URLs printed) and to a clean stop after Ctrl-C")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; nothing changed since the last run"
    )
    print(f"{'run':>4} {'ready (s)':>10} {'stop (s)':>9}")
    for i, (ready, stop) in enumerate(results, 1):
        print(f"{i:>4} {ready:>10.1f} {stop:>9.1f}")
    worst = max(r for r, _ in results)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "startup.json").write_text(
        json.dumps({"runs": results, "median_ready": statistics.median(r for r, _ in results)})
    )
    print(f"ready_seconds: {worst:.1f}")


if __name__ == "__main__":
    main()
