"""Lighthouse scores for the sample site (a benchmark to read, not a test).

    python benchmarks/lighthouse.py [SITE_OUTPUT_DIR] [--desktop]

Builds the sample help center if no folder is given, serves it locally (text gzip-compressed,
as hosts do), and runs Lighthouse 12.2.3 (from npm, into benchmarks/out/lighthouse) with
Debian's Chromium on the home page, an article and a search: mobile emulation by default.
Prints performance, accessibility, best-practices and SEO scores, and the failing audits.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))
PAGES = ["", "faq/reset-2fa/", "search/?q=withdrawal+fees"]
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"


def lighthouse() -> Path:
    folder = OUT / "lighthouse"
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", "lighthouse@12.2.3"], check=True)
    return binary


def main() -> int:
    from benchmarks.search_bench import Handler

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--desktop", action="store_true")
    args = parser.parse_args()
    site = args.site
    if site is None:
        from helpcenter.builder import build_site
        from helpcenter.config import load_config

        source = OUT / "lighthouse-sample"
        shutil.rmtree(source, ignore_errors=True)
        shutil.copytree(ROOT / "articles", source / "articles")
        shutil.copy(ROOT / "helpcenter.yml", source / "helpcenter.yml")
        build_site(load_config(source))
        site = source / "site"
    import http.server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    binary = lighthouse()
    print(f"{'page':<28}{'performance':>13}{'accessibility':>15}{'best practices':>16}{'SEO':>6}")
    try:
        for page in PAGES:
            command = [str(binary), base + page, "--quiet", "--output=json", "--output-path=stdout", f"--chrome-flags={FLAGS}"]
            if args.desktop:
                command.append("--preset=desktop")
            result = subprocess.run(command, capture_output=True, text=True, env={"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/bin:/bin:/usr/local/bin"})
            report = json.loads(result.stdout)
            scores = {k: round(100 * (v["score"] or 0)) for k, v in report["categories"].items()}
            print(f"/{page:<27}{scores['performance']:>13}{scores['accessibility']:>15}{scores['best-practices']:>16}{scores['seo']:>6}")
            for audit in report["audits"].values():
                if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") in ("binary", "numeric"):
                    print(f"    {audit['id']}: {audit['title']} ({audit.get('displayValue', '')})")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
