"""The catalog index on a real chroma server (HttpClient), as in the production stack."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import free_port
from stack import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
TINY_CATALOG = ROOT / "tests" / "unit" / "catalog_index" / "tiny_catalog.jsonl"
CHROMA = ROOT / ".venv" / "app" / "bin" / "chroma"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A chroma server (the one shipped in the chromadb package) on a loopback port."""
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, ANONYMIZED_TELEMETRY="False"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalog_index", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_build_and_search_through_a_chroma_server(chroma_url: str, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.jsonl"
    shutil.copy(TINY_CATALOG, catalog)
    env = dict(
        os.environ,
        INDEX_DIR=str(tmp_path / "index"),
        CATALOG_COLLECTION="server-test",
        HF_HUB_OFFLINE="1",
        PYTHONPATH=str(ROOT),
    )
    first = cli(
        ["build", "--catalog", str(catalog), "--chroma-url", chroma_url, "--no-progress"], env
    )
    assert first.returncode == 0, first.stderr
    assert "8 added" in first.stdout
    assert not (ROOT / "var" / "chroma" / "server-test").exists()

    again = cli(
        ["build", "--catalog", str(catalog), "--chroma-url", chroma_url, "--no-progress"], env
    )
    assert again.returncode == 0, again.stderr
    assert "0 added" in again.stdout and "8 unchanged" in again.stdout

    found = cli(["search", "tent", "--chroma-url", chroma_url, "--json"], env)
    assert found.returncode == 0, found.stderr
    rows = [json.loads(line) for line in found.stdout.splitlines() if line.strip()]
    assert rows and rows[0]["category"] == "tents"
    stored = httpx.get(f"{chroma_url}/api/v2/heartbeat")
    assert stored.status_code == 200
