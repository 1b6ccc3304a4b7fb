"""Helpers of the widget's browser tests and benchmark: a host page, its server, a TCP proxy.

- :func:`host_page` is the HTML a shop would serve: ``window.ShopAssistantConfig`` (JSON
  embedded safely) and one ``<script src=".../widget/widget.js" defer>`` tag.
- :class:`PageServer` serves such pages from a thread on a loopback port (the pages' origin is
  the one rasa's socket.io channel must accept: ``WIDGET_ORIGINS``).
- :class:`TcpProxy` sits between the browser and rasa; a test cuts it (every open connection is
  dropped and new ones are refused) and restores it, so the widget really loses its socket.
- :data:`SHADOW_JS` is page-side JavaScript to reach the widget's open shadow root.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

#: JavaScript expression for the widget's shadow root (``null`` before the script ran).
SHADOW_JS = "document.getElementById('shop-assistant')?.shadowRoot"


def embed_json(value: Any) -> str:
    """JSON that is safe inside an inline ``<script>`` (no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def host_page(
    widget_src: str,
    config: dict[str, Any],
    *,
    title: str = "Widget test shop",
    head: str = "",
    lang: str = "en",
) -> str:
    """A shop page embedding the widget the documented way.

    Args:
        widget_src: URL of ``widget.js`` (the console's ``/widget/widget.js``).
        config: ``window.ShopAssistantConfig`` (server, token, language, colours, ...).
        title: The page's title and heading.
        head: Extra markup for ``<head>`` (benchmark probes run before the widget).
        lang: The page's ``<html lang>``.

    Returns:
        The HTML document.
    """
    safe_title = html.escape(title)
    return (
        f'<!doctype html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{safe_title}</title>\n{head}\n"
        "<style>body{font-family:system-ui,sans-serif;margin:0;padding:1rem 2rem;"
        "color:#1a1a1a;background:#fff}</style>\n</head>\n<body>\n"
        f"<header><h1>{safe_title}</h1></header>\n"
        "<main><p>A plain shop page: the assistant lives in the corner.</p>\n"
        '<p><a href="#top">A link before the widget</a></p></main>\n'
        f"<script>window.ShopAssistantConfig = {embed_json(config)};</script>\n"
        f'<script src="{html.escape(widget_src)}" defer></script>\n'
        "</body>\n</html>\n"
    )


class PageServer:
    """Serves registered HTML pages (path -> document) and static folders, from a thread.

    Like a shop's server, it serves the catalog's images under ``/static/products/`` (the
    carousel cards' ``image_url`` are relative to the page).
    """

    def __init__(
        self, port: int = 0, host: str = "127.0.0.1", static: dict[str, Path] | None = None
    ) -> None:
        """Bind the port (0: any free port); call :meth:`start` to serve.

        Args:
            port: The port.
            host: The interface.
            static: URL prefix (``/static/products/``) -> folder of plain files.
        """
        self.pages: dict[str, str] = {}
        self.static = dict(static or {})
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = self.path.split("?", 1)[0]
                server.requests.append(self.path)
                body = server.pages.get(path)
                if body is not None:
                    data, kind = body.encode("utf-8"), "text/html; charset=utf-8"
                else:
                    found = server.static_file(path)
                    if found is None:
                        self.send_error(404)
                        return
                    data = found.read_bytes()
                    kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.origin = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    def static_file(self, path: str) -> Path | None:
        """The file a static URL path names (no sub-folders, no dot files), or None."""
        for prefix, folder in self.static.items():
            name = path[len(prefix) :] if path.startswith(prefix) else ""
            if name and "/" not in name and "\\" not in name and not name.startswith("."):
                candidate = folder / name
                if candidate.is_file():
                    return candidate
        return None

    def start(self) -> PageServer:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def add(self, path: str, document: str) -> str:
        """Register a page and return its URL."""
        self.pages[path] = document
        return f"{self.origin}{path}"

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class TcpProxy:
    """A loopback TCP proxy that can be cut (connections dropped, new ones refused) and restored.

    Runs in the event loop of the test that uses it.
    """

    def __init__(self, target_host: str, target_port: int, host: str = "127.0.0.1") -> None:
        """Prepare (nothing listens yet).

        Args:
            target_host: Where connections go.
            target_port: The target's port.
            host: The interface to listen on.
        """
        self.target = (target_host, target_port)
        self.host = host
        self.port = 0
        self.connections = 0
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        """``http://host:port`` of the proxy."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> TcpProxy:
        """Listen (on a free port the first time, on the same port after :meth:`cut`)."""
        self._server = await asyncio.start_server(
            self._accept, self.host, self.port, reuse_address=True
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def cut(self) -> None:
        """Stop listening and drop every open connection (both directions, at once)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            transport = writer.transport
            with contextlib.suppress(Exception):
                transport.abort()  # a reset, not a polite close: the link is gone
        self._writers.clear()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def restore(self) -> None:
        """Accept connections again on the same port."""
        await self.start()

    async def close(self) -> None:
        """Cut for good."""
        await self.cut()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        pumps = [
            asyncio.create_task(self._pump(reader, up_writer)),
            asyncio.create_task(self._pump(up_reader, writer)),
        ]
        self._tasks.update(pumps)
        try:
            await asyncio.gather(*pumps, return_exceptions=True)
        finally:
            for pump in pumps:
                self._tasks.discard(pump)
            for end in (writer, up_writer):
                self._writers.discard(end)
                with contextlib.suppress(Exception):
                    end.close()

    @staticmethod
    async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                sink.close()
