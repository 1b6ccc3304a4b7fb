"""Static files: the console's own scripts and styles, the chat widget, product images.

Read-only and without directory listings: only plain files directly in each folder whose
suffix is allowed are served; anything else is 404. The widget's ``config.json`` tells it
where Rasa's channel is (the same URL the console uses; the API token never leaves).
"""

from __future__ import annotations

import re
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from console.settings import Settings
from console.store import ConsoleError

__all__ = ["router", "STATIC_DIR", "safe_file"]

router = APIRouter(include_in_schema=False)
STATIC_DIR = FilePath(__file__).resolve().parent.parent / "static"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
}
FileName = Annotated[str, Path(min_length=1, max_length=101)]


def safe_file(folder: FilePath, name: str, suffixes: frozenset[str]) -> FileResponse:
    """A file directly inside ``folder``, or 404.

    Args:
        folder: The folder served.
        name: The requested file name (no slashes, no leading dot).
        suffixes: The suffixes served from this folder.

    Returns:
        The file.

    Raises:
        ConsoleError: 404 for anything else (folders, other types, links out of the folder).
    """
    suffix = FilePath(name).suffix.lower()
    if not NAME.match(name) or suffix not in suffixes:
        raise ConsoleError(404, "not found")
    root = folder.resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        raise ConsoleError(404, "not found")
    return FileResponse(path, media_type=TYPES[suffix], headers={"Cache-Control": "no-cache"})


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


@router.get("/widget")
def widget_root() -> Response:
    """To the widget's page."""
    return RedirectResponse("/widget/", status_code=308)


@router.get("/widget/config.json")
def widget_config(request: Request) -> Response:
    """Where the widget finds Rasa's channel."""
    return JSONResponse({"rasaUrl": _settings(request).rasa_url})


@router.get("/widget/")
def widget_index(request: Request) -> Response:
    """The widget's demo page."""
    return safe_file(_settings(request).widget_dir, "index.html", frozenset({".html"}))


@router.get("/widget/{name}")
def widget_file(request: Request, name: FileName) -> Response:
    """The widget's files (``chat.js``, ``chat.css``, ``index.html`` ...; no Python, no listing)."""
    allowed = frozenset({".html", ".js", ".css", ".svg", ".png", ".ico"})
    return safe_file(_settings(request).widget_dir, name, allowed)
