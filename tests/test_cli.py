"""The command line as a user runs it: exit codes, messages, the summary line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitetools import article, run_cli, tree_bytes, write_site

from helpcenter import __version__


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"helpcenter {__version__}"


def test_build_prints_one_summary_line_and_exits_0(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A"), "articles/faq/b.md": article("B")})
    result = run_cli("build", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    (line,) = result.stdout.splitlines()
    assert line.startswith("Built 2 articles and 8 listing pages in ") and line.endswith(" s → " + str(root / "site") + "/")


def test_content_errors_exit_1_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "s",
        {
            "articles/faq/b.md": article("B", views="many"),
            "articles/faq/a.md": article("A", category="news"),
            "helpcenter.yml": "title: Fine\n",
        },
    )
    result = run_cli("build", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        'articles/faq/a.md:3: category: expected one of faq, announcements, product-documents, got "news"',
        'articles/faq/b.md:5: views: expected a whole number ≥ 0, got "many"',
        "Build failed: 2 errors; nothing was written.",
    ]
    assert not (root / "site").exists()


def test_template_errors_name_the_template_and_line_and_leave_the_site(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A"), "articles/faq/b.md": article("B")})
    assert run_cli("build", str(root)).returncode == 0
    before = tree_bytes(root / "site")
    broken = {
        "_item.html": ("<li>\n{{ item.nonexistent }}</li>\n", "templates/_item.html:2: template error: 'helpcenter.pages.Item object' has no attribute 'nonexistent'"),
        "listing.html": ("{% extends 'theme/listing.html' %}\n{% block main %}{{ tab.label | nosuchfilter }}{% endblock %}\n", "templates/listing.html:2: template error: No filter named 'nosuchfilter'."),
        "article.html": ("<p>\n\n{% if %}</p>\n", "templates/article.html:3: template error: Expected an expression, got 'end of statement block'"),
        "_meta.html": ("{% include 'nothere.html' %}\n", "templates/_meta.html:1: template error: no template named 'nothere.html'"),
        "search.html": ("{{ tabs + 1 }}\n", 'templates/search.html:1: template error: TypeError: can only concatenate list (not "int") to list'),
    }
    for name, (text, expected) in broken.items():
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / name).write_text(text, "utf-8")
        result = run_cli("build", str(root))
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.splitlines() == [expected, "Build failed: 1 error; nothing was written."], name
        assert tree_bytes(root / "site") == before
        (root / "templates" / name).unlink()


def test_content_errors_cross_processes_with_their_problems() -> None:
    import pickle

    from helpcenter.errors import ContentError, Problem

    problems = [Problem("templates/a.html", 3, "template error: x"), Problem("articles/faq/b.md", None, "y")]
    assert pickle.loads(pickle.dumps(ContentError(problems))).problems == sorted(problems, key=lambda p: (p.path, p.line or 0))


def test_a_template_error_in_a_forked_page_worker_is_reported_the_same(tmp_path: Path, monkeypatch) -> None:
    from helpcenter import parallel, pipeline
    from helpcenter.builder import build_site
    from helpcenter.config import load_config
    from helpcenter.errors import ContentError

    files = {f"articles/faq/a{i}.md": article(f"A {i}") for i in range(30)}
    root = write_site(tmp_path / "s", {**files, "templates/article.html": "<p>{{ article.nope.deeper }}</p>\n"})
    monkeypatch.setattr(pipeline, "PARALLEL_PAGES", 10)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    with pytest.raises(ContentError) as raised:
        build_site(load_config(root))
    assert [str(p) for p in raised.value.problems] == ["templates/article.html:1: template error: 'helpcenter.model.Article object' has no attribute 'nope'"]


def test_config_errors_exit_1(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A"), "helpcenter.yml": "page_size: 0\n"})
    result = run_cli("build", str(root))
    assert result.returncode == 1
    assert result.stderr.startswith('helpcenter.yml:1: page_size: expected a whole number from 1 to 1000, got "0"')


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("build", "--no-such-flag").returncode == 2
    assert run_cli().returncode == 2
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A")})
    result = run_cli("build", str(root), "--out", str(root / "articles"))
    assert result.returncode == 2 and "refusing to write the site into the articles folder" in result.stderr


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A", colour="blue")})
    relaxed = run_cli("build", str(root))
    assert relaxed.returncode == 0
    assert relaxed.stderr.splitlines() == ["articles/faq/a.md:5: warning: colour: unknown key; known keys: title, category, published, updated, views, summary, tags, slug, draft, aliases"]
    strict = run_cli("build", str(root), "--strict")
    assert strict.returncode == 1 and "articles/faq/a.md:5: colour: unknown key" in strict.stderr


def test_python_m_and_build_py_run_the_same_cli(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A")})
    result = run_cli("build", str(root), "--base-url", "https://example.com/docs/", "-o", str(tmp_path / "out"))
    assert result.returncode == 0
    assert '<link rel="canonical" href="https://example.com/docs/faq/a/">' in (tmp_path / "out/faq/a/index.html").read_text("utf-8")


def test_search_json_schema(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "s",
        {
            "articles/faq/a.md": article("Withdrawal fees", views="12", body="Network fees for withdrawals."),
            "articles/faq/b.md": article("Deposits", body="Deposits are free of fees."),
            "helpcenter.yml": "base_url: https://example.com/help/\n",
        },
    )
    assert run_cli("build", str(root)).returncode == 0
    result = run_cli("search", "withdrawal fees", "--site", str(root), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["mode"] == "all" and data["terms"] == ["withdraw", "fee"]
    assert data["counts"] == {"all": 1, "faq": 1, "announcements": 0, "product-documents": 0}
    (hit,) = data["results"]
    assert set(hit) == {"id", "url", "title", "category", "score", "published", "updated", "views", "excerpt_html"}
    assert hit["url"] == "https://example.com/help/faq/a/" and hit["views"] == 12
    assert hit["excerpt_html"] == "Network <mark>fees</mark> for <mark>withdrawals</mark>."


def test_search_before_build_explains(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A")})
    result = run_cli("search", "x", "--site", str(root))
    assert result.returncode == 1 and "run 'helpcenter build' first" in result.stderr
    assert run_cli("search", "x", "--site", str(root), "--tab", "nope").returncode == 2


def test_check_reports_everything_and_writes_nothing(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "s",
        {
            "articles/faq/a.md": article("A", body="## Steps\n\nSee [steps](#steps), [gone](#nowhere) and [B](b.md#missing)."),
            "articles/faq/b.md": article("B", body="Text with an [absolute link](/faq/a/)."),
        },
    )
    result = run_cli("check", str(root))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "articles/faq/a.md:8: warning: link to a missing heading: faq/b.md#missing",
        "articles/faq/a.md:8: warning: link to a missing heading on this page: #nowhere",
        "articles/faq/b.md:6: warning: link /faq/a/ starts with '/', which breaks when the site is served under a sub-path; link to the article's .md file instead",
    ]
    assert result.stdout.strip() == "Checked 2 articles: 0 errors, 3 warnings"
    strict = run_cli("check", str(root), "--strict")
    assert strict.returncode == 1 and "Checked 2 articles: 3 errors, 0 warnings" in strict.stderr
    (root / "articles/faq/c.md").write_text(article("C", views="-1"), "utf-8")
    failing = run_cli("check", str(root))
    assert failing.returncode == 1 and 'articles/faq/c.md:5: views: expected a whole number ≥ 0, got "-1"' in failing.stderr
    assert sorted(p.name for p in root.iterdir()) == ["articles"]


def test_a_build_leaves_its_objects_to_the_command_line_only(tmp_path: Path, monkeypatch) -> None:
    """The command ends its process as soon as the build is done (cli.run), so a build puts
    what it leaves in ``left`` rather than free it object by object; a build called as a
    library (or a second build in a test) keeps nothing once it returns."""
    import gc
    import weakref

    from helpcenter import cli, pipeline
    from helpcenter.builder import build_site
    from helpcenter.config import load_config

    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A"), "articles/faq/b.md": article("B")})
    made: list[weakref.ref[object]] = []
    start = pipeline.Pipeline.__init__

    def recorded(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(weakref.ref(self))
        start(self, *args, **kwargs)

    monkeypatch.setattr(pipeline.Pipeline, "__init__", recorded)
    held: list[object] = []
    assert cli.main(["build", str(root)], held) == 0
    [run] = held
    assert run is made[0]() and len(run.library.entries) == 2  # type: ignore[attr-defined]

    (root / "articles" / "faq" / "c.md").write_text(article("C"), "utf-8")
    build_site(load_config(root))
    gc.collect()
    assert len(made) == 2 and made[1]() is None


def test_the_command_starts_numpy_with_one_blas_thread(tmp_path: Path) -> None:
    """The command line sets numpy's BLAS to one thread before anything imports numpy (its
    thread per core spins without work, on the core the build's forked processes use), unless
    the user chose a number; the library sets nothing."""
    import os
    import subprocess
    import sys

    probe = """
import os, sys
from helpcenter import cli
def main(argv, left):
    before = "numpy" in sys.modules
    import numpy
    tasks = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 1
    print(os.environ.get("OPENBLAS_NUM_THREADS"), before, tasks)
    return 0
cli.main = main
cli.run(["build", "."])
"""
    library = "import os, helpcenter.cli, helpcenter.pipeline; print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    setting, imported_before, tasks = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert setting == "1" and imported_before == "False" and tasks == "1"
    chosen = subprocess.run([sys.executable, "-c", probe], env={**env, "OPENBLAS_NUM_THREADS": "2"}, capture_output=True, text=True, check=True)
    assert chosen.stdout.split()[0] == "2" and (cores < 2 or int(chosen.stdout.split()[2]) > 1)
    assert subprocess.run([sys.executable, "-c", library], env=env, capture_output=True, text=True, check=True).stdout.strip() == "None"


DETACHED = """
import os, sys, time
from helpcenter import detached
def work():
    print("building in", os.getpid(), flush=True)
    print("a warning", file=sys.stderr, flush=True)
    {body}
detached.run_detached(work)
"""


def _detached(body: str, **options):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-c", DETACHED.format(body=body)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def _running(pid: int) -> bool:
    """The process exists and has not ended (a zombie not yet reaped by init has ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_a_detached_build_hands_its_status_and_output_to_the_command() -> None:
    """``helpcenter build`` runs in a forked child (cli.run, helpcenter.detached): what it prints
    and its exit status, or the traceback of an error nobody caught, reach the caller through
    the process it started, which ends as soon as the child has a status."""
    for body, status in (("return 3", 3), ("raise SystemExit(2)", 2), ("raise RuntimeError('a bug')", 1), ("return 0", 0)):
        process = _detached(body)
        out, err = process.communicate(timeout=60)
        assert process.returncode == status, (body, err)
        assert out.startswith("building in ") and int(out.split()[2]) != process.pid  # built in another process
        assert err.startswith("a warning")
        assert ("RuntimeError: a bug" in err) == (status == 1)


def test_a_detached_build_stops_with_the_command() -> None:
    """A SIGTERM to the process the caller started (a CI timeout, say) stops the build, and the
    command ends as the build did; a SIGKILL to it stops the build too (the system kills the
    child with its parent); Ctrl-C, sent to the whole process group, ends it with the build's
    status for an interrupt (130)."""
    import os
    import signal
    import time

    for stop in (signal.SIGTERM, signal.SIGKILL):
        process = _detached("time.sleep(60); return 0")
        child = int(process.stdout.readline().split()[2])  # type: ignore[union-attr]
        process.send_signal(stop)
        assert process.wait(timeout=30) == -stop
        process.communicate(timeout=30)  # the child's end closes the pipes
        for _ in range(100):
            if not _running(child):
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"the build went on after the command was stopped by {stop!r}")

    interrupted = _detached("time.sleep(60); return 0", start_new_session=True)
    interrupted.stdout.readline()  # type: ignore[union-attr]
    os.killpg(interrupted.pid, signal.SIGINT)
    assert interrupted.wait(timeout=30) == 130
    assert "KeyboardInterrupt" not in interrupted.communicate(timeout=30)[1]
