"""Run the action server with the catalog loaded before the first request.

``rasa_sdk.endpoint.run`` serves through Sanic's worker manager: each worker process
rebuilds the app from a picklable factory. :func:`create_app` is that factory: it adds a
``before_server_start`` listener that builds the runtime and loads the search index, so
the worker only accepts requests once the embedding model and index are in memory.
"""

from __future__ import annotations

import asyncio
import logging
import os
from functools import partial
from typing import Any

from rasa_sdk import utils
from rasa_sdk.constants import DEFAULT_ENDPOINTS_PATH, DEFAULT_KEEP_ALIVE_TIMEOUT
from rasa_sdk.endpoint import create_app_for_serve, create_ssl_config
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic
from sanic.worker.loader import AppLoader

from actions.runtime import get_runtime
from redact.filter import install_record_factory

__all__ = ["create_app", "serve", "warm_up"]

logger = logging.getLogger(__name__)


async def warm_up(app: Sanic[Any, Any]) -> None:
    """Build the runtime and load the catalog index (in a thread: it takes seconds).

    A missing index is logged, not fatal: order actions still work and search actions
    answer with ``utter_action_error`` until an index is built.

    Args:
        app: The Sanic app (unused; listener signature).
    """
    runtime = get_runtime()
    # Handoffs and erasures kept while the console was down are retried from the start.
    runtime.handoff_retrier.ensure_timer()
    try:
        await asyncio.to_thread(runtime.warm_up)
        logger.info("catalog search index loaded")
    except FileNotFoundError as exc:
        logger.error("catalog search unavailable: %s", exc)


def create_app(
    action_executor: ActionExecutor,
    *,
    cors_origins: str | list[str] | None = "*",
    auto_reload: bool = False,
    endpoints: str = DEFAULT_ENDPOINTS_PATH,
    keep_alive_timeout: int = DEFAULT_KEEP_ALIVE_TIMEOUT,
    warm: bool = True,
) -> Sanic[Any, Any]:
    """The rasa-sdk Sanic app, plus the warm-up listener.

    Args:
        action_executor: Executor with the actions registered.
        cors_origins: CORS origins.
        auto_reload: Reload changed action modules on each request.
        endpoints: rasa-sdk endpoints file (tracing).
        keep_alive_timeout: HTTP keep-alive timeout in seconds.
        warm: Load the catalog before serving.

    Returns:
        The app.
    """
    install_record_factory()  # each Sanic worker process builds its app here
    app: Sanic[Any, Any] = create_app_for_serve(
        action_executor,
        cors_origins=cors_origins,
        auto_reload=auto_reload,
        endpoints=endpoints,
        keep_alive_timeout=keep_alive_timeout,
    )
    if warm:
        app.register_listener(warm_up, "before_server_start")
    return app


def serve(
    package: str = "actions",
    port: int = 5055,
    *,
    cors_origins: str | list[str] | None = "*",
    ssl_certificate: str | None = None,
    ssl_keyfile: str | None = None,
    ssl_password: str | None = None,
    auto_reload: bool = False,
    endpoints: str = DEFAULT_ENDPOINTS_PATH,
    warm: bool = True,
) -> None:
    """Register the actions of ``package`` and serve them (blocks).

    Args:
        package: The actions package.
        port: TCP port.
        cors_origins: CORS origins.
        ssl_certificate: TLS certificate file.
        ssl_keyfile: TLS key file.
        ssl_password: Password of the key file.
        auto_reload: Reload changed action modules on each request.
        endpoints: rasa-sdk endpoints file (tracing).
        warm: Load the catalog before serving.
    """
    executor = ActionExecutor()
    executor.register_package(package)
    loader = AppLoader(
        factory=partial(
            create_app,
            executor,
            cors_origins=cors_origins,
            auto_reload=auto_reload,
            endpoints=endpoints,
            warm=warm,
        )
    )
    app = loader.load()
    host = os.environ.get("SANIC_HOST", "0.0.0.0")
    app.prepare(
        host=host,
        port=port,
        ssl=create_ssl_config(ssl_certificate, ssl_keyfile, ssl_password),
        workers=utils.number_of_sanic_workers(),
    )
    logger.info("action server on %s:%s", host, port)
    Sanic.serve(primary=app, app_loader=loader)
