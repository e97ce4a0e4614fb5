"""The static search's budget, measured in headless Chromium (Debian's, via Playwright).

    python benchmarks/search_bench.py [--n 10000] [--site DIR] [--runs 3]

Builds (once, cached under benchmarks/out/) a generated corpus, serves it the way a static host
does (HTML, CSS, JS and JSON gzip-compressed on the fly; our .bin files are already gzip), and
for each 1- and 2-word query prints, as medians over the runs with min–max:
- the bytes transferred by a cold page load of /search/?q=… (page, CSS, scripts, meta, shards,
  sort keys and the shown results' texts), counted by Chromium (encodedDataLength);
- the time from navigation start to the results on screen (cold), and on a warm HTTP cache
  the time from the search's start in the page to the results on screen;
plus the export's total size, its largest shard and the export stage's build time.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import statistics
import sys
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["withdrawal", "passkey", "fees", "account", "api key", "withdrawal fees", "reset 2fa", "deposit network", "margin liquidation", "security settings"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".bin": "application/octet-stream"}

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "public, max-age=3600")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in COMPRESSIBLE and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return __import__("io").BytesIO(body)
        return super().send_head()


def build(n: int) -> tuple[Path, float]:
    from benchmarks.corpus import generate
    from helpcenter.builder import build_site
    from helpcenter.config import load_config

    site = ROOT / "benchmarks" / "out" / f"search-{n}"
    if not (site / "site" / "search" / "meta.json").is_file():
        generate(site, n)
        report = build_site(load_config(site))
        (site / "export-seconds.txt").write_text(f"{report.stage_seconds.get('export', 0):.2f}\n")
    return site / "site", float((site / "export-seconds.txt").read_text())


def measure(url: str, query: str, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    found: dict[str, list[float]] = {"bytes": [], "cold_ms": [], "warm_ms": [], "requests": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            sizes: dict[str, float] = {}
            cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
            target = f"{url}search/?q={query.replace(' ', '+')}"
            page.goto(target)
            page.wait_for_function("() => performance.getEntriesByName('hc-search').length > 0 && document.querySelectorAll('#search-results .result').length > 0")
            page.wait_for_load_state("networkidle")
            found["bytes"].append(sum(sizes.values()))
            found["requests"].append(len(sizes))
            found["cold_ms"].append(page.evaluate("performance.getEntriesByName('hc-search')[0].startTime + performance.getEntriesByName('hc-search')[0].duration"))
            page.goto(target)  # warm HTTP cache
            page.wait_for_function("() => performance.getEntriesByName('hc-search').length > 0")
            found["warm_ms"].append(page.evaluate("performance.getEntriesByName('hc-search')[0].duration"))
            context.close()
        browser.close()
    return found


def spread(values: list[float], unit: str = "", scale: float = 1.0) -> str:
    values = [v / scale for v in values]
    return f"{statistics.median(values):,.0f}{unit} ({min(values):,.0f}–{max(values):,.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--site", type=Path, help="an already built site folder (its output) instead of a generated one")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", nargs="*", default=QUERIES)
    args = parser.parse_args()
    if args.site:
        site, export_seconds = args.site, float("nan")
    else:
        site, export_seconds = build(args.n)
    search = site / "search"
    shards = sorted((search / "t").glob("*.bin"), key=lambda p: p.stat().st_size)
    total = sum(p.stat().st_size for p in search.rglob("*") if p.is_file())
    print(f"site: {site}  articles: {__import__('json').loads((search / 'meta.json').read_text())['doc_count']:,}")
    print(f"export: {total / 1e6:.1f} MB in {sum(1 for _ in search.rglob('*.bin')):,} files; "
          f"{len(shards):,} shards, largest {shards[-1].name} {shards[-1].stat().st_size / 1024:.1f} KB; "
          f"export stage {export_seconds:.1f} s of the cold build")
    handler = partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"{'query':<22} {'KB, cold load':>20} {'requests':>9} {'cold ms (nav→results)':>24} {'warm ms (search→results)':>26}")
    try:
        for query in args.queries:
            r = measure(url, query, args.runs)
            print(f"{query:<22} {spread(r['bytes'], ' KB', 1024):>20} {statistics.median(r['requests']):>9.0f} "
                  f"{spread(r['cold_ms'], ' ms'):>24} {spread(r['warm_ms'], ' ms'):>26}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
