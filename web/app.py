"""The demo shop's pages: the product grid, product pages and the visitor switch.

Routes:

- ``GET /`` the grid (``?category=<slug>&page=<n>``), ``GET /products/<id>`` one product;
  both embed the widget, with a freshly signed token when the visitor is a demo customer.
- ``POST /switch`` (``customer``, ``language``, ``next``): chooses the demo customer (or the
  anonymous visitor) and the widget's language, kept in two cookies, then back to ``next``.
  This is the demo's stand-in for a shop's login: no password, any seed customer.
- ``GET /static/products/<name>`` the catalog's images (the carousel's image URLs point
  here), ``GET /static/<name>`` the page's stylesheet, ``GET /health``.

Every page is rendered on the server with Jinja2's autoescaping; the only script in a page is
the widget's config and the widget itself (see :mod:`web.embed` for the policy).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.files import file_in
from web.catalog import Shelf, format_price, slug
from web.customers import LANGUAGES, DemoCustomer, demo_customers
from web.embed import content_security_policy, script_json, widget_config
from web.settings import ShopSettings
from web.tokens import sign_customer_token

__all__ = ["CUSTOMER_COOKIE", "LANGUAGE_COOKIE", "SHOP_NAME", "create_app"]

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
SHOP_NAME = "Trailhead Outfitters"
CUSTOMER_COOKIE = "shop_customer"
LANGUAGE_COOKIE = "shop_language"
_IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
}
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
#: Every answer that is not a page (images, the stylesheet, errors in JSON) gets this policy.
_DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"
_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class _SecurityHeaders:
    """Adds the headers every answer carries (pages set their own CSP with a nonce)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                extra = [*_ALWAYS, (b"content-security-policy", _DEFAULT_CSP.encode())]
                message["headers"] = headers + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


def _file(folder: Path, name: str, types: dict[str, str]) -> Response:
    """A file directly in ``folder`` with an allowed suffix, or 404 (no listing, no ``..``)."""
    path = file_in(folder, name, types)
    if path is None:
        raise HTTPException(404)
    return FileResponse(
        path, media_type=types[path.suffix.lower()], headers={"Cache-Control": "max-age=3600"}
    )


def _local_path(value: object) -> str:
    """``value`` when it is a path on this site (``/...``, not ``//host``), else ``/``."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")):
        if not any(ch in value for ch in "\r\n\\") and len(value) <= 500:
            return value
    return "/"


def _image_src(url: str) -> str | None:
    """An image URL the page may show: one of ours (``/...``) or an https one."""
    if (url.startswith("/") and not url.startswith("//")) or url.startswith("https://"):
        return url
    return None


class ShopPages:
    """The route handlers, with what they share (settings, shelf, customers, templates)."""

    def __init__(
        self,
        settings: ShopSettings,
        shelf: Shelf,
        customers: list[DemoCustomer],
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Keep what the pages need.

        Args:
            settings: The server's settings.
            shelf: The catalog.
            customers: The demo customers of the switch.
            clock: Seconds since the epoch (tests pass a fixed one).
        """
        self.settings = settings
        self.shelf = shelf
        self.customers = {customer.id: customer for customer in customers}
        self.clock = clock
        self.templates = Environment(
            loader=FileSystemLoader(WEB_DIR / "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.filters["price"] = lambda p: format_price(p.price, p.currency)
        self.templates.filters["image_src"] = _image_src
        self.templates.filters["slug"] = slug

    # Pages -------------------------------------------------------------------------------

    def _render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page with the widget embedded for the current visitor."""
        cookie = request.cookies.get(CUSTOMER_COOKIE)
        customer = self.customers.get(cookie) if cookie else None
        notes: list[str] = list(context.pop("notes", []))
        if cookie and customer is None:
            notes.append(
                "The demo customer chosen earlier is not known here: you are browsing as an "
                "anonymous visitor."
            )
        language = request.cookies.get(LANGUAGE_COOKIE, "en")
        if language not in LANGUAGES:
            language = "en"
        token = None
        if customer is not None:
            token = sign_customer_token(
                self.settings.identity_secret,
                customer.id,
                ttl=self.settings.token_ttl,
                now=self.clock(),
            )
        nonce = secrets.token_urlsafe(16)
        config = widget_config(self.settings, language=language, token=token)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.url.path == "/switch":
            here = "/"
        html = self.templates.get_template(template).render(
            shop_name=SHOP_NAME,
            customer=customer,
            customers=list(self.customers.values()),
            language=language,
            languages=LANGUAGES,
            notes=notes,
            categories=self.shelf.categories,
            here=_local_path(here),
            nonce=nonce,
            widget_config=script_json(config),
            widget_script=self.settings.widget_script_url,
            token_minutes=self.settings.token_ttl // 60,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["content-security-policy"] = content_security_policy(self.settings, nonce)
        response.headers["cache-control"] = "no-store"  # the page carries a personal token
        if cookie and customer is None:
            response.delete_cookie(CUSTOMER_COOKIE, path="/")
        return response

    def not_found(self, request: Request, message: str, status: int = 404) -> HTMLResponse:
        """The error page (also for a bad request)."""
        return self._render(
            request,
            "error.html",
            status=status,
            title="Page not found" if status == 404 else "Bad request",
            message=message,
            current_category=None,
        )

    async def home(self, request: Request) -> Response:
        """The product grid: every product, or one category's, a page at a time."""
        category = request.query_params.get("category") or None
        raw_page = request.query_params.get("page", "1")
        page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 0
        listing = self.shelf.listing(category, page)
        if listing is None:
            return self.not_found(request, "There is no such category or page in this shop.")
        return self._render(
            request,
            "shop.html",
            listing=listing,
            current_category=category,
            title=listing.category.capitalize() if listing.category else "All products",
        )

    async def product(self, request: Request) -> Response:
        """One product's page."""
        product = self.shelf.by_id.get(request.path_params["product_id"])
        if product is None:
            return self.not_found(request, "There is no such product in this shop.")
        return self._render(
            request,
            "product.html",
            product=product,
            current_category=slug(product.category),
            title=product.title,
        )

    async def switch(self, request: Request) -> Response:
        """Choose the demo customer (or anonymous) and the widget's language."""
        if not self._same_origin(request):
            return self.not_found(request, "Switching visitors only works from this shop.", 403)
        form = await request.form()
        customer_id = str(form.get("customer", "")).strip()
        language = str(form.get("language", "en")).strip()
        if customer_id and customer_id not in self.customers:
            return self.not_found(request, f"There is no demo customer “{customer_id[:64]}”.")
        if language not in LANGUAGES:
            note = "The assistant speaks English, Spanish, German and French."
            return self.not_found(request, note, 400)
        response = RedirectResponse(_local_path(form.get("next")), status_code=303)
        if customer_id:
            response.set_cookie(CUSTOMER_COOKIE, customer_id, httponly=True, samesite="lax")
        else:
            response.delete_cookie(CUSTOMER_COOKIE, path="/")
        response.set_cookie(LANGUAGE_COOKIE, language, httponly=True, samesite="lax")
        return response

    @staticmethod
    def _same_origin(request: Request) -> bool:
        """Whether a form post comes from this site (checked when the browser says)."""
        if request.headers.get("sec-fetch-site") == "cross-site":
            return False
        origin = request.headers.get("origin")
        return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"

    # Files and health ----------------------------------------------------------------------

    async def product_image(self, request: Request) -> Response:
        """A catalog image."""
        return _file(self.settings.images_dir, request.path_params["name"], _IMAGE_TYPES)

    async def static(self, request: Request) -> Response:
        """The page's own stylesheet."""
        return _file(STATIC_DIR, request.path_params["name"], _STATIC_TYPES)

    async def health(self, request: Request) -> Response:
        """Liveness for the stack."""
        return JSONResponse({"status": "ok", "products": len(self.shelf.products)})

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """Unknown paths and refused files: the shop's error page."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 405:
            return Response("method not allowed", status_code=405)
        return self.not_found(request, "There is nothing at this address.", status)


def create_app(
    settings: ShopSettings,
    *,
    shelf: Shelf | None = None,
    customers: list[DemoCustomer] | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The page server's ASGI app.

    Args:
        settings: The settings (read once by the caller).
        shelf: The catalog; loaded from ``settings.catalog_file`` when omitted.
        customers: The demo customers; the profile service's seed data when omitted.
        clock: Seconds since the epoch, for the tokens' ``iat`` and ``exp``.

    Returns:
        The app.
    """
    pages = ShopPages(
        settings,
        shelf if shelf is not None else Shelf.load(settings.catalog_file, settings.catalog_mapping),
        customers if customers is not None else demo_customers(),
        clock,
    )
    app = Starlette(
        routes=[
            Route("/", pages.home, methods=["GET"]),
            Route("/products/{product_id}", pages.product, methods=["GET"]),
            Route("/switch", pages.switch, methods=["POST"]),
            Route("/static/products/{name}", pages.product_image, methods=["GET"]),
            Route("/static/{name}", pages.static, methods=["GET"]),
            Route("/health", pages.health, methods=["GET"]),
        ],
        exception_handlers={HTTPException: pages.http_error},
    )
    app.add_middleware(_SecurityHeaders)
    return app
