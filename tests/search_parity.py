"""Helpers for parity tests: queries drawn from a corpus, and both engines' answers."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from helpcenter.config import load_config
from helpcenter.search.engine import SearchIndex
from helpcenter.search.query import run_search

RUNNER = Path(__file__).resolve().parent / "js" / "search_cli.mjs"
STOP = ["the", "and", "of", "to", "a", "is", "for", "on", "with", "you", "your", "can", "be", "this"]


def corpus_queries(articles_dir: Path, count: int, seed: int) -> list[str]:
    """1–3 word queries: common and rare words, inflected forms, stop words, unknown words,
    mixed case and punctuation, from the corpus's own surface words."""
    words: Counter[str] = Counter()
    for path in sorted(articles_dir.rglob("*.md")):
        text = re.sub(r"\]\([^)]*\)|`[^`]*`", " ", path.read_text("utf-8"))  # link targets, code
        words.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text))
    ranked = [w for w, _ in words.most_common()]
    common, middle = ranked[:150], ranked[150:1500]
    rare = [w for w, n in words.items() if n <= 2] or ranked[-50:]
    rare.sort()
    rng = random.Random(seed)
    kinds = [
        lambda: [rng.choice(common)],
        lambda: [rng.choice(middle)],
        lambda: [rng.choice(rare)],
        lambda: rng.sample(common, 2),
        lambda: [rng.choice(common), rng.choice(middle)],
        lambda: [rng.choice(middle), rng.choice(rare)],
        lambda: rng.sample(middle, 3),
        lambda: [rng.choice(common) + rng.choice(["s", "ing", "ed", "es", "ly"])],
        lambda: [rng.choice(STOP)] + [rng.choice(middle)],
        lambda: rng.sample(STOP, 2),
        lambda: [rng.choice(middle), "zq" + rng.choice(rare)],
        lambda: ["xyzzy" + str(rng.randint(0, 99))],
        lambda: [rng.choice(common).upper() + ",", rng.choice(middle).title() + "!"],
        lambda: ["(" + rng.choice(middle) + ")", rng.choice(common) + "?"],
    ]
    queries: list[str] = []
    while len(queries) < count:
        queries.append(" ".join(rng.choice(kinds)()))
    return queries


def python_rankings(site: Path, queries: list[str], sorts: list[str]) -> list[dict[str, object]]:
    config = load_config(site)
    index = SearchIndex(config.cache_dir / "index")
    categories = [c.id for c in config.categories]
    out = []
    for q, sort in zip(queries, sorts):
        r = run_search(index, q, categories=categories, sort=sort, limit=None, excerpts=False)
        out.append({"q": q, "sort": sort, "mode": r.mode, "terms": r.terms, "counts": r.counts, "ids": [x.id for x in r.results], "scores": [x.score for x in r.results]})
    return out


def js_rankings(site_output: Path, queries: list[str], sorts: list[str], tmp: Path, excerpts: int = 0) -> list[dict[str, object]]:
    node = shutil.which("node")
    assert node, "Node.js is required for the parity tests"
    spec = tmp / "queries.json"
    spec.write_text(json.dumps([{"q": q, "sort": s} for q, s in zip(queries, sorts)]), "utf-8")
    result = subprocess.run([node, str(RUNNER), str(site_output / "search"), str(spec), str(excerpts)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def mismatches(python: list[dict[str, object]], js: list[dict[str, object]]) -> list[str]:
    problems = []
    for p, j in zip(python, js, strict=True):
        for key in ("mode", "terms", "counts", "ids", "scores"):
            if p[key] != j[key]:
                problems.append(f"{p['q']!r} ({p['sort']}): {key} differs: python {str(p[key])[:200]} vs js {str(j[key])[:200]}")
                break
    return problems
