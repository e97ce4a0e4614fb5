"""Browser fixtures: Debian's Chromium driven by Playwright, and a local static server.

Never a downloaded browser: Chromium is launched by path. If it is missing the tests fail
(a browser test that skips in CI tests nothing).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``root`` under ``prefix`` (a sub-path deploy), 404.html for anything missing."""

    prefix = "/"

    def log_message(self, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / "__missing__")
        return super().translate_path("/" + clean[len(self.prefix) :])

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if not path.exists():
            self.send_response(404)
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()


class StaticServer:
    def __init__(self, root: Path, prefix: str = "/"):
        handler = type("Handler", (_Handler,), {"prefix": prefix, "extensions_map": {**_Handler.extensions_map, ".js": "text/javascript"}})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: install Debian's chromium (see README)"
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample help center, built for a sub-path deploy at /help/."""
    from sitetools import copy_sample

    from helpcenter.builder import build_site
    from helpcenter.config import load_config

    root = copy_sample(tmp_path_factory.mktemp("browser") / "sample")
    build_site(load_config(root, base_url="https://example.com/help/"))
    return root


@pytest.fixture(scope="session")
def server(sample_site: Path) -> Iterator[StaticServer]:
    s = StaticServer(sample_site / "site", "/help/")
    yield s
    s.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.failed_requests = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: page.failed_requests.append(r.url))
    yield page
    context.close()
