"""A throwaway Redis server for tests: its own process and directory, loopback only, no disk.

Usage::

    with temporary_redis() as redis:        # redis.url == "redis://127.0.0.1:<port>/0"
        ...
        redis.stop()                        # an outage; redis.start() brings it back

Redis must be installed (Debian's ``redis-server`` package: ``make system-deps``); when it is
missing this fails with that message rather than skipping. Nothing is saved (``--save ''``,
``--appendonly no``); the server is stopped by its pid and its directory removed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["RedisMissing", "RedisServer", "free_port", "temporary_redis"]

HINT = "redis-server not found: run `make system-deps` (Debian package redis-server)"
START_TIMEOUT = 30.0


class RedisMissing(RuntimeError):
    """redis-server is not installed."""


def free_port() -> int:
    """A loopback TCP port nothing listens on (at the time of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One ``redis-server`` process on a loopback port, in a private directory."""

    def __init__(self, root: Path, port: int, db: int = 0) -> None:
        """Describe the server (:meth:`start` runs it).

        Args:
            root: Its working directory (and log file).
            port: The loopback port.
            db: Database number in :attr:`url`.
        """
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisMissing(HINT)
        self.binary = binary
        self.root = root
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/{db}"
        self.log = root / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until it answers ``PING``.

        Raises:
            RuntimeError: It exited or did not answer in time (its log is in the message).
        """
        if self.process is not None:
            return
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.root),
                "--logfile",
                str(self.log),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not _pong(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log.read_text() if self.log.exists() else ""
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}:\n{log}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (by its pid) and wait for it to exit."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextmanager
def temporary_redis(port: int | None = None, *, start: bool = True) -> Iterator[RedisServer]:
    """A private Redis server, stopped and removed on exit.

    Args:
        port: The loopback port (a free one when omitted).
        start: Start it now (else call :meth:`RedisServer.start` later: Redis "down at start").

    Yields:
        The server.

    Raises:
        RedisMissing: redis-server is not installed.
    """
    root = Path(tempfile.mkdtemp(prefix="redistest-"))
    try:
        server = RedisServer(root, port or free_port())
        try:
            if start:
                server.start()
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
