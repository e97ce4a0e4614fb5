// Runs the browser's search engine (templates/assets/search/engine.js) in Node over an exported
// site, for parity tests: node search_cli.mjs SITE/search QUERIES.json > results.json
// QUERIES.json: [{"q": "...", "sort": "relevance"}, ...]; output: one result per query with the
// ranked ids (from the per-article files), scores, mode, counts and the first excerpts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createEngine, makeExcerpt } from '../../templates/assets/search/engine.js';

const [folder, queriesFile, excerptsArg] = process.argv.slice(2);
const excerpts = Number(excerptsArg || 0);
const engine = createEngine('file:///', async (rel) => new Uint8Array(await readFile(path.join(folder, rel))));
const queries = JSON.parse(await readFile(queriesFile, 'utf8'));
const out = [];
for (const { q, sort = 'relevance' } of queries) {
  const result = await engine.search(q, { sort });
  const docs = await Promise.all(result.hits.map((h) => engine.doc(h.slot)));
  out.push({
    q,
    sort,
    mode: result.mode,
    terms: result.terms,
    counts: result.counts,
    ids: docs.map((d) => d.id),
    scores: result.hits.map((h) => h.score),
    excerpts: docs.slice(0, excerpts).map((d) => makeExcerpt(d.text, result.terms)),
  });
}
process.stdout.write(JSON.stringify(out));
