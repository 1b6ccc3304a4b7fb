#!/usr/bin/env python3
"""Serves the plain demo chat page and the catalog's product images on a loopback port.

`/` and its files come from web/, `/static/products/<name>.svg` from catalog/images/, and
`/config.json` tells the page where rasa's REST channel is. Standard library only.
"""

from __future__ import annotations

import argparse
import json
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
IMAGES_DIR = WEB_DIR.parent / "catalog" / "images"


class Handler(SimpleHTTPRequestHandler):
    """Static files plus /config.json; product images mapped from the catalog folder."""

    def __init__(self, *args: object, rasa_url: str, **kwargs: object) -> None:
        """Remembers the rasa URL handed to the page."""
        self.rasa_url = rasa_url
        super().__init__(*args, directory=str(WEB_DIR), **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        """Maps /static/products/ to the catalog's images; everything else to web/."""
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean.startswith("/static/products/"):
            name = Path(clean).name
            return str(IMAGES_DIR / name)
        return super().translate_path(path)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """Answers /config.json; files otherwise."""
        if self.path.split("?", 1)[0] == "/config.json":
            body = json.dumps({"rasaUrl": self.rasa_url}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keeps request logs short (no query strings, which could carry personal data)."""
        path = self.path.split("?", 1)[0]
        print(f"{self.command} {path} {args[1] if len(args) > 1 else ''}", flush=True)


def main() -> None:
    """Parses arguments and serves until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), partial(Handler, rasa_url=args.rasa_url))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
