// Text analysis for the static in-browser search: a port of Whoosh's
// StemmingAnalyzer() (whoosh-reloaded 2.7.5 on Python 3.11), so that query
// words become exactly the terms the Python index holds.
//
// Pipeline (as in whoosh.analysis.analyzers.StemmingAnalyzer):
//   RegexTokenizer(default_pattern) -> LowercaseFilter -> StopFilter -> StemFilter(porter)
//
// Callers NFC-normalise text first; Whoosh itself does not normalise, so
// neither does this module. Parity with Python is checked by
// tests/test_analysis_parity.py.

// ---------------------------------------------------------------- tokenizer

// Whoosh's default_pattern is r"[\w\*]+(\.?[\w\*]+)*": note the "*", kept in
// tokens so wildcard queries survive tokenising ("hello*" is one token).
// Python's \w on str is `ch.isalnum() or ch == "_"`, which is exactly
// [\p{L}\p{N}_] for every code point Unicode 14 (Python 3.11) assigns: combining
// marks (Mn/Mc) are NOT word characters. Known residue: code points assigned
// after Unicode 14 (new scripts, CJK extensions) are \w in a browser with a
// newer Unicode but unassigned, hence not \w, in Python 3.11.
// The "u" flag makes the class match whole code points, as Python does.
const TOKEN_RE = /[\p{L}\p{N}_*]+(?:\.?[\p{L}\p{N}_*]+)*/gu;

// Python's str.lower() and JS toLowerCase() agree per code point (both use
// the full, locale-free mappings, e.g. "İ" -> "i̇"); the only context-dependent
// mapping is Final_Sigma, which we recompute Python's way
// (unicodeobject.c handle_capital_sigma) because the Unicode data differ:
// U+0295 "ʕ" is a cased Ll in Unicode 14 but an uncased Lo in newer Unicode.
const CASED = /[\p{Cased}\u0295]/u;
const CASE_IGNORABLE = /\p{Case_Ignorable}/u;

function isFinalSigma(s, i) {
  // Python: skip case-ignorable chars backwards; the first other char must be
  // cased. Then skip case-ignorable chars forwards; the string must end or the
  // first other char must not be cased.
  let j = i;
  let c = '';
  for (; j > 0; j -= c.length) {
    c = cpBefore(s, j);
    if (!CASE_IGNORABLE.test(c)) break;
  }
  if (j === 0 || !CASED.test(c)) return false;
  for (j = i + 1; j < s.length; j += c.length) {
    c = String.fromCodePoint(s.codePointAt(j));
    if (!CASE_IGNORABLE.test(c)) return !CASED.test(c);
  }
  return true;
}

function cpBefore(s, j) {
  const lo = s.charCodeAt(j - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && j >= 2) {
    const hi = s.charCodeAt(j - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return s.slice(j - 2, j);
  }
  return s[j - 1];
}

/** Python's str.lower(). */
export function lower(s) {
  if (!s.includes('\u03a3')) return s.toLowerCase();
  // Lower the pieces between capital sigmas on their own (no other mapping
  // depends on context) and decide each sigma with Python's rule.
  let out = '';
  let prev = 0;
  for (let i = s.indexOf('\u03a3'); i !== -1; i = s.indexOf('\u03a3', i + 1)) {
    out += s.slice(prev, i).toLowerCase() + (isFinalSigma(s, i) ? '\u03c2' : '\u03c3');
    prev = i + 1;
  }
  return out + s.slice(prev).toLowerCase();
}

/**
 * RegexTokenizer() | LowercaseFilter(): [{text, start, end}], where start/end
 * are UTF-16 offsets into `text` (so text.slice(start, end) is the surface form).
 */
export function tokenize(text) {
  const out = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    out.push({ text: lower(m[0]), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// ------------------------------------------------------------- stop filter

/** whoosh.analysis.STOP_WORDS */
export const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'can', 'for', 'from', 'have',
  'if', 'in', 'is', 'it', 'may', 'not', 'of', 'on', 'or', 'tbd', 'that', 'the',
  'this', 'to', 'us', 'we', 'when', 'will', 'with', 'yet', 'you', 'your',
]);

// Python's len() counts code points, not UTF-16 units.
function cpLength(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// ------------------------------------------------------------------ stemmer
// Port of whoosh.lang.porter.stem, a regex Porter variant with its own quirks.
// Python regex semantics are reproduced literally:
//  - re.match anchors at the start only, hence the explicit "^" below;
//  - Python's "$" also matches before a final "\n": END = (?=\n?$);
//  - Python's "." is anything but "\n" (JS's "." also rejects \r, \u2028, \u2029);
//  - the "u" flag makes classes and backreferences work on code points.
const END = '(?=\\n?$)';
const ANY = '[^\\n]';
const CONS_SEQ = '[^aeiouy]+';
// Quirk: "y" is in neither the vowel nor the consonant sequence, so a "y"
// never counts towards the measure (typically -> typicalli).
const VOWEL_SEQ = '[aeiou]+';
const re = (src) => new RegExp(src, 'u');

const MGR0 = re(`^(?:${CONS_SEQ})?${VOWEL_SEQ}${CONS_SEQ}`); // m > 0
const MEQ1 = re(`^(?:${CONS_SEQ})?${VOWEL_SEQ}${CONS_SEQ}(?:${VOWEL_SEQ})?${END}`); // m == 1
const MGR1 = re(`^(?:${CONS_SEQ})?${VOWEL_SEQ}${CONS_SEQ}${VOWEL_SEQ}${CONS_SEQ}`); // m > 1
const S_V = re(`^(?:${CONS_SEQ})?[aeiouy]`); // vowel in stem
const C_V = re(`^${CONS_SEQ}[aeiouy][^aeiouwxy]${END}`); // *o (cvc)
const ED_ING = re(`^(${ANY}*)(?:ed|ing)${END}`);
// Quirk: Whoosh applies these two with re.match where a search for a suffix
// was meant, so they must match the WHOLE stem: the "e" comes back only when
// the stem is exactly "at"/"iz" (abbreviated -> abbreviat), and STEP1B can
// never fire, since a stem of two consonants has already failed S_V, so
// double consonants are never undoubled (running -> runn).
const AT_BL_IZ = re(`^(?:at|bl|iz)${END}`);
const STEP1B = re(`^([^aeiouylsz])\\1${END}`);

const STEP2_MAP = {
  ational: 'ate', tional: 'tion', enci: 'ence', anci: 'ance', izer: 'ize',
  bli: 'ble', alli: 'al', entli: 'ent', eli: 'e', ousli: 'ous', ization: 'ize',
  ation: 'ate', ator: 'ate', alism: 'al', iveness: 'ive', fulness: 'ful',
  ousness: 'ous', aliti: 'al', iviti: 'ive', biliti: 'ble', logi: 'log',
};
const STEP3_MAP = {
  icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '',
};
// Alternation order copied from Whoosh (it decides nothing here, since "$"
// pins the suffix, but keeps the port literal).
const STEP2 = re(`^(${ANY}+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)${END}`);
const STEP3 = re(`^(${ANY}+?)(icate|ative|alize|iciti|ical|ful|ness)${END}`);
const STEP4_1 = re(`^(${ANY}+?)(?:al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)${END}`);
const STEP4_2 = re(`^(${ANY}+?)(s|t)ion${END}`);
const STEP5 = re(`^(${ANY}+?)e${END}`);

/** Exact port of whoosh.lang.porter.stem. */
export function stem(w) {
  // Words under 3 code points are returned untouched.
  if (w.length < 3 || (w.length < 6 && cpLength(w) < 3)) return w;

  // A leading "y" is a consonant: hide it from the vowel classes.
  const firstIsY = w[0] === 'y';
  if (firstIsY) w = 'Y' + w.slice(1);

  // Step 1a
  if (w.endsWith('s')) {
    if (w.endsWith('sses') || w.endsWith('ies')) w = w.slice(0, -2);
    // Unit vs code point: the char before an "s" is "s" in both or in neither.
    else if (w[w.length - 2] !== 's') w = w.slice(0, -1);
  }

  // Step 1b
  let m;
  if (w.endsWith('eed')) {
    if (MGR0.test(w.slice(0, -3))) w = w.slice(0, -1);
  } else if ((m = ED_ING.exec(w))) {
    const s = m[1];
    if (S_V.test(s)) {
      w = s;
      if (AT_BL_IZ.test(w)) w += 'e';
      else if (STEP1B.test(w)) w = [...w].slice(0, -1).join(''); // unreachable, see STEP1B
      else if (C_V.test(w)) w += 'e';
    }
  }

  // Step 1c
  if (w.endsWith('y')) {
    const s = w.slice(0, -1);
    if (S_V.test(s)) w = s + 'i';
  }

  // Step 2
  if ((m = STEP2.exec(w)) && MGR0.test(m[1])) w = m[1] + STEP2_MAP[m[2]];

  // Step 3
  if ((m = STEP3.exec(w)) && MGR0.test(m[1])) w = m[1] + STEP3_MAP[m[2]];

  // Step 4: the (s|t)ion rule is only tried when no step-4 suffix matched.
  if ((m = STEP4_1.exec(w))) {
    if (MGR1.test(m[1])) w = m[1];
  } else if ((m = STEP4_2.exec(w))) {
    const s = m[1] + m[2];
    if (MGR1.test(s)) w = s;
  }

  // Step 5
  if ((m = STEP5.exec(w))) {
    const s = m[1];
    if (MGR1.test(s) || (MEQ1.test(s) && !C_V.test(s))) w = s;
  }
  if (w.endsWith('ll') && MGR1.test(w)) w = w.slice(0, -1);

  if (firstIsY) w = 'y' + w.slice(1);
  return w;
}

// ----------------------------------------------------------------- analyzer

/**
 * StemmingAnalyzer() with offsets: [{term, start, end}], start/end being the
 * UTF-16 span of the surface token in `text` (for highlighting).
 */
export function analyzeWithOffsets(text) {
  const out = [];
  for (const t of tokenize(text)) {
    // StopFilter(minsize=2, maxsize=None): length in code points, measured
    // after lower-casing (which may lengthen: "İ" -> "i̇" is 2 code points).
    if ((t.text.length < 4 && cpLength(t.text) < 2) || STOP_WORDS.has(t.text)) continue;
    out.push({ term: stem(t.text), start: t.start, end: t.end });
  }
  return out;
}

/** [t.text for t in StemmingAnalyzer()(text)] */
export function analyze(text) {
  return analyzeWithOffsets(text).map((t) => t.term);
}
