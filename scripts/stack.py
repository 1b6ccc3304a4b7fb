#!/usr/bin/env python3
"""Starts the assistant's processes on loopback ports and stops them cleanly.

Used by `make run` (foreground, Ctrl-C stops everything) and by the end-to-end tests (as a
library: `Stack(StackConfig(...)).start()`). Standard library only, so any Python 3.10+ runs it.

Processes: the profile service (customers, orders, consent; Python 3.11 env), rasa (Python 3.10
env: rest + verified socketio channels, HTTP API behind a token), the action server (Python 3.11
env), and the demo shop (a product grid with the chat widget; ``python -m web``).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_dotenv(path: Path) -> dict[str, str]:
    """Reads KEY=VALUE lines of a .env file (comments and blank lines ignored)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def kept_secret(var_dir: Path, name: str, env: dict[str, str]) -> str:
    """Returns env[NAME] (upper case), or a random secret kept in var/<name> across runs."""
    if env.get(name.upper()):
        return env[name.upper()]
    path = var_dir / name
    if not path.is_file():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def rasa_token(var_dir: Path) -> str:
    """Returns RASA_TOKEN from the environment, or a random one kept in var/ across runs."""
    return kept_secret(var_dir, "rasa_token", dict(os.environ))


def latest_model(models_dir: Path) -> Path:
    """Returns the newest trained model archive in models_dir."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit(f"no trained model in {models_dir}: run `make train` first")
    return models[-1]


@dataclass
class StackConfig:
    """Where the processes listen and where they keep their state."""

    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    profiles_port: int = 8300
    console_port: int = 8400
    web_port: int = 8080
    var_dir: Path = ROOT / "var"
    models_dir: Path = ROOT / "var" / "models"
    with_web: bool = True
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        """Base URL of the rasa server."""
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        """Base URL of the action server."""
        return f"http://{self.host}:{self.actions_port}"

    @property
    def profiles_url(self) -> str:
        """Base URL of the profile service."""
        return f"http://{self.host}:{self.profiles_port}"

    @property
    def console_url(self) -> str:
        """Base URL of the handoff console."""
        return f"http://{self.host}:{self.console_port}"

    @property
    def web_url(self) -> str:
        """URL of the demo shop."""
        return f"http://{self.host}:{self.web_port}/"


class Stack:
    """The running processes; a context manager that always stops what it started."""

    def __init__(self, config: StackConfig) -> None:
        """Prepares the environment of the processes (nothing starts yet)."""
        self.config = config
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.argv: dict[str, list[str]] = {}
        self.logs_dir = config.var_dir / "logs"
        env = dict(os.environ)
        env.update(read_dotenv(ROOT / ".env"))
        env.update(config.extra_env)
        self.token = kept_secret(config.var_dir, "rasa_token", env)
        # Shared secrets between our own processes: kept in var/ unless the environment sets them.
        env["PROFILES_TOKEN"] = kept_secret(config.var_dir, "profiles_token", env)
        env["IDENTITY_JWT_SECRET"] = kept_secret(config.var_dir, "identity_jwt_secret", env)
        env["CONSOLE_TOKEN"] = kept_secret(config.var_dir, "console_token", env)
        env["CONSOLE_SECRET_KEY"] = kept_secret(config.var_dir, "console_secret_key", env)
        env.setdefault("CONSOLE_ADMIN_EMAIL", "admin@shop.example")
        env["CONSOLE_ADMIN_PASSWORD"] = kept_secret(config.var_dir, "console_admin_password", env)
        self.profiles_token = env["PROFILES_TOKEN"]
        self.identity_secret = env["IDENTITY_JWT_SECRET"]
        self.console_token = env["CONSOLE_TOKEN"]
        self.console_admin = (env["CONSOLE_ADMIN_EMAIL"], env["CONSOLE_ADMIN_PASSWORD"])
        for sub in ("rasa", "profiles", "console", "handoff"):
            (config.var_dir / sub).mkdir(parents=True, exist_ok=True)
        env.setdefault("TRACKER_DB", str(config.var_dir / "rasa" / "tracker.db"))
        env.setdefault("EVENTS_DB", str(config.var_dir / "rasa" / "events.db"))
        # The console reads Rasa's event broker table for the dashboard's handoff rate.
        env.setdefault("CONSOLE_EVENTS_DATABASE_URL", f"sqlite:///{env['EVENTS_DB']}")
        env.setdefault(
            "PROFILES_DATABASE_URL", f"sqlite:///{config.var_dir / 'profiles' / 'profiles.db'}"
        )
        env.setdefault(
            "CONSOLE_DATABASE_URL", f"sqlite:///{config.var_dir / 'console' / 'console.db'}"
        )
        env.setdefault("HANDOFF_QUEUE", str(config.var_dir / "handoff" / "pending.jsonl"))
        env["PROFILES_URL"] = config.profiles_url
        env["CONSOLE_URL"] = config.console_url
        env["RASA_URL"] = config.rasa_url
        # The demo shop's page opens rasa's socket.io from its own origin (WIDGET_ORIGINS lists
        # the page origins the channel accepts; a shop sets its own).
        shop_origins = [f"http://{config.host}:{config.web_port}"]
        if config.host == "127.0.0.1":
            shop_origins.append(f"http://localhost:{config.web_port}")
        env.setdefault("WIDGET_ORIGINS", ",".join(shop_origins))
        env["RASA_TOKEN"] = self.token
        env["ACTION_ENDPOINT_URL"] = f"{config.actions_url}/webhook"
        env["SANIC_HOST"] = config.host
        env["PYTHONPATH"] = str(ROOT)
        env["HF_HUB_OFFLINE"] = env.get("HF_HUB_OFFLINE", "1")
        env["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"
        env["RASA_TELEMETRY_ENABLED"] = "false"  # no traffic beyond loopback
        self.env = env

    def _spawn(self, name: str, argv: list[str]) -> None:
        self.argv[name] = argv
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.logs_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        self.procs[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def start(self, timeout: float = 300.0) -> Stack:
        """Starts every process and waits until each answers its health check."""
        c = self.config
        model = latest_model(c.models_dir)
        try:
            self._spawn(
                "profiles",
                [
                    str(ROOT / ".venv/app/bin/python"),
                    "-m",
                    "profiles",
                    "serve",
                    "--host",
                    c.host,
                    "--port",
                    str(c.profiles_port),
                ],
            )
            self._spawn(
                "console",
                [
                    str(ROOT / ".venv/app/bin/python"),
                    "-m",
                    "console",
                    "serve",
                    "--host",
                    c.host,
                    "--port",
                    str(c.console_port),
                ],
            )
            self._spawn(
                "actions",
                [
                    str(ROOT / ".venv/app/bin/python"),
                    "-m",
                    "actions",
                    "--port",
                    str(c.actions_port),
                ],
            )
            self._spawn(
                "rasa",
                [
                    str(ROOT / ".venv/rasa/bin/rasa"),
                    "run",
                    "--model",
                    str(model),
                    "--endpoints",
                    "assistant/endpoints.yml",
                    "--credentials",
                    "assistant/credentials.yml",
                    "--interface",
                    c.host,
                    "--port",
                    str(c.rasa_port),
                    "--enable-api",
                    "--auth-token",
                    self.token,
                    # No "--cors": its headers on /socket.io doubled those of the socket.io
                    # channel, which answers the page origins in WIDGET_ORIGINS itself.
                ],
            )
            if c.with_web:
                self._spawn(
                    "web",
                    [
                        str(ROOT / ".venv/app/bin/python"),
                        "-m",
                        "web",
                        "--host",
                        c.host,
                        "--port",
                        str(c.web_port),
                        "--rasa-url",
                        c.rasa_url,
                        "--console-url",
                        c.console_url,
                    ],
                )
            deadline = time.monotonic() + timeout
            self._wait_http("profiles", f"{c.profiles_url}/health", deadline)
            self._wait_http("console", f"{c.console_url}/health", deadline)
            self._wait_http("actions", f"{c.actions_url}/health", deadline)
            self._wait_http("rasa", f"{c.rasa_url}/status?token={self.token}", deadline)
            if c.with_web:
                self._wait_http("web", c.web_url, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_http(self, name: str, url: str, deadline: float) -> None:
        while time.monotonic() < deadline:
            proc = self.procs[name]
            if proc.poll() is not None:
                log = self.logs_dir / f"{name}.log"
                raise RuntimeError(f"{name} exited with code {proc.returncode}; see {log}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{name} did not become ready at {url}; see {self.logs_dir}")

    def stop_process(self, name: str, grace: float = 15.0) -> None:
        """Stops one process of the stack (tests of a service being down)."""
        proc = self.procs.pop(name)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def start_process(self, name: str, health_url: str, timeout: float = 120.0) -> None:
        """Starts a process stopped by :meth:`stop_process` again and waits for it."""
        self._spawn(name, self.argv[name])
        self._wait_http(name, health_url, time.monotonic() + timeout)

    def stop(self, grace: float = 15.0) -> None:
        """Sends SIGTERM to each process group we started, then SIGKILL after the grace time."""
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        self.procs.clear()

    def __enter__(self) -> Stack:
        """Starts the stack."""
        return self.start()

    def __exit__(self, *exc: object) -> None:
        """Stops the stack."""
        self.stop()


def main() -> int:
    """Runs the stack in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument(
        "--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055))
    )
    parser.add_argument(
        "--profiles-port", type=int, default=int(os.environ.get("PROFILES_PORT", 8300))
    )
    parser.add_argument(
        "--console-port", type=int, default=int(os.environ.get("CONSOLE_PORT", 8400))
    )
    parser.add_argument("--web-port", type=int, default=int(os.environ.get("WEB_PORT", 8080)))
    args = parser.parse_args()
    config = StackConfig(
        host=args.host,
        rasa_port=args.rasa_port,
        actions_port=args.actions_port,
        profiles_port=args.profiles_port,
        console_port=args.console_port,
        web_port=args.web_port,
    )
    stack = Stack(config)
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    # Installed explicitly: a shell that starts us in the background makes us inherit an
    # ignored SIGINT, and then Python would not turn Ctrl-C into KeyboardInterrupt.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    print(
        "Starting the profile service, the handoff console, rasa, the action server and the"
        " demo shop"
        " (loading the model takes a minute)..."
    )
    try:
        stack.start()
        print(
            f"\nReady in {time.monotonic() - started:.0f} s.\n"
            f"  Demo shop:      {config.web_url} (the chat widget in the corner)\n"
            f"  Rasa REST:      {config.rasa_url}/webhooks/rest/webhook\n"
            f"  Rasa socket.io: {config.rasa_url}/socket.io\n"
            f"  Rasa HTTP API:  {config.rasa_url} (token in var/rasa_token)\n"
            f"  Action server:  {config.actions_url}\n"
            f"  Profiles:       {config.profiles_url} (token in var/profiles_token)\n"
            f"  Agent console:  {config.console_url}/login as {stack.console_admin[0]}"
            " (password in var/console_admin_password unless CONSOLE_ADMIN_PASSWORD is set)\n"
            f"  Logs:           {stack.logs_dir}/\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while True:
            for name, proc in stack.procs.items():
                if proc.poll() is not None:
                    print(f"{name} stopped unexpectedly (code {proc.returncode}); see its log.")
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("Stopped.")


if __name__ == "__main__":
    sys.exit(main())
