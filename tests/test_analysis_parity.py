"""Parity: templates/assets/search/analysis.js must analyse text exactly like Whoosh.

The static in-browser search only ranks like the Python index if the browser
turns a query into the same terms. Each test sends one batch of inputs to ONE
Node subprocess (JSON in a temp file, JSON back on stdout) and compares the
answers with Whoosh's own functions:

- ``stem()`` against ``whoosh.lang.porter.stem``: the "web2" list (Webster's
  2nd International, public domain, about 234,000 words) from the PyPI package
  ``english-words`` (MIT licence), inflections generated from it, 20,000
  random ASCII-lowercase strings and some random strings that exercise Python
  regex corners (a final "\\n", astral characters, a leading "y");
- ``analyze()``/``analyzeWithOffsets()``/``tokenize()`` against
  ``StemmingAnalyzer()`` and ``RegexTokenizer() | LowercaseFilter()``: every
  Markdown file under articles/, random Unicode strings, hand-picked tokens;
- Python's ``\\w`` and ``str.lower()`` for every code point, and the
  Final_Sigma rule of ``str.lower()`` in every word-character context.

Known, asserted exception: code points that Python's ``unicodedata`` leaves
unassigned (Python 3.11 has Unicode 14; Node 20 may ship Unicode 17) can be
word characters and have case mappings in Node only. Python never puts them
in a token, so they cannot match anything either way.

New test dependency (for the project's test extras)::

    english-words==2.0.2

Node.js must be on PATH (``node``); the tests fail, not skip, without it.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest

from whoosh.analysis import STOP_WORDS, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem as py_stem

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "templates" / "assets" / "search" / "analysis.js"
ARTICLES = ROOT / "articles"

# Reads {"op": ..., "data": ...} from the file in argv[2], prints the answer.
NODE_RUNNER = r"""
import { readFileSync } from 'node:fs';
const A = await import(process.argv[1]);
const { op, data } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tok = (s) => A.tokenize(s).map((t) => [t.text, t.start, t.end]);
let out;
if (op === 'stem') out = data.map(A.stem);
else if (op === 'analyze') out = data.map((s) => {
  const withOffsets = A.analyzeWithOffsets(s);
  const terms = A.analyze(s);
  return {
    terms, tokens: tok(s), spans: withOffsets.map((t) => [t.term, t.start, t.end]),
    sliced: withOffsets.map((t) => s.slice(t.start, t.end)),
  };
});
else if (op === 'tokenize') out = data.map(tok);
else if (op === 'stopwords') out = [...A.STOP_WORDS].sort();
else if (op === 'codepoints') {
  // Every code point (lone surrogates included): is it a one-char token, and
  // its lower-case form where that differs from itself.
  const word = [];
  const lowered = {};
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    const c = String.fromCodePoint(cp);
    const t = A.tokenize(c);
    if (t.length === 1 && t[0].start === 0 && t[0].end === c.length) word.push(cp);
    const l = A.lower(c);
    if (l !== c) lowered[cp] = l;
  }
  out = { word, lowered };
}
else throw new Error('unknown op ' + op);
process.stdout.write(JSON.stringify(out));
"""


def run_node(op: str, data=None):
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "Node.js (`node`) is not on PATH: the search-analysis parity tests need it "
            "to run templates/assets/search/analysis.js. Install Node.js 20+."
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.json"
        # ensure_ascii keeps lone surrogates representable (JSON escapes).
        path.write_text(json.dumps({"op": op, "data": data}), encoding="ascii")
        proc = subprocess.run(
            [node, "--input-type=module", "-e", NODE_RUNNER, MODULE.as_uri(), str(path)],
            capture_output=True,
            timeout=120,
        )
    if proc.returncode != 0:
        pytest.fail(f"node failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')}")
    return json.loads(proc.stdout)


def assert_same(inputs, expected, actual, what, show=8):
    assert len(expected) == len(actual), f"{what}: {len(actual)} answers for {len(expected)} inputs"
    bad = [(i, e, a) for i, e, a in zip(inputs, expected, actual) if e != a]
    detail = "\n".join(f"  {i!r}: python={e!r} js={a!r}" for i, e, a in bad[:show])
    assert not bad, f"{what}: {len(bad)} of {len(inputs)} differ; first ones:\n{detail}"


def utf16_offsets(text: str) -> list[int]:
    """Map Python (code point) indices to UTF-16 indices."""
    offs = [0]
    for ch in text:
        offs.append(offs[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offs


# ---------------------------------------------------------------- word lists

SUFFIXES = [
    "s", "es", "ed", "ing", "ly", "er", "est", "ers", "ation", "ations", "ational",
    "ness", "ement", "ements", "ment", "izing", "ize", "ized", "ization", "ise",
    "ful", "fully", "fulness", "ity", "ities", "ive", "ively", "iveness", "ous",
    "ously", "ousness", "able", "ably", "ible", "ism", "ist", "al", "ally",
    "alism", "alize", "ality", "ical", "ically", "icate", "ence", "ance", "ent",
    "ant", "ator", "logy", "eed", "y", "ies", "ied", "ying",
]


def english_words() -> list[str]:
    try:
        from english_words import get_english_words_set
    except ImportError:  # pragma: no cover - message for a missing test extra
        pytest.fail("the `english-words` package (test extra) is not installed")
    return sorted(get_english_words_set(["web2"], lower=True, alpha=True))


def inflections(words: list[str]) -> list[str]:
    """One suffix per word (rotating through SUFFIXES) and the whole list on
    every 100th word, each also with the usual spelling changes (final e
    dropped, y -> i, final consonant doubled)."""
    out = set()
    k = len(SUFFIXES)
    for n, w in enumerate(words):
        sufs = SUFFIXES if n % 100 == 0 else (SUFFIXES[n % k],)
        for suf in sufs:
            out.add(w + suf)
            if w.endswith("e") and suf[0] in "aeiouy":
                out.add(w[:-1] + suf)
            if w.endswith("y") and suf[0] != "i":
                out.add(w[:-1] + "i" + suf)
            if len(w) > 2 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and suf[0] in "aeiouy":
                out.add(w + w[-1] + suf)
    return sorted(out - set(words))


def random_ascii(n=20_000, seed=20240601) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [
        "".join(rng.choice(letters) for _ in range(rng.randint(1, 14))) for _ in range(n)
    ]


def random_regex_corners(n=5_000, seed=7) -> list[str]:
    """Strings where Python's and JS's regex semantics could part: a final or
    inner newline ($ matches before a final "\\n"; "." never matches it), "\\r"
    and U+2028 (JS's "." rejects them, Python's does not), astral characters
    (one code point, two UTF-16 units), "Y"/"y" (the leading-y trick)."""
    rng = random.Random(seed)
    pool = list("aeiouy" * 3 + "bcdlmnrstvz" * 2 + "gwxk") + [
        "Y", "\n", "\r", "\u2028", "é", "ß", "𝐚", "𐐨", "😀", "Σ", ".", "*",
    ]
    tails = ["", "ed", "ing", "eed", "s", "ies", "sses", "ational", "ation", "ement",
             "ness", "e", "ll", "y", "ed\n", "ing\n", "e\n", "ion", "tion\n"]
    out = []
    for _ in range(n):
        body = "".join(rng.choice(pool) for _ in range(rng.randint(0, 9)))
        out.append(body + rng.choice(tails))
    return out


# ------------------------------------------------------------- unicode text

TRICKY = [
    "USDT-M", "e-mail", "v2.0", "café", "cafe\u0301", "提现", "Crypto's", "can't",
    "can't log in", "2FA", "Withdrawal FEES", "withdrawal, fees!", "(deposit)",
    "fees: update", "wi-fi", "x.y..z", "a.b.c.", ".leading", "trailing.", "1.2.3",
    "hello*", "dep*", "net?ork", "***", "a*b", "snake_case_name", "__init__",
    "ΣΑΣ", "ΟΔΥΣΣΕΥΣ", "Σ", "ΑΣ.Β", "ʕΣ", "ʰΣ", "AΣ\u0345", "İstanbul", "İ", "ẞ",
    "ǅemal", "Ⅻ", "x²", "٣٤", "३", "３", "𝐀𝐁𝐂", "𐐀𐐁", "𝐀", "😀", "a😀b",
    "𠀀𠀁", "ﬁle", "ŉ", "the of and", "The", "US", "us", "TBD", "I", "a", "I a",
    "running networks deposited typically abbreviated",
    "Ο Ιησούς", "Привет, мир", "مرحبا بالعالم", "नमस्ते दुनिया", "สวัสดีชาวโลก", "안녕하세요",
    "tab\tand\nnewline\r\nline\u2028sep", "", " ", "\u00a0nbsp\u00a0",
]

# Ranges to draw random characters from, mixed scripts and classes.
RANDOM_POOLS = [
    (0x20, 0x7E), (0x20, 0x7E), (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F),
    (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F),
    (0x1E00, 0x1FFF), (0x2000, 0x218F), (0x3000, 0x30FF), (0x4E00, 0x4E80),
    (0xAC00, 0xAC80), (0xFB00, 0xFB4F), (0xFF00, 0xFFEF), (0x10400, 0x1044F),
    (0x1D400, 0x1D7FF), (0x1F300, 0x1F64F), (0x20000, 0x20100), (0xE0000, 0xE007F),
]
PUNCT = ".'-.*_ ,\n"


def random_unicode(n=400, seed=1234) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randint(0, 40)):
            r = rng.random()
            if r < 0.25:
                chars.append(rng.choice(PUNCT))
            elif r < 0.5:
                chars.append(rng.choice("abcdefghijklmnopqrstuvwxyzΣσ0123456789"))
            else:
                lo, hi = rng.choice(RANDOM_POOLS)
                chars.append(chr(rng.randint(lo, hi)))
        out.append("".join(chars))
    return out


def article_texts() -> list[tuple[str, str]]:
    if not ARTICLES.exists():
        return []
    files = sorted(ARTICLES.rglob("*.md"))
    assert files, f"{ARTICLES} exists but holds no .md file"
    return [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in files]


# -------------------------------------------------------------------- tests


def test_stop_words_equal_whoosh():
    assert run_node("stopwords") == sorted(STOP_WORDS)


def test_stem_parity_words_inflections_random():
    base = english_words()
    assert len(base) >= 200_000, f"web2 word list unexpectedly small: {len(base)}"
    words = base + inflections(base) + random_ascii() + random_regex_corners()
    words = list(dict.fromkeys(words))
    expected = [py_stem(w) for w in words]
    actual = run_node("stem", words)
    assert_same(words, expected, actual, "stem()")
    print(f"stem parity: {len(words)} distinct words, 0 mismatches")


def python_analysis(text: str) -> dict:
    ana = StemmingAnalyzer()
    tokenizer = RegexTokenizer() | LowercaseFilter()
    offs = utf16_offsets(text)
    spans = [[t.text, offs[t.startchar], offs[t.endchar]] for t in ana(text, chars=True)]
    tokens = [[t.text, offs[t.startchar], offs[t.endchar]] for t in tokenizer(text, chars=True)]
    surfaces = [text[t.startchar:t.endchar] for t in ana(text, chars=True)]
    return {"terms": [s[0] for s in spans], "tokens": tokens, "spans": spans, "surfaces": surfaces}


@pytest.mark.parametrize("corpus", ["articles", "random", "tricky"])
def test_analyze_parity(corpus):
    if corpus == "articles":
        named = article_texts()
        if not named:
            pytest.skip("no articles/ folder in this checkout")
        names = [n for n, _ in named]
        texts = [t for _, t in named]
    elif corpus == "random":
        texts = random_unicode()
        names = texts
    else:
        texts = TRICKY
        names = texts
    expected = [python_analysis(t) for t in texts]
    actual = run_node("analyze", texts)
    for key in ("terms", "tokens", "spans"):
        assert_same(names, [e[key] for e in expected], [a[key] for a in actual], f"{corpus}: {key}")
    # JS offsets slice the JS string back to Whoosh's surface token.
    assert_same(names, [e["surfaces"] for e in expected], [a["sliced"] for a in actual],
                f"{corpus}: text.slice(start, end)")
    print(f"analyze parity ({corpus}): {len(texts)} texts, "
          f"{sum(len(e['tokens']) for e in expected)} tokens, 0 mismatches")


def test_word_class_and_lowercase_of_every_code_point():
    got = run_node("codepoints")
    js_word = set(got["word"])
    js_lower = {int(k): v for k, v in got["lowered"].items()}
    unassigned = lambda cp: unicodedata.category(chr(cp)) == "Cn"  # noqa: E731

    py_word = set()
    py_lower = {}
    for cp in range(0x110000):
        c = chr(cp)
        if default_pattern.fullmatch(c):
            py_word.add(cp)
        if c.lower() != c:
            py_lower[cp] = c.lower()

    word_diff = sorted(py_word ^ js_word)
    lower_diff = sorted(cp for cp in py_lower.keys() | js_lower.keys()
                        if py_lower.get(cp) != js_lower.get(cp))
    # The documented exception: code points this Python's Unicode does not assign.
    word_bad = [cp for cp in word_diff if not unassigned(cp)]
    lower_bad = [cp for cp in lower_diff if not unassigned(cp)]
    fmt = lambda cps: ", ".join(  # noqa: E731
        f"U+{cp:04X} {unicodedata.name(chr(cp), '?')} py={cp in py_word}/{py_lower.get(cp)!r} "
        f"js={cp in js_word}/{js_lower.get(cp)!r}" for cp in cps[:8])
    assert not word_bad, f"\\w differs on {len(word_bad)} assigned code points: {fmt(word_bad)}"
    assert not lower_bad, f"lower() differs on {len(lower_bad)} assigned code points: {fmt(lower_bad)}"
    # Unassigned in Python means never a word character there; only the newer
    # Unicode in Node can add word characters, never remove them.
    assert all(cp in js_word for cp in word_diff)
    print(f"code points: {0x110000} compared; \\w equal on all assigned "
          f"(Unicode {unicodedata.unidata_version}); {len(word_diff)} code points "
          f"unassigned in Python are \\w in Node, {len(lower_diff)} have newer case mappings")


def test_final_sigma_in_every_word_context():
    # Final_Sigma is the one context-dependent lower-casing rule; tokens are
    # lower-cased one at a time, so only word characters, "." and "*" can be
    # the context. Python decides it from the Cased/Case_Ignorable data.
    xs = [chr(cp) for cp in range(0x110000) if default_pattern.fullmatch(chr(cp))]
    xs += ["."]
    texts = [p.format(x=x) for x in xs for p in ("{x}\u03a3", "A{x}\u03a3", "A\u03a3{x}", "A\u03a3{x}B")]
    expected = []
    for t in texts:
        offs = utf16_offsets(t)
        expected.append([[m.group().lower(), offs[m.start()], offs[m.end()]]
                         for m in default_pattern.finditer(t)])
    actual = run_node("tokenize", texts)
    assert_same(texts, expected, actual, "tokenize() around capital sigma")
    print(f"final sigma: {len(texts)} contexts, 0 mismatches")


def test_python_reference_pipeline_is_what_the_sweeps_assume():
    # The sweeps above use default_pattern + str.lower directly (fast); make
    # sure that is what RegexTokenizer() | LowercaseFilter() does.
    for text in TRICKY + random_unicode(50, seed=99):
        ref = [(t.text, t.startchar, t.endchar)
               for t in (RegexTokenizer() | LowercaseFilter())(text, chars=True)]
        fast = [(m.group().lower(), m.start(), m.end()) for m in default_pattern.finditer(text)]
        assert ref == fast, text
