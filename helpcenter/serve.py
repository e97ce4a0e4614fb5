"""``helpcenter serve``: build, serve, watch, rebuild, reload open pages.

The preview is built into a temporary folder (drafts and scheduled articles never reach the
real output). Pages get a small live-reload script while served — never in built files — that
listens to server-sent events: a finished rebuild reloads the page, a build that failed shows
its problems over the page until the next good build. The server also answers
``/search/?q=`` itself, from the Whoosh index, with the markup the browser's search produces,
so the page works without JavaScript and an intranet could run the preview as its server.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import mimetypes
import posixpath
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .builder import build_site
from .config import SiteConfig, load_config
from .content import BuildOptions
from .errors import ContentError, HelpcenterError
from .state import Session

LIVE_PATH = "/__helpcenter/"
WATCHED = ("articles", "templates", "data", "helpcenter.yml")


class Preview:
    """The latest build's outcome, shared by the watcher and the request threads."""

    def __init__(self, config: SiteConfig, options: BuildOptions):
        self.config = config
        self.options = options
        self.generation = 0
        self.problems: list[str] = []
        self.changed = threading.Condition()
        self.session = Session()
        """Each rebuild starts from the state the last one left in memory, not read again."""

    def build(self) -> None:
        try:
            report = build_site(self.config, self.options, force=True, session=self.session)
            problems: list[str] = []
            print(f"Built {report.articles} articles in {report.seconds:.1f} s", file=sys.stderr, flush=True)
            for warning in report.warnings:
                print(warning, file=sys.stderr, flush=True)
        except ContentError as exc:
            problems = [str(p) for p in exc.problems]
            for line in problems:
                print(line, file=sys.stderr, flush=True)
            print("Build failed; still serving the last good site.", file=sys.stderr, flush=True)
        except HelpcenterError as exc:
            problems = [str(exc)]
            print(exc, file=sys.stderr, flush=True)
        with self.changed:
            self.problems = problems
            self.generation += 1
            self.changed.notify_all()

    def events(self, seen: int) -> Iterator[str]:
        """Server-sent events: the state now, then one event per build."""
        while True:
            with self.changed:
                self.changed.wait_for(lambda: self.generation != seen, timeout=15)
                if self.generation == seen:
                    yield ": keep-alive\n\n"
                    continue
                seen = self.generation
                payload = json.dumps({"generation": seen, "problems": self.problems})
            yield f"event: build\ndata: {payload}\n\n"


def serve_site(root: Path, options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted (Ctrl-C)."""
    config = load_config(root)
    workdir = Path(tempfile.mkdtemp(prefix="helpcenter-serve-"))
    preview = Preview(dataclasses.replace(config, output_dir=workdir / "site", base_url=f"http://{host}:{port}/"), options)
    server = make_server(preview, host, port)
    stop = threading.Event()
    preview.build()
    watcher = threading.Thread(target=watch, args=(preview, stop), daemon=True)
    watcher.start()
    print(f"Serving {root} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)


def watch(preview: Preview, stop: threading.Event) -> None:
    import watchfiles

    root = preview.config.root

    def relevant(change: Any, path: str) -> bool:
        rel = Path(path).relative_to(root).parts if Path(path).is_relative_to(root) else ()
        return bool(rel) and rel[0] in WATCHED

    for _ in watchfiles.watch(root, watch_filter=relevant, stop_event=stop, debounce=150, rust_timeout=500):
        preview.build()


def make_server(preview: Preview, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


class _Handler(http.server.BaseHTTPRequestHandler):
    preview: Preview
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        parts = urlsplit(self.path)
        if parts.path == LIVE_PATH + "events":
            return self._events()
        if parts.path == LIVE_PATH + "live.js":
            return self._send(200, "text/javascript; charset=utf-8", LIVE_JS.encode("utf-8"))
        query = parse_qs(parts.query).get("q")
        if parts.path == "/search/" and query and query[0].strip():
            return self._search(parts.query)
        path = self._resolve(parts.path)
        if path is None:
            return self._not_found()
        data = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".js":
            kind = "text/javascript"
        if kind == "text/html":
            data = self._inject(data)
            kind += "; charset=utf-8"
        self._send(200, kind, data)

    def _resolve(self, url_path: str) -> Path | None:
        """The file for a URL path, confined to the output folder (no way out through .., %2e%2e,
        backslashes or symlinks)."""
        output = self.preview.config.output_dir.resolve()
        clean = posixpath.normpath(unquote(url_path))
        if "\x00" in clean or "\\" in clean:
            return None
        relative = clean.lstrip("/")
        if relative in ("", "."):
            relative = "index.html"
        candidate = (output / relative).resolve()
        if not candidate.is_relative_to(output):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def _not_found(self) -> None:
        page = self.preview.config.output_dir / "404.html"
        data = page.read_bytes() if page.is_file() else b"<!DOCTYPE html><html lang=en><title>Not found</title><p>Not found</p></html>"
        self._send(404, "text/html; charset=utf-8", self._inject(data))

    def _inject(self, data: bytes) -> bytes:
        script = f'<script src="{LIVE_PATH}live.js" data-generation="{self.preview.generation}"></script>'.encode()
        marker = b"</body>"
        return data.replace(marker, script + marker, 1) if marker in data else data + script

    def _send(self, status: int, kind: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            for event in self.preview.events(seen=-1):
                self.wfile.write(event.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _search(self, query_string: str) -> None:
        page = render_search(self.preview.config, query_string)
        if page is None:
            return self._not_found()
        self._send(200, "text/html; charset=utf-8", self._inject(page.encode("utf-8")))


def render_search(config: SiteConfig, query_string: str) -> str | None:
    """The search page with its results in place, as search.js would show them."""
    from .formatting import display_date, display_number
    from .front_matter import parse_date
    from .pages import Tab, tab_url
    from .search.engine import IndexUnavailable, SearchIndex
    from .search.query import index_dir, run_search
    from .templates import make_environment

    params = parse_qs(query_string)
    text = params.get("q", [""])[0][:2000]
    ids = [c.id for c in config.categories]
    tab = params.get("tab", ["all"])[0]
    tab = tab if tab in ids else "all"
    sort = params.get("sort", ["relevance"])[0]
    sort = sort if sort in ("relevance", "newest", "views") else "relevance"
    shown = 10
    try:
        response = run_search(SearchIndex(index_dir(config.cache_dir)), text, categories=ids, tab=None if tab == "all" else tab, sort=sort, limit=shown)
    except IndexUnavailable:
        return None
    labels = {"all": "All", **{c.id: c.label for c in config.categories}}
    results = []
    for r in response.results:
        published, updated = parse_date(r.published)[0], parse_date(r.updated)[0]
        results.append(
            {
                "title": r.title,
                "url": r.url,
                "category": labels.get(r.category, r.category),
                "excerpt_html": r.excerpt_html,
                "published": display_date(published, config.locale),
                "published_iso": r.published,
                "updated": display_date(updated, config.locale),
                "updated_iso": r.updated,
                "views_display": display_number(r.views, config.locale),
            }
        )
    quoted = f"“{text.strip()}”"
    if response.mode == "none":
        status = f"No searchable words in {quoted}: very common words like “the” are not searched on their own."
    elif not response.total:
        status = f"No results for {quoted}. Check the spelling or try fewer words."
    else:
        status = f"{response.total:,} result{'s' if response.total != 1 else ''} for {quoted}"
    tabs = [Tab("all", "All", tab_url("all"), 0)] + [Tab(c.id, c.label, tab_url(c.id), 0) for c in config.categories]
    search_config = {"index": "./", "root": "../", "labels": labels, "site": config.title, "lang": config.lang}
    server = {
        "query": text,
        "tab": tab,
        "sort": sort,
        "counts": response.counts,
        "results": results,
        "status": status,
        "notice": response.notice if response.mode == "any" else None,
        "more": response.total > shown,
    }
    env = make_environment(config)
    return env.get_template("search.html").render(tabs=tabs, search_config=search_config, server=server, root="../", page_url="search/")


LIVE_JS = """// Injected by `helpcenter serve` only: reload after a rebuild, show build problems.
(() => {
  const me = document.currentScript;
  let generation = Number(me.dataset.generation);
  const overlay = () => document.getElementById('helpcenter-problems');
  function show(problems) {
    let box = overlay();
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('div');
      box.id = 'helpcenter-problems';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:auto 12px 12px 12px;z-index:99999;max-height:50vh;overflow:auto;' +
        'background:#2b0b0b;color:#ffe4e4;border:2px solid #ff6b6b;border-radius:10px;padding:14px 16px;' +
        'font:14px/1.5 ui-monospace,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)';
      document.body.append(box);
    }
    box.replaceChildren();
    const title = document.createElement('strong');
    title.textContent = 'The build failed; this page is the last good build.';
    const list = document.createElement('pre');
    list.style.cssText = 'margin:8px 0 0;white-space:pre-wrap';
    list.textContent = problems.join('\\n');
    box.append(title, list);
  }
  const source = new EventSource('/__helpcenter/events');
  source.addEventListener('build', (event) => {
    const data = JSON.parse(event.data);
    if (data.problems.length) { show(data.problems); generation = data.generation; return; }
    if (data.generation !== generation) { location.reload(); return; }
    show([]);
  });
})();
"""
