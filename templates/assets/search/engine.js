// The static search runtime: helpcenter's Whoosh ranking, reproduced over the exported files.
//
// Python (helpcenter/search/engine.py, query.py) is the engine of record; this module must give
// the same result lists for every query. Rules shared with Python, each tested for parity:
//   - query terms: NFC, Whoosh's StemmingAnalyzer (analysis.js), distinct, first `max_terms`;
//   - every term must match (in any field); if no article has all of them, any term may match;
//   - score = sum over (term, field) of Whoosh's BM25: idf(N, df_field) * bm25(tf * boost,
//     length(code), total_field / N); scores compare after rounding to 1e-6;
//   - ties (and the 'newest'/'views' sorts) break on the slot, ascending.
// The file format is documented in docs/search-format.md.

import { analyze, analyzeWithOffsets } from './analysis.js';

const SCALE = 1e6;

/** Bytes of an exported file, gunzipped. Hosts may already have removed the gzip layer. */
async function gunzip(bytes) {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`search data ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// CRC-32 (IEEE, as zlib.crc32) over UTF-8 bytes: the shard a term lives in.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }
  varint() {
    // Values can exceed 2^31 (slots, timestamps): accumulate with multiplication, not shifts.
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.at++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Parse one shard: Map(term -> Array(fieldIndex -> {slots, tfs, codes} | undefined)).
 * Layout: a header (terms with their field masks and dfs), then all gap and frequency varints
 * in header order, then all length-code bytes in the same order (docs/search-format.md).
 */
export function parseShard(bytes) {
  const r = new Reader(bytes);
  const count = r.varint();
  const header = [];
  for (let i = 0; i < count; i++) {
    const length = r.varint();
    const term = utf8Decoder.decode(bytes.subarray(r.at, r.at + length));
    r.at += length;
    const mask = r.varint();
    const fields = [];
    for (let f = 0; mask >> f; f++) if ((mask >> f) & 1) fields.push([f, r.varint()]);
    header.push([term, fields]);
  }
  const terms = new Map();
  for (const [term, fields] of header) {
    const out = [];
    for (const [f, df] of fields) {
      const slots = new Array(df);
      const tfs = new Array(df);
      let slot = 0;
      for (let j = 0; j < df; j++) {
        slot += r.varint();
        slots[j] = slot;
      }
      for (let j = 0; j < df; j++) tfs[j] = r.varint();
      out[f] = { slots, tfs, codes: null };
    }
    terms.set(term, out);
  }
  for (const [term, fields] of header) {
    const out = terms.get(term);
    for (const [f, df] of fields) {
      out[f].codes = bytes.subarray(r.at, r.at + df);
      r.at += df;
    }
  }
  return terms;
}

/** Parse a sort-key block: Map(slot -> {updated, views}). */
export function parseKeys(bytes) {
  const r = new Reader(bytes);
  const keys = new Map();
  const count = r.varint();
  let slot = 0;
  for (let i = 0; i < count; i++) {
    slot += r.varint();
    keys.set(slot, { updated: r.varint(), views: r.varint() });
  }
  return keys;
}

/** Whoosh's idf and per-field BM25 (whoosh.scoring.bm25), operation for operation. */
function idf(docCount, df) {
  return Math.log(docCount / (df + 1)) + 1;
}
function bm25(idfValue, weight, length, avgfl, B, K1) {
  return idfValue * ((weight * (K1 + 1)) / (weight + K1 * ((1 - B) + B * length / avgfl)));
}

export function quantise(score) {
  return Math.floor(score * SCALE + 0.5);
}

/** Distinct query terms, as helpcenter.search.query.query_terms. */
export function queryTerms(text, maxTerms) {
  const seen = [];
  for (const term of analyze(String(text).normalize('NFC'))) {
    if (!seen.includes(term)) {
      seen.push(term);
      if (seen.length === maxTerms) break;
    }
  }
  return seen;
}

/**
 * A search engine over the export at `base` (URL of the search/ folder, ending in '/').
 * `load(path)` may be given to read files another way (tests read them from disk).
 */
export function createEngine(base, load = (path) => fetchBytes(new URL(path, base))) {
  const cache = new Map();
  const once = (key, make) => {
    if (!cache.has(key)) {
      const promise = make();
      // A failed fetch must not poison the cache: the next query tries again.
      promise.catch(() => cache.delete(key));
      cache.set(key, promise);
    }
    return cache.get(key);
  };
  const meta = () => once('meta', async () => JSON.parse(utf8Decoder.decode(await load('meta.json'))));
  const shard = (n) => once(`t${n}`, async () => parseShard(await gunzip(await load(`t/${n.toString(16)}.bin`))));
  const keys = (n) => once(`k${n}`, async () => parseKeys(await gunzip(await load(`k/${n.toString(16)}.bin`))));
  const doc = (slot) =>
    once(`d${slot}`, async () => JSON.parse(utf8Decoder.decode(await gunzip(await load(`d/${slot.toString(16)}.bin`)))));

  async function postings(m, term) {
    const fields = (await shard(crc32(utf8.encode(term)) % m.shards)).get(term);
    return fields || [];
  }

  /**
   * Rank every matching article. Returns {terms, mode, hits: [{slot, score, category}], counts}.
   * mode: 'all', 'any' (fell back to OR) or 'none' (no searchable words).
   */
  async function search(text, { sort = 'relevance' } = {}) {
    const m = await meta();
    const terms = queryTerms(text, m.max_terms);
    const counts = { all: 0 };
    for (const c of m.categories) counts[c] = 0;
    if (!terms.length || !m.doc_count) return { terms, mode: 'none', hits: [], counts };
    const lists = await Promise.all(terms.map((t) => postings(m, t)));
    const perTerm = lists.map((fields) => {
      const slots = new Set();
      for (const f of fields) if (f) for (const s of f.slots) slots.add(s);
      return slots;
    });
    let mode = 'all';
    let matched = [...perTerm[0]].filter((s) => perTerm.every((set) => set.has(s)));
    if (!matched.length && terms.length > 1) {
      mode = 'any';
      matched = [...new Set(perTerm.flatMap((set) => [...set]))];
    }
    const scores = new Map(matched.map((s) => [s, 0]));
    const N = m.doc_count;
    lists.forEach((fields) => {
      fields.forEach((f, index) => {
        if (!f) return;
        const avgfl = m.totals[index] / (N || 1) || 1;
        const termIdf = idf(N, f.slots.length);
        const boost = m.boosts[index];
        for (let j = 0; j < f.slots.length; j++) {
          const slot = f.slots[j];
          if (!scores.has(slot)) continue;
          const score = bm25(termIdf, f.tfs[j] * boost, m.lengths[f.codes[j]], avgfl, m.B, m.K1);
          scores.set(slot, scores.get(slot) + score);
        }
      });
    });
    let hits = matched.map((slot) => ({
      slot,
      score: scores.get(slot),
      q: quantise(scores.get(slot)),
      category: m.categories[Math.floor(slot / m.span)],
    }));
    for (const h of hits) {
      counts.all += 1;
      counts[h.category] += 1;
    }
    if (sort === 'relevance') {
      hits.sort((a, b) => b.q - a.q || a.slot - b.slot);
    } else {
      const blocks = [...new Set(hits.map((h) => Math.floor(h.slot / 2 ** m.keys_block_bits)))];
      const maps = await Promise.all(blocks.map(keys));
      const key = new Map();
      for (const map of maps) for (const [slot, value] of map) key.set(slot, value);
      const field = sort === 'newest' ? 'updated' : 'views';
      hits.sort((a, b) => key.get(b.slot)[field] - key.get(a.slot)[field] || a.slot - b.slot);
    }
    hits = hits.map((h) => ({ slot: h.slot, score: h.q / SCALE, category: h.category }));
    return { terms, mode, hits, counts };
  }

  return { meta, search, doc };
}

// ------------------------------------------------------------------ excerpts

const EXCERPT_CHARS = 300;
const LEAD_CHARS = 80;
// Python's str.split() whitespace (str.isspace), which differs from JS \s.
const SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * HTML excerpt (≤ ~300 characters) of `text` with the query terms in <mark>: the algorithm of
 * helpcenter/search/excerpt.py, counting code points as Python does.
 */
export function makeExcerpt(text, terms) {
  const flat = text.split(SPACE).filter(Boolean).join(' ');
  const cps = Array.from(flat);
  // UTF-16 offset -> code point offset.
  const cpAt = new Map();
  let unit = 0;
  cps.forEach((c, i) => {
    cpAt.set(unit, i);
    unit += c.length;
  });
  cpAt.set(unit, cps.length);
  const wanted = new Set(terms);
  const matches = analyzeWithOffsets(flat)
    .filter((t) => wanted.has(t.term))
    .map((t) => [cpAt.get(t.start), cpAt.get(t.end), t.term]);
  const find = (from) => {
    for (let i = Math.max(0, from); i < cps.length; i++) if (cps[i] === ' ') return i;
    return -1;
  };
  const rfind = (to) => {
    for (let i = Math.min(to, cps.length) - 1; i >= 0; i--) if (cps[i] === ' ') return i;
    return -1;
  };
  const snapStart = (p) => {
    if (p <= 0) return 0;
    const space = find(p - 1);
    return space < 0 ? 0 : space + 1;
  };
  const snapEnd = (p) => {
    if (p >= cps.length) return cps.length;
    const space = rfind(p + 1);
    return space <= 0 ? p : space;
  };
  let window = [0, snapEnd(EXCERPT_CHARS)];
  let marks = [];
  if (matches.length) {
    let best = null;
    for (const [first] of matches) {
      const start = snapStart(first - LEAD_CHARS);
      const end = snapEnd(start + EXCERPT_CHARS);
      const inside = matches.filter((m) => m[0] >= start && m[1] <= end);
      const rank = [new Set(inside.map((m) => m[2])).size, inside.length, -start];
      if (best === null || rank[0] > best[0] || (rank[0] === best[0] && (rank[1] > best[1] || (rank[1] === best[1] && rank[2] > best[2])))) {
        best = rank;
        window = [start, end];
      }
    }
    marks = matches.filter((m) => m[0] >= window[0] && m[1] <= window[1]);
  }
  const [start, end] = window;
  const slice = (a, b) => escapeHtml(cps.slice(a, b).join(''));
  let out = start > 0 ? '…' : '';
  let cursor = start;
  for (const [a, b] of marks) {
    out += slice(cursor, a) + '<mark>' + slice(a, b) + '</mark>';
    cursor = b;
  }
  out += slice(cursor, end);
  if (end < cps.length) out += '…';
  return out;
}
