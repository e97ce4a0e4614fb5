// Unit tests of the search runtime's pieces (run by `node --test tests/js/`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { crc32, createEngine, makeExcerpt, parseKeys, parseShard, quantise, queryTerms } from '../../templates/assets/search/engine.js';

const enc = new TextEncoder();

function varint(n, out) {
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

test('crc32 matches zlib.crc32 (values computed with Python)', () => {
  assert.equal(crc32(enc.encode('')), 0);
  assert.equal(crc32(enc.encode('fee')), 2521392309);
  assert.equal(crc32(enc.encode('提现')), 1038442423);
});

/** One shard in format 2: header, then gap/tf varints, then length codes. */
function shardBytes(entries) {
  const head = [];
  const stream = [];
  const codes = [];
  varint(entries.length, head);
  for (const [term, fields] of entries) {
    const raw = enc.encode(term);
    varint(raw.length, head);
    head.push(...raw);
    varint(fields.reduce((m, [f]) => m | (1 << f), 0), head);
    for (const [, postings] of fields) varint(postings.length, head);
    for (const [, postings] of fields) {
      let previous = 0;
      for (const [slot] of postings) {
        varint(slot - previous, stream);
        previous = slot;
      }
      for (const [, tf] of postings) varint(tf, stream);
    }
    for (const [, postings] of fields) for (const [, , code] of postings) codes.push(code);
  }
  return Uint8Array.from([...head, ...stream, ...codes]);
}

test('parseShard reads terms, field masks, gaps, frequencies and length codes', () => {
  const bytes = shardBytes([
    ['fee', [[0, [[5, 1, 3]]], [3, [[5, 2, 40], [3_000_000_000, 7, 200]]]]],
    ['zz', [[1, [[9, 4, 5]]]]],
  ]);
  const shard = parseShard(bytes);
  const fields = shard.get('fee');
  assert.deepEqual(fields[0].slots, [5]);
  assert.equal(fields[1], undefined);
  assert.deepEqual(fields[3].slots, [5, 3_000_000_000]);
  assert.deepEqual(fields[3].tfs, [2, 7]);
  assert.deepEqual([...fields[3].codes], [40, 200]);
  assert.deepEqual([...shard.get('zz')[1].codes], [5]);
});

test('parseKeys reads slots, update times and views', () => {
  const out = [];
  varint(2, out);
  varint(10, out); varint(1_700_000_000, out); varint(19266, out);
  varint(5, out); varint(1_600_000_000, out); varint(0, out);
  const keys = parseKeys(Uint8Array.from(out));
  assert.deepEqual(keys.get(10), { updated: 1_700_000_000, views: 19266 });
  assert.deepEqual(keys.get(15), { updated: 1_600_000_000, views: 0 });
});

test('quantise rounds half up at 1e-6 like Python', () => {
  assert.equal(quantise(1.0000004999), 1000000);
  assert.equal(quantise(2.5000005), 2500001);
});

test('query terms: NFC, analysed, distinct, capped', () => {
  assert.deepEqual(queryTerms('Withdrawals, FEES!  withdrawal', 20), ['withdraw', 'fee']);
  assert.deepEqual(queryTerms('the and of', 20), []);
  assert.deepEqual(queryTerms('cafe\u0301', 20), queryTerms('café', 20));
  assert.equal(queryTerms(Array.from({ length: 50 }, (_, i) => `word${i}x`).join(' '), 20).length, 20);
});

test('excerpts escape text, mark matches and cut around them', () => {
  const text = `${'lorem '.repeat(100)}Network <b>fees</b> & withdrawals.${' ipsum'.repeat(100)}`;
  const html = makeExcerpt(text, ['fee', 'withdraw']);
  assert.ok(html.startsWith('…') && html.endsWith('…'));
  assert.ok(html.includes('Network &lt;b&gt;<mark>fees</mark>&lt;/b&gt; &amp; <mark>withdrawals</mark>.'));
  assert.ok(!html.includes('<b>'));
  assert.equal(makeExcerpt('short text', ['zzz']), 'short text');
});

test('the engine scores, falls back to OR and counts tabs from an in-memory export', async () => {
  // Two articles: slot 1 (faq) has "fee" in the title; slot 65 (announcements) in the body.
  const shard = shardBytes([['fee', [[0, [[1, 1, 3]]], [3, [[65, 1, 10]]]]]]);
  const meta = {
    doc_count: 2, span: 64, categories: ['faq', 'announcements'], boosts: [2, 1, 1, 1], totals: [6, 0, 0, 20],
    B: 0.75, K1: 1.2, lengths: Array.from({ length: 256 }, (_, i) => i), shards: 1, keys_block_bits: 12, max_terms: 20,
  };
  const files = { 'meta.json': enc.encode(JSON.stringify(meta)), 't/0.bin': gzipSync(shard) };
  const engine = createEngine('file:///', async (path) => {
    if (!(path in files)) throw new Error(`no ${path}`);
    return files[path];
  });
  const result = await engine.search('Fees');
  assert.equal(result.mode, 'all');
  assert.deepEqual(result.hits.map((h) => h.slot), [1, 65]);
  assert.deepEqual(result.counts, { all: 2, faq: 1, announcements: 0 + 1 });
  const fallback = await engine.search('fee zzzunknown');
  assert.equal(fallback.mode, 'any');
  assert.equal(fallback.hits.length, 2);
  assert.equal((await engine.search('the')).mode, 'none');
});
