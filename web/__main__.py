"""``python -m web``: serve the demo shop on a loopback port (uvicorn)."""

from __future__ import annotations

import argparse
import logging
import sys

from catalog_index.errors import CatalogError
from web.settings import SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    """Parse the flags, read the settings once and serve until interrupted.

    Args:
        argv: The command line (``sys.argv[1:]`` when omitted).

    Returns:
        The exit code.
    """
    parser = argparse.ArgumentParser(prog="python -m web", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", help="rasa's URL (SHOP_RASA_URL, when set, wins)")
    parser.add_argument(
        "--console-url", help="the console's URL (SHOP_CONSOLE_URL, when set, wins)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        settings = load_settings(rasa_url=args.rasa_url, console_url=args.console_url)
        from web.app import create_app

        app = create_app(settings)
    except (SettingsError, CatalogError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    import uvicorn

    # No access log: query strings and cookies stay out of the logs.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
