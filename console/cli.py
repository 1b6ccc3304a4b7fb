"""Command line: ``python -m console serve|migrate``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from console.settings import Settings, SettingsError, load_settings

__all__ = ["main"]

logger = logging.getLogger("console")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate, create the first admin, serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8400)
    commands.add_parser("migrate", help="bring the schema up to date (alembic upgrade head)")
    return parser


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from console.app import create_app
    from console.migrate import upgrade
    from redact.filter import install_record_factory

    install_record_factory()  # no email, phone or token ever reaches a log
    upgrade(settings)
    app = create_app(settings)
    logger.info("handoff console on http://%s:%d", host, port)
    # No access log: paths carry conversation ids and customer ids.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command.

    Args:
        argv: The arguments (``sys.argv[1:]`` when omitted).

    Returns:
        The exit status.
    """
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"console: {exc}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        from console.migrate import upgrade

        upgrade(settings)
        logger.info("schema is up to date")
    else:
        _serve(settings, args.host, args.port)
    return 0
