"""Security headers on every answer; a strict Content-Security-Policy on the console's pages.

The console's pages carry no inline script or style (their JavaScript and CSS are files
under ``/static/``), so ``default-src 'self'`` holds. The widget's page (``/widget/``) talks to
Rasa on another origin and gets no CSP from here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["SecurityHeaders", "CSP"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the headers to each HTTP answer (pure ASGI: streaming bodies pass through)."""

    def __init__(self, app: ASGIApp, *, exempt_prefix: str = "/widget") -> None:
        """Wrap an ASGI app.

        Args:
            app: The app.
            exempt_prefix: Paths under which no CSP or frame ban is added.
        """
        self.app = app
        self._exempt = exempt_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call.

        Args:
            scope: The ASGI scope.
            receive: The ASGI receive channel.
            send: The ASGI send channel.
        """
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        exempt = path == self._exempt or path.startswith(self._exempt + "/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = list(ALWAYS)
                if not exempt:
                    extra += [
                        (b"content-security-policy", CSP.encode("ascii")),
                        (b"x-frame-options", b"DENY"),
                    ]
                headers += [(k, v) for k, v in extra if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
