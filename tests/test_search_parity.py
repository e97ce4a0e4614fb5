"""Parity: the browser's engine (Node over the exported files) returns exactly the ranking of
the engine of record (what `helpcenter search --json` prints) for every query."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sitetools import copy_sample, run_cli
from search_parity import corpus_queries, js_rankings, mismatches, python_rankings

from helpcenter.builder import build_site
from helpcenter.config import load_config

SORTS = ("relevance", "relevance", "relevance", "newest", "views")


def sorts_for(queries: list[str]) -> list[str]:
    return [SORTS[i % len(SORTS)] for i in range(len(queries))]


def test_sample_site_parity_including_excerpts(tmp_path: Path) -> None:
    site = tmp_path / "sample"
    copy_sample(site)
    build_site(load_config(site))
    queries = corpus_queries(site / "articles", 150, seed=1)
    sorts = sorts_for(queries)
    python = python_rankings(site, queries, sorts)
    js = js_rankings(site / "site", queries, sorts, tmp_path, excerpts=3)
    assert mismatches(python, js) == []
    assert sum(1 for p in python if p["ids"]) > 100
    # Excerpts (what the reader sees around the matches) agree too: the CLI's JSON is the reference.
    for query, js_result in list(zip(queries, js))[:40]:
        cli = json.loads(run_cli("search", query, "--site", str(site), "--json", "--limit", "3", "--sort", js_result["sort"]).stdout)
        assert [r["id"] for r in cli["results"]] == js_result["ids"][:3]
        assert [r["excerpt_html"] for r in cli["results"]] == js_result["excerpts"]


@pytest.mark.slow
def test_generated_corpus_parity_fresh_build(tmp_path: Path) -> None:
    from benchmarks.corpus import generate

    site = tmp_path / "gen"
    generate(site, 1000, seed=20261125)
    build_site(load_config(site))
    queries = corpus_queries(site / "articles", 320, seed=2)
    sorts = sorts_for(queries)
    python = python_rankings(site, queries, sorts)
    js = js_rankings(site / "site", queries, sorts, tmp_path)
    assert mismatches(python, js) == []
    assert sum(1 for p in python if p["ids"]) >= 250
    assert any(p["mode"] == "any" for p in python) and any(p["mode"] == "none" for p in python)


@pytest.mark.slow
def test_generated_corpus_parity_after_incremental_edits(tmp_path: Path) -> None:
    """Edits, additions and deletions applied build after build (the Whoosh index is updated in
    place: segments, deleted documents, merges) rank exactly like a fresh build, in both engines."""
    import random

    from benchmarks.corpus import generate

    site = tmp_path / "gen"
    extra = tmp_path / "extra"
    generate(site, 600, seed=11)
    generate(extra, 660, seed=11)  # the same first 600 plus 60 more to add later
    build_site(load_config(site))
    rng = random.Random(4)
    files = sorted((site / "articles").rglob("*.md"))
    spare = sorted(set(p.relative_to(extra) for p in (extra / "articles").rglob("*.md")) - set(p.relative_to(site) for p in files))
    for round_ in range(3):
        for path in rng.sample(files, 15):
            text = path.read_text("utf-8")
            path.write_text(text + f"\n\nRound {round_} adds withdrawal passkey notes and settlement details.\n", "utf-8")
        for path in rng.sample(files, 8):
            if path.exists():
                path.unlink()
        for rel in spare[round_ * 20 : round_ * 20 + 20]:
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(extra / rel, site / rel)
        files = sorted((site / "articles").rglob("*.md"))
        build_site(load_config(site))

    fresh = tmp_path / "fresh"
    shutil.copytree(site / "articles", fresh / "articles")
    build_site(load_config(fresh))

    queries = corpus_queries(site / "articles", 320, seed=3)
    sorts = sorts_for(queries)
    incremental = python_rankings(site, queries, sorts)
    assert mismatches(incremental, python_rankings(fresh, queries, sorts)) == []
    assert mismatches(incremental, js_rankings(site / "site", queries, sorts, tmp_path)) == []
    assert sum(1 for p in incremental if p["ids"]) >= 250
