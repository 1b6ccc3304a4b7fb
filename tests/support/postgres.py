"""A throwaway PostgreSQL server for tests: its own cluster in a temp dir, loopback only.

Usage::

    with temporary_postgres() as url:   # postgresql+psycopg://...
        ...

PostgreSQL must be installed (Debian's ``postgresql`` package: ``make system-deps``); when
it is missing this fails with that message rather than skipping. As root the server runs
as the ``postgres`` system user (``runuser -u postgres --``), the directory chowned to it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PostgresMissing", "find_pg_bin", "temporary_postgres"]

HINT = "PostgreSQL server binaries (initdb, pg_ctl) not found: run `make system-deps`"


class PostgresMissing(RuntimeError):
    """initdb/pg_ctl are not installed."""


def find_pg_bin() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``.

    Returns:
        The directory (from PATH, else the newest ``/usr/lib/postgresql/*/bin``).

    Raises:
        PostgresMissing: Not installed.
    """
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
    )
    for directory in reversed(candidates):
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    raise PostgresMissing(HINT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def temporary_postgres(database: str = "profiles_test") -> Iterator[str]:
    """Start a private PostgreSQL server and yield a SQLAlchemy URL to a fresh database.

    Args:
        database: The database to create.

    Yields:
        ``postgresql+psycopg://<user>@127.0.0.1:<port>/<database>``.

    Raises:
        PostgresMissing: PostgreSQL is not installed.
    """
    bin_dir = find_pg_bin()
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    user = "postgres" if as_root else None
    root = Path(tempfile.mkdtemp(prefix="pgtest-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if as_root:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
        os.chmod(root, 0o700)
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}

    def run(*args: str) -> None:
        subprocess.run(
            [*prefix, *args], check=True, env=env, capture_output=True, text=True, timeout=120
        )

    started = False
    try:
        run(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-instructions",
            *(["-U", user] if user else []),
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off"
        run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        started = True
        login = user or os.environ.get("USER") or "postgres"
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1", port=port, user=login, dbname="postgres", autocommit=True
                ) as conn:
                    conn.execute(f'CREATE DATABASE "{database}"')
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"postgresql+psycopg://{login}@127.0.0.1:{port}/{database}"
    except subprocess.CalledProcessError as exc:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL failed: {exc.stderr}\n{log}") from exc
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                env=env,
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)
