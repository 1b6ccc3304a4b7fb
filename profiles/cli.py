"""Command line: ``python -m profiles serve|migrate|seed``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from profiles.settings import Settings, SettingsError, load_settings

__all__ = ["main"]

logger = logging.getLogger("profiles")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m profiles", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate, seed an empty database, serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8300)
    commands.add_parser("migrate", help="bring the schema up to date (alembic upgrade head)")
    seed = commands.add_parser("seed", help="load the demo customers, orders and scenarios")
    seed.add_argument("--seed", type=int, default=7, help="the generator's seed")
    seed.add_argument("--reset", action="store_true", help="delete every row first")
    return parser


def _seed(settings: Settings, seed: int, reset: bool) -> None:
    from profiles.seed.load import seed_database
    from servicekit.db import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        report = seed_database(
            make_sessionmaker(engine),
            settings.catalog_path,
            settings.business_date(),
            seed=seed,
            reset=reset,
        )
    finally:
        engine.dispose()
    logger.info(
        "seeded %d customers, %d orders, %d channel links",
        report.customers,
        report.orders,
        report.channel_links,
    )


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from profiles.app import create_app
    from profiles.migrate import upgrade
    from profiles.seed.load import is_empty, seed_database
    from redact.filter import install_record_factory
    from servicekit.db import make_engine, make_sessionmaker

    install_record_factory()  # no email, phone, address or token ever reaches a log
    upgrade(settings)
    engine = make_engine(settings.database_url)
    if settings.seed_demo and is_empty(make_sessionmaker(engine)):
        report = seed_database(
            make_sessionmaker(engine), settings.catalog_path, settings.business_date()
        )
        logger.info("seeded an empty database: %d customers", report.customers)
    app = create_app(settings, engine)
    logger.info("profile service on http://%s:%d", host, port)
    # No access log: paths carry customer ids and channel ids (phone numbers).
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
        print(f"profiles: {exc}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        from profiles.migrate import upgrade

        upgrade(settings)
        logger.info("schema is up to date")
    elif args.command == "seed":
        from profiles.migrate import upgrade

        upgrade(settings)
        _seed(settings, args.seed, args.reset)
    else:
        _serve(settings, args.host, args.port)
    return 0
