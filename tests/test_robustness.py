"""Output that cannot be lost or half-written: killed builds, concurrent builds, a damaged
cache, nothing written outside the output and cache folders, reproducible bytes."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitetools import REPO, article, clean_build, copy_sample, run_cli, tree_bytes, write_site

from helpcenter import probe
from helpcenter.builder import build_site
from helpcenter.config import load_config


def generated(root: Path, n: int, seed: int = 1) -> Path:
    from benchmarks.corpus import generate

    generate(root, n, seed=seed)
    return root


def start_build(root: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    return subprocess.Popen(
        [sys.executable, "-m", "helpcenter", "build", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_site_and_the_next_build_succeeds(tmp_path: Path) -> None:
    root = generated(tmp_path / "s", 400)
    build_site(load_config(root))
    before = tree_bytes(root / "site")
    # change every article, so the next build has a lot to do, then kill it at several moments
    for path in sorted((root / "articles").rglob("*.md")):
        path.write_text(path.read_text("utf-8") + "\n\nAn added closing line.\n", "utf-8")
    killed = 0
    for delay in (0.2, 0.5, 0.9, 1.4, 2.0, 2.8):
        process = start_build(root)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.communicate()
        if process.returncode == 0:  # it finished before the kill: that site is the new "previous"
            before = tree_bytes(root / "site")
            continue
        after = tree_bytes(root / "site")
        if after != before:
            # Killed after its atomic swap (records cached by the killed builds before it make a
            # later one quick): then the new site must have gone live whole, exactly as a clean
            # build makes it; anything else is a half-written site.
            assert after == clean_build(root, tmp_path / "clean"), f"killed after {delay} s: the live site changed"
            before = after
            continue
        assert after == before, f"killed after {delay} s: the live site changed"
    assert killed >= 3
    result = run_cli("build", str(root))
    assert result.returncode == 0, result.stderr
    assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")


@pytest.mark.slow
def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    root = generated(tmp_path / "s", 300)
    first = start_build(root)
    time.sleep(0.4)
    second = start_build(root)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "Waiting for another build of this site (pid " in err2
    assert out2.startswith("Built 300 articles")
    assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")


@pytest.mark.parametrize("damage", ["state", "records", "manifests", "index", "postings", "spare", "all"])
def test_a_damaged_cache_is_detected_and_rebuilt(tmp_path: Path, damage: str, probed: str) -> None:
    root = tmp_path / "s"
    shutil.copytree(REPO / "articles", root / "articles")
    build_site(load_config(root))
    (root / "articles/faq/withdrawal-fees.md").write_text(
        (root / "articles/faq/withdrawal-fees.md").read_text("utf-8") + "\nOne more line.\n", "utf-8"
    )
    build_site(load_config(root))  # a spare now exists beside the site
    cache = root / ".helpcenter"
    targets = {
        "state": [cache / "state.pickle"],
        "records": [cache / "records.sqlite"],
        "manifests": sorted((cache / "manifests").iterdir()),
        "index": sorted((cache / "index").glob("*.seg")),
        "postings": [cache / "postings.bin"],
        "spare": sorted((root / ".site.helpcenter-spare").rglob("*.html"))[:5],
    }
    targets["all"] = [p for key in ("state", "records", "manifests", "index", "postings") for p in targets[key]]
    for path in targets[damage]:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3] + b"\x00garbage\xff" * 7)
    (root / "articles/faq/deposit-crypto.md").write_text(
        (root / "articles/faq/deposit-crypto.md").read_text("utf-8") + "\nAnother line.\n", "utf-8"
    )
    report = build_site(load_config(root))
    if damage in ("state", "records", "index", "all"):
        assert any("rebuild" in w.message or "from scratch" in w.message for w in report.warnings), report.warnings
    assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")
    result = run_cli("search", "withdrawal fee", "--site", str(root), "--json")
    assert result.returncode == 0 and '"withdrawal-fees"' in result.stdout


class Stopped(Exception):
    pass


def stop_an_edit_build(tmp_path: Path, monkeypatch, owner: object, method: str, sentence: str) -> Path:  # type: ignore[no-untyped-def]
    """The sample built; an article edited with ``sentence``; a build of the edit stopped where
    ``owner.method`` is called; the edit undone. Returns the site folder."""
    root = tmp_path / "s"
    shutil.copytree(REPO / "articles", root / "articles")
    build_site(load_config(root))
    path = root / "articles/faq/withdrawal-fees.md"
    original = path.read_text("utf-8")
    path.write_text(original + f"\n{sentence}\n", "utf-8")

    def stop(*args: object, **kwargs: object) -> None:
        raise Stopped

    monkeypatch.setattr(owner, method, stop)
    with pytest.raises(Stopped):
        build_site(load_config(root))
    monkeypatch.undo()
    path.write_text(original, "utf-8")
    return root


def test_a_build_stopped_between_its_swap_and_its_state_then_reverted(tmp_path: Path, monkeypatch) -> None:
    """The new site is swapped in before the state is saved. A build stopped between the two
    leaves a live site newer than the state; files the state believes unchanged must not be
    carried over from that site when the edit is undone."""
    from helpcenter.cache import BuildCache

    root = stop_an_edit_build(tmp_path, monkeypatch, BuildCache, "save_state", "A sentence only the stopped build saw.")
    assert any(b"only the stopped build saw" in data for data in tree_bytes(root / "site").values())  # swapped in
    build_site(load_config(root))
    assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")


def test_an_index_changed_by_a_stopped_build_is_read_again(tmp_path: Path, monkeypatch) -> None:
    """A build stopped after writing the index but before saving its postings and state leaves
    an index newer than the state: the next build must not take the state's digests for the
    index's."""
    from helpcenter.search.engine import SearchIndex
    from helpcenter.search.postings import Postings
    from helpcenter.search.query import run_search

    root = stop_an_edit_build(tmp_path, monkeypatch, Postings, "save", "A zyxquartz sentence only the stopped build saw.")
    build_site(load_config(root))
    config = load_config(root)
    found = run_search(SearchIndex(config.cache_dir / "index"), "zyxquartz", categories=[c.id for c in config.categories], limit=None, excerpts=False)
    assert found.results == []
    assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")


def test_damaged_record_parts_are_recomputed(tmp_path: Path) -> None:
    """Each record is stored as a head (search) and a body (pages); a damaged part of either
    kind is recomputed when it is needed, and the site still equals a clean build."""
    root = tmp_path / "s"
    shutil.copytree(REPO / "articles", root / "articles")
    build_site(load_config(root))
    db = sqlite3.connect(root / ".helpcenter" / "records.sqlite")
    keys = [k for (k,) in db.execute("SELECT key FROM parts ORDER BY key")]
    assert len(keys) == len(list((root / "articles").rglob("*.md")))
    with db:
        db.executemany("UPDATE parts SET body = ? WHERE key = ?", [(b"\x80garbage", k) for k in keys[::3]])
        db.executemany("UPDATE parts SET head = ? WHERE key = ?", [(b"\x80garbage", k) for k in keys[1::3]])
    db.close()
    # Every page renders again (a template changed), and every record head is needed again
    # (the state is gone), so both kinds of damaged part are read.
    (root / "templates").mkdir()
    (root / "templates" / "_item.html").write_text((REPO / "templates" / "_item.html").read_text("utf-8") + "{# edited #}\n", "utf-8")
    (root / ".helpcenter" / "state.pickle").unlink()
    build_site(load_config(root))
    assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")
    db = sqlite3.connect(root / ".helpcenter" / "records.sqlite")
    rows = db.execute("SELECT head, body FROM parts").fetchall()
    db.close()
    assert rows and b"\x80garbage" not in {head for head, _ in rows} | {body for _, body in rows}  # stored again


def test_a_records_database_of_the_older_layout_is_replaced(tmp_path: Path) -> None:
    root = tmp_path / "s"
    shutil.copytree(REPO / "articles", root / "articles")
    (root / ".helpcenter").mkdir()
    db = sqlite3.connect(root / ".helpcenter" / "records.sqlite")
    with db:
        db.execute("CREATE TABLE record (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        db.execute("INSERT INTO record VALUES ('x', x'00')")
    db.close()
    build_site(load_config(root))
    db = sqlite3.connect(root / ".helpcenter" / "records.sqlite")
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert tables == {"parts"}
    assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")


def test_nothing_is_written_outside_the_output_and_cache_folders(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "s",
        {
            "articles/faq/Ünïcode name with spaces.md": article("Unicode"),
            "articles/faq/hostile.md": article("Hostile", slug="../../escape", aliases="[/../../etc/passwd, /ok/old-page/]"),
            "articles/faq/ok.md": article("Fine", aliases="[/old/fine/]"),
        },
    )
    before = {p for p in tmp_path.rglob("*")}
    result = run_cli("build", str(root))
    assert result.returncode == 1  # the hostile slug and alias are refused
    assert {p for p in tmp_path.rglob("*")} - before <= {p for p in (root / ".helpcenter").rglob("*")} | {root / ".helpcenter"}
    (root / "articles/faq/hostile.md").unlink()
    assert run_cli("build", str(root)).returncode == 0
    allowed = (root / "site", root / ".helpcenter", root / ".site.helpcenter-spare")
    new = {p for p in tmp_path.rglob("*")} - before
    assert [p for p in new if not any(p == a or p.is_relative_to(a) for a in allowed)] == []


@pytest.mark.slow
def test_two_clean_builds_at_different_times_in_different_folders_are_byte_identical(tmp_path: Path) -> None:
    first = tmp_path / "a" / "one"
    copy_sample(first)
    assert run_cli("build", str(first)).returncode == 0
    time.sleep(1.2)
    second = tmp_path / "elsewhere" / "two"
    copy_sample(second)
    for path in (second / "articles").rglob("*.md"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert run_cli("build", str(second), env={"TZ": "Asia/Tokyo", "LANG": "C"}).returncode == 0
    assert tree_bytes(first / "site") == tree_bytes(second / "site")


@pytest.fixture(params=["probed", "in-process"])
def probed(request, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """Output files checked by the forked StatProbe (whatever their number), or in-process."""
    monkeypatch.setattr(probe, "PROBE_MIN_BYTES", 0 if request.param == "probed" else 1 << 60)
    return str(request.param)


def test_files_of_the_live_site_edited_in_place_are_not_carried_over(tmp_path: Path, probed: str) -> None:
    """Unchanged files are hard links shared by the live site and the spare: one edited in
    place (same inode, as a deploy script might) must be written again, not kept, by the
    builds after it."""
    root = tmp_path / "s"
    shutil.copytree(REPO / "articles", root / "articles")
    build_site(load_config(root))
    edit = root / "articles/faq/withdrawal-fees.md"
    edit.write_text(edit.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    build_site(load_config(root))  # a spare now exists, sharing its unchanged files
    pages = [root / "site/faq/deposit-crypto/index.html", root / "site/search/meta.json"]
    for page in pages:
        with page.open("r+b") as handle:  # the same inode, other bytes
            handle.seek(0)
            handle.write(b"<!-- edited after the build -->")
    for line in ("\nAnother line.\n", "\nA third line.\n"):
        edit.write_text(edit.read_text("utf-8") + line, "utf-8")
        build_site(load_config(root))
        assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")


def test_output_changed_by_hand_is_put_right_by_the_next_build(tmp_path: Path, probed: str) -> None:
    """With no article changed, a build still finds files of the site deleted, edited in place
    or replaced (same size), and writes them again."""
    root = tmp_path / "s"
    shutil.copytree(REPO / "articles", root / "articles")
    build_site(load_config(root))
    site = root / "site"
    (site / "faq/deposit-crypto/index.html").unlink()
    with (site / "search/meta.json").open("r+b") as handle:  # the same inode, other bytes
        handle.write(b"{")
    replaced = site / "index.html"
    data = replaced.read_bytes()
    replaced.unlink()
    replaced.write_bytes(data[:-1] + b"!")  # a new inode, the same size
    assert build_site(load_config(root)).rendered_pages == 0  # nothing to render: the spare has the others
    assert tree_bytes(site) == clean_build(root, tmp_path / "clean")
    assert build_site(load_config(root)).written_files == 0  # and then nothing is left to do


def test_a_file_put_into_the_spare_by_hand_is_replaced_not_written_through(tmp_path: Path) -> None:
    """A file the spare's manifest does not list, where the next build writes a page, is
    replaced: its other links (here, a file outside the site) keep their bytes."""
    root = tmp_path / "s"
    shutil.copytree(REPO / "articles", root / "articles")
    build_site(load_config(root))
    spare = root / ".site.helpcenter-spare"
    assert (spare / "index.html").is_file()  # a first build leaves a spare beside the site
    stray = spare / "faq/one-more/index.html"
    stray.parent.mkdir(parents=True)
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"not the site's")
    os.link(outside, stray)
    (root / "articles/faq/one-more.md").write_text(article("One more"), "utf-8")
    build_site(load_config(root))
    assert outside.read_bytes() == b"not the site's"
    assert tree_bytes(root / "site") == clean_build(root, tmp_path / "clean")
    assert b"One more" in (root / "site/faq/one-more/index.html").read_bytes()


def test_the_probe_names_the_files_not_as_recorded(tmp_path: Path, monkeypatch) -> None:
    from helpcenter.cache import BuildCache

    folder = tmp_path / "out"
    folder.mkdir()
    for name in ("a", "b", "c", "d"):
        (folder / name).write_text(name)
    stats = {}
    for name in ("a", "b", "c", "d"):
        stats[name] = probe.recorded((folder / name).stat())
    cache = BuildCache(tmp_path / "cache")
    cache.save_stats(probe.folder_id(folder), stats, keep=[])
    (folder / "b").unlink()
    with (folder / "c").open("r+b") as handle:
        handle.write(b"C")
    os.utime(folder / "c", ns=(1, 1))
    other = tmp_path / "other"  # no record: not probed
    other.mkdir()
    monkeypatch.setattr(probe, "PROBE_MIN_BYTES", 0)
    started = probe.StatProbe(cache, [folder, other])
    assert started.differing(folder) == {"b", "c"} == probe.differing(folder, stats)
    assert started.differing(other) is None
    os.rename(folder, tmp_path / "moved")  # another folder by that name: its answer no longer holds
    folder.mkdir()
    assert started.differing(folder) is None
    started.close()
    monkeypatch.setattr(probe, "PROBE_MIN_BYTES", 1 << 60)
    small = probe.StatProbe(cache, [tmp_path / "moved"])
    assert small.differing(tmp_path / "moved") is None  # checked in-process instead


def test_the_probe_scans_the_articles_first_and_its_answer_is_the_scan(tmp_path: Path, monkeypatch) -> None:
    from helpcenter.cache import BuildCache
    from helpcenter.content import scan_article_files

    articles = tmp_path / "articles"
    (articles / "faq").mkdir(parents=True)
    (articles / "faq" / "a.md").write_text("a")
    (articles / "b.md").write_text("b")
    (articles / "faq" / "chart.png").write_bytes(b"png")
    os.mkfifo(articles / "pipe.md")  # an article that is not a regular file: no stamp
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "index.html").write_text("x")
    cache = BuildCache(tmp_path / "cache")
    cache.save_stats(probe.folder_id(folder), {"index.html": probe.recorded((folder / "index.html").stat())}, keep=[])
    monkeypatch.setattr(probe, "PROBE_MIN_BYTES", 0)
    started = probe.StatProbe(cache, [folder], articles)
    found = started.articles(articles)
    assert found == scan_article_files(articles)
    assert found.rels == ["b.md", "faq/a.md", "pipe.md"] and found.others == {"faq/chart.png"}
    assert found.stamps["pipe.md"] is None and found.stamps["b.md"] is not None
    (articles / "c.md").write_text("c")  # after the child's answer: not in it
    assert "c.md" not in started.articles(articles).rels
    assert started.differing(folder) == frozenset()  # the folders' answers follow
    assert "c.md" in started.articles(tmp_path / "articles" / ".." / "articles").rels  # another path: scanned here
    started.close()
