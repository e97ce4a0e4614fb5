// Unit tests for the Whoosh-compatible analysis used by the in-browser search.
// Every expected value below was taken from Python (whoosh-reloaded 2.7.5);
// tests/test_analysis_parity.py checks the same module against Whoosh in bulk.
// Run: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  analyze, analyzeWithOffsets, lower, stem, STOP_WORDS, tokenize,
} from '../../templates/assets/search/analysis.js';

test('stem reproduces the quirks of whoosh.lang.porter', () => {
  const cases = {
    // Step 1b uses re.match: no "e" restored, no undoubling.
    running: 'runn', hopping: 'hopp', abbreviated: 'abbreviat', added: 'add',
    controlling: 'control',
    // "y" never counts as a vowel in the measure.
    typically: 'typicalli', anymore: 'anymore', happy: 'happi',
    // Ordinary Porter behaviour.
    relational: 'relat', generalization: 'gener', hoped: 'hope', filing: 'file',
    networks: 'network', deposits: 'deposit', caresses: 'caress', ponies: 'poni',
    withdrawals: 'withdraw', fees: 'fee', agreed: 'agre', feed: 'feed',
    // Leading "y" is a consonant.
    yelling: 'yell', yes: 'ye',
    // Python's "$" also matches before a final newline, and the group drops it.
    'jumped\n': 'jump',
  };
  for (const [word, expected] of Object.entries(cases)) {
    assert.equal(stem(word), expected, JSON.stringify(word));
  }
});

test('stem leaves words under three code points alone', () => {
  for (const w of ['ab', 'is', 'ed', 'ss', 'y', '']) assert.equal(stem(w), w);
  // Two code points but four UTF-16 units: still too short to stem.
  assert.equal(stem('\u{1D400}\u{1D401}'), '\u{1D400}\u{1D401}');
  assert.equal(stem('ing'), 'ing');
});

test('STOP_WORDS is Whoosh\'s list', () => {
  assert.equal(STOP_WORDS.size, 34);
  for (const w of ['a', 'the', 'and', 'can', 'tbd', 'us', 'your']) assert.ok(STOP_WORDS.has(w), w);
  assert.ok(!STOP_WORDS.has('what'));
});

test('analyze drops stop words and one-code-point tokens', () => {
  assert.deepEqual(analyze('the of and'), []);
  assert.deepEqual(analyze('What is the fee'), ['what', 'fee']);
  assert.deepEqual(analyze("can't log in"), ['log']);
  // minsize counts code points: one astral letter is dropped, two are kept.
  assert.deepEqual(analyze('\u{1D400}'), []);
  assert.deepEqual(analyze('x \u{1D400}\u{1D401}'), ['\u{1D400}\u{1D401}']);
  // ...after lower-casing: "İ" becomes "i" + U+0307, two code points.
  assert.deepEqual(analyze('İ'), ['i\u0307']);
});

test('help-centre tokens split and stem like Whoosh', () => {
  const cases = {
    'USDT-M': ['usdt'],
    'e-mail': ['mail'],
    'v2.0': ['v2.0'],
    'café': ['café'],
    '提现': ['提现'],
    "Crypto's": ['crypto'],
    "can't": [],
    '2FA': ['2fa'],
    'wi-fi': ['wi', 'fi'],
    'x.y..z': ['x.y'],
    'dep*': ['dep*'], // Whoosh's default pattern keeps "*" in tokens
    snake_case: ['snake_cas'],
    'Withdrawal FEES': ['withdraw', 'fee'],
    // A combining mark is not a word character in Python (NFD input splits).
    'cafe\u0301': ['cafe'],
  };
  for (const [text, expected] of Object.entries(cases)) {
    assert.deepEqual(analyze(text), expected, text);
  }
});

test('tokenize lower-cases like Python, final sigma included', () => {
  assert.deepEqual(tokenize("USDT-M Crypto's"), [
    { text: 'usdt', start: 0, end: 4 },
    { text: 'm', start: 5, end: 6 },
    { text: 'crypto', start: 7, end: 13 },
    { text: 's', start: 14, end: 15 },
  ]);
  assert.deepEqual(tokenize('ΟΔΥΣΣΕΥΣ').map((t) => t.text), ['οδυσσευς']);
  // Each token is lowered on its own, so a sigma ending a token is final.
  assert.deepEqual(tokenize('ΑΣ-ΑΣ').map((t) => t.text), ['ας', 'ας']);
  // U+0295 is cased in Python 3.11's Unicode 14, so the sigma is final there.
  assert.equal(lower('ʕΣ'), 'ʕς');
  assert.equal(lower('Σ'), 'σ');
});

test('offsets are UTF-16 and slice back to the surface text', () => {
  const text = 'Withdrawal FEES for \u{1D400}\u{1D401} café 提现';
  const spans = analyzeWithOffsets(text);
  assert.deepEqual(spans.map((t) => t.term), ['withdraw', 'fee', '\u{1D400}\u{1D401}', 'café', '提现']);
  assert.deepEqual(spans.map((t) => text.slice(t.start, t.end)),
    ['Withdrawal', 'FEES', '\u{1D400}\u{1D401}', 'café', '提现']);
  assert.deepEqual(spans[2], { term: '\u{1D400}\u{1D401}', start: 20, end: 24 });
  assert.deepEqual(analyzeWithOffsets('İ x'), [{ term: 'i\u0307', start: 0, end: 1 }]);
});
