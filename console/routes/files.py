"""Static files: the console's own scripts and styles, the chat widget, product images.

Read-only and without directory listings: only plain files directly in each folder whose
suffix is allowed are served; anything else is 404. The chat widget is the built bundle in
``widget/dist/`` (``make setup`` builds it; docs/widget.md): shops embed
``<script src="<console>/widget/widget.js" defer>`` on their own origin, so its files may be
loaded from any origin.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, Response

from console.settings import Settings
from console.store import ConsoleError
from servicekit.files import file_in

__all__ = ["router", "STATIC_DIR", "safe_file"]

router = APIRouter(include_in_schema=False)
STATIC_DIR = FilePath(__file__).resolve().parent.parent / "static"
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".map": "application/json",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
}
FileName = Annotated[str, Path(min_length=1, max_length=101)]
#: The widget is loaded by shops' pages on other origins (also with ``crossorigin``/SRI).
WIDGET_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


def safe_file(
    folder: FilePath,
    name: str,
    suffixes: frozenset[str],
    headers: dict[str, str] | None = None,
) -> FileResponse:
    """A file directly inside ``folder``, or 404.

    Args:
        folder: The folder served.
        name: The requested file name (no slashes, no leading dot).
        suffixes: The suffixes served from this folder.
        headers: More response headers.

    Returns:
        The file.

    Raises:
        ConsoleError: 404 for anything else (folders, other types, links out of the folder).
    """
    path = file_in(folder, name, suffixes)
    if path is None:
        raise ConsoleError(404, "not found")
    return FileResponse(
        path,
        media_type=TYPES[path.suffix.lower()],
        headers={"Cache-Control": "no-cache", **(headers or {})},
    )


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/static/products/{name}")
def product_image(request: Request, name: FileName) -> Response:
    """A catalog product image (the cards' ``/static/products/...`` URLs)."""
    images = frozenset({".svg", ".png", ".jpg", ".webp"})
    return safe_file(_settings(request).images_dir, name, images)


@router.get("/static/{name}")
def console_file(name: FileName) -> Response:
    """The console's scripts and styles."""
    return safe_file(STATIC_DIR, name, frozenset({".js", ".css", ".svg", ".ico"}))


@router.get("/widget/{name}")
def widget_file(request: Request, name: FileName) -> Response:
    """The built chat widget (``widget.js`` and its source map; nothing else, no listing)."""
    folder = _settings(request).widget_dir
    if not folder.is_dir():
        raise ConsoleError(503, "the chat widget is not built: run `make setup`")
    return safe_file(folder, name, frozenset({".js", ".css", ".map"}), WIDGET_HEADERS)
