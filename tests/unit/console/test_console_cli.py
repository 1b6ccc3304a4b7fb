"""``python -m console migrate`` and the settings errors of the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from console.cli import main


def test_migrate_creates_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("CONSOLE_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("CONSOLE_TOKEN", "t")
    monkeypatch.setenv("CONSOLE_SECRET_KEY", "s")
    assert main(["migrate"]) == 0
    engine = sa.create_engine(f"sqlite:///{db}")
    try:
        tables = set(sa.inspect(engine).get_table_names())
        with engine.connect() as conn:
            canned = conn.execute(sa.text("SELECT count(*) FROM canned_replies")).scalar_one()
    finally:
        engine.dispose()
    assert {"agents", "agent_sessions", "cases", "case_events", "tickets", "audit_log"} <= tables
    assert canned == 24
    assert main(["migrate"]) == 0  # idempotent


def test_missing_token_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CONSOLE_TOKEN", raising=False)
    monkeypatch.setenv("CONSOLE_SECRET_KEY", "s")
    assert main(["migrate"]) == 2
    assert "CONSOLE_TOKEN must be set" in capsys.readouterr().err


def test_first_admin_only_when_there_is_no_agent(sqlite_url: str) -> None:
    from console_helpers import Console
    from pydantic import SecretStr

    first = Console(sqlite_url)
    first.close()
    second = Console(
        sqlite_url, admin_email="other@shop.test", admin_password=SecretStr("other-password-1")
    )
    try:
        assert second.count("agents") == 1
        assert second.count("agents", "email = 'admin@shop.test' AND role = 'admin'") == 1
    finally:
        second.close()
