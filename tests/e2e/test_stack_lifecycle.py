"""`make run`'s supervisor: prints its URLs when ready and stops every process on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from conftest import free_port
from stack import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_ctrl_c_stops_every_process(tmp_path: object) -> None:
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    env = dict(os.environ, **{k: str(v) for k, v in ports.items()}, RASA_TOKEN="lifecycle")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "stack.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    try:
        deadline = time.monotonic() + 300
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        text = "".join(output)
        assert "Ready in" in text, text
        assert f"http://127.0.0.1:{ports['WEB_PORT']}/" in text
        assert all(port_open(p) for p in ports.values())
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, rest
        assert "Stopped." in rest
        assert not any(port_open(p) for p in ports.values())
    finally:
        if proc.poll() is None:  # never leave the stack's processes behind
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
