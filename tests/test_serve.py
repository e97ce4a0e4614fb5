"""The preview server: confined to the output folder, live-reload only while serving, and a
server-side search with the engine's ranking."""

from __future__ import annotations

import dataclasses
import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitetools import article, run_cli, write_site

from helpcenter.config import load_config
from helpcenter.content import BuildOptions
from helpcenter.serve import Preview, make_server


class Running:
    def __init__(self, root: Path, tmp: Path):
        config = load_config(root)
        self.preview = Preview(dataclasses.replace(config, output_dir=tmp / "preview" / "site"), BuildOptions())
        self.preview.build()
        self.server = make_server(self.preview, "127.0.0.1", 0)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, body


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Running]:
    root = write_site(
        tmp_path / "s",
        {
            "articles/faq/passkeys.md": article("Passkey setup", body="Add a passkey to your account."),
            "articles/faq/fees.md": article("Withdrawal fees", views="40", body="Network fees for withdrawals and a passkey note."),
            "articles/announcements/news.md": article("Passkeys arrive", category="announcements", body="Passkeys for everyone."),
        },
    )
    (tmp_path / "secret.txt").write_text("top secret", "utf-8")
    running = Running(root, tmp_path)
    yield running
    running.server.shutdown()
    running.server.server_close()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/faq/../../secret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%00",
        "/../../../../../../etc/passwd",
    ],
)
def test_requests_cannot_leave_the_output_folder(served: Running, path: str) -> None:
    status, body = served.get(path)
    assert status == 404
    assert "top secret" not in body and "root:" not in body


def test_pages_are_served_with_the_live_script_that_built_files_do_not_have(served: Running) -> None:
    status, body = served.get("/faq/passkeys/")
    assert status == 200 and '<script src="/__helpcenter/live.js"' in body
    built = (served.preview.config.output_dir / "faq/passkeys/index.html").read_text("utf-8")
    assert "__helpcenter" not in built
    status, script = served.get("/__helpcenter/live.js")
    assert status == 200 and "EventSource" in script


def test_server_side_search_ranks_like_the_cli(served: Running, tmp_path: Path) -> None:
    status, body = served.get("/search/?q=passkey")
    assert status == 200
    import re

    titles = re.findall(r'<h2 class="result-title"><a href="\.\./([^"]+)">', body)
    root = served.preview.config.root
    served_cache = served.preview.config  # the preview's own build (same cache as the site)
    cli = json.loads(run_cli("search", "passkey", "--site", str(root), "--json").stdout)
    assert titles == [r["url"].lstrip("/") for r in cli["results"]]
    assert 'value="passkey"' in body and "<mark>" in body
    assert re.search(r'data-tab="all" aria-current="true">All <span class="count">3</span>', body)
    assert served_cache.output_dir.name == "site"


def test_server_side_search_without_results_and_with_hostile_input(served: Running) -> None:
    status, body = served.get("/search/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert status == 200
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    status, body = served.get("/search/?q=xyzzyplugh&tab=faq&sort=views")
    assert status == 200 and "No results for “xyzzyplugh”" in body


def test_a_failed_build_is_reported_to_open_pages(served: Running) -> None:
    root = served.preview.config.root
    (root / "articles/faq/fees.md").write_text(article("Fees", views="lots"), "utf-8")
    served.preview.build()
    assert served.preview.problems == ['articles/faq/fees.md:5: views: expected a whole number ≥ 0, got "lots"']
    status, _ = served.get("/faq/passkeys/")
    assert status == 200  # the last good site is still served


def test_serve_refuses_a_bad_address() -> None:
    result = run_cli("serve", ".", "--address", "nonsense")
    assert result.returncode == 2 and "HOST:PORT" in result.stderr
