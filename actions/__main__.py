"""``python -m actions [--port 5055] [...]``: the action server with a warm catalog.

Takes the same options as ``python -m rasa_sdk`` (``--actions`` defaults to this
package). Set ``ACTIONS_WARM_SEARCH=0`` to skip loading the index at start.
"""

from __future__ import annotations

import logging

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_argument_parser

from actions.server import serve
from actions.settings import get_settings
from redact.filter import install_record_factory


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve (blocks).

    Args:
        argv: Arguments (default: ``sys.argv[1:]``).
    """
    args = create_argument_parser().parse_args(argv)
    install_record_factory()  # no email, phone, address or token ever reaches a log
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    logging.getLogger("actions").setLevel(args.loglevel or logging.INFO)
    utils.update_sanic_log_level()
    serve(
        args.actions_module or args.actions or "actions",
        args.port,
        cors_origins=args.cors,
        ssl_certificate=args.ssl_certificate,
        ssl_keyfile=args.ssl_keyfile,
        ssl_password=args.ssl_password,
        auto_reload=args.auto_reload,
        endpoints=args.endpoints,
        warm=get_settings().warm_search,
    )


if __name__ == "__main__":
    main()
