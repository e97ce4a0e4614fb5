"""The engine's fast analyzer is Whoosh's StemmingAnalyzer, token for token (terms and offsets)."""

from __future__ import annotations

import random

from sitetools import REPO

from helpcenter.search.engine import analyze, analyze_with_offsets, whoosh_analyze

TRICKY = [
    "USDT-M e-mail v2.0 café 提现 Crypto's can't 2FA dep* *** a*b x.y.z ..a.. 1.2.3.4 _under_ score",
    "ΟΔΟΣ Straße İstanbul ǅemal ﬁnance Ⅻ ① ²³ ٣٤ x\u0301y \U0001d400\U0001d401 emoji 🚀go",
    "the and of THE An a I i", "", "   \n\t", "a" * 5000, "word." * 300,
]


def corpus() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted((REPO / "articles").rglob("*.md"))]
    rng = random.Random(7)
    alphabet = "abcdeéfghijklmnopqrstuvwxyzABCXYZ0123456789 .,;:'-_*/\\\n\tΣσςßİıﬁ①²提现🚀\u0301\u200b"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(800)]
    return texts + TRICKY


def test_fast_analyzer_equals_whoosh() -> None:
    mismatches = []
    for text in corpus():
        expected = whoosh_analyze(text)
        if analyze_with_offsets(text) != expected or analyze(text) != [t for t, _, _ in expected]:
            mismatches.append(text[:80])
    assert mismatches == []


def test_words_list_stems_equal_whoosh() -> None:
    from english_words import get_english_words_set

    words = sorted(get_english_words_set(["web2"], lower=True))[::4]
    text = " ".join(words)
    assert analyze(text) == [t for t, _, _ in whoosh_analyze(text)]
    assert len(words) > 50_000
