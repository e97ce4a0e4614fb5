// The search page: reads ?q=&tab=&sort=, searches as you type, keeps the URL in sync.
// Everything the reader typed reaches the page as text (textContent) or inside our own
// escaped excerpt HTML; never as markup.

import { createEngine, makeExcerpt } from './engine.js';

const PAGE = 10;
const DEBOUNCE_MS = 180;

const $ = (id) => document.getElementById(id);
const config = JSON.parse($('search-config').textContent);
const app = $('search-app');
const form = $('search-form');
const input = $('q');
const status = $('search-status');
const notice = $('search-notice');
const list = $('search-results');
const more = $('search-more');
const sortSelect = $('sort');
const tabLinks = [...document.querySelectorAll('#search-tabs a[data-tab]')];

const engine = createEngine(new URL(config.index, document.baseURI));
let state = readUrl();
let shown = PAGE;
let generation = 0;
let lastResult = null;

function readUrl() {
  const params = new URLSearchParams(location.search);
  const tab = params.get('tab') || 'all';
  const sort = params.get('sort') || 'relevance';
  return {
    q: params.get('q') || '',
    tab: tab in config.labels ? tab : 'all',
    sort: ['relevance', 'newest', 'views'].includes(sort) ? sort : 'relevance',
  };
}

function urlFor(s) {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  if (s.tab !== 'all') params.set('tab', s.tab);
  if (s.sort !== 'relevance') params.set('sort', s.sort);
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

function commit(next, { push }) {
  const changed = urlFor(next) !== urlFor(state);
  state = next;
  if (changed) history[push ? 'pushState' : 'replaceState'](null, '', urlFor(state));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

function meta(doc, withCategory) {
  const p = el('p', { class: 'meta' });
  if (withCategory) p.append(el('span', { class: 'badge' }, config.labels[doc.category] || doc.category));
  p.append(
    el('span', {}, 'Published on ', el('time', { datetime: doc.published }, doc.published_display)),
    el('span', {}, 'Updated on ', el('time', { datetime: doc.updated }, doc.updated_display)),
  );
  const views = el('span', { class: 'views' });
  views.innerHTML = EYE; // a constant icon, no reader input
  views.append(doc.views_display, el('span', { class: 'visually-hidden' }, ' views'));
  p.append(views);
  return p;
}

const EYE =
  '<svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16"><path d="M12 5c5 0 8.5 4.5 9.5 7-1 2.5-4.5 7-9.5 7s-8.5-4.5-9.5-7c1-2.5 4.5-7 9.5-7Zm0 2c-3.6 0-6.3 3-7.3 5 1 2 3.7 5 7.3 5s6.3-3 7.3-5c-1-2-3.7-5-7.3-5Zm0 2a3 3 0 1 1 0 6 3 3 0 0 1 0-6Z" fill="currentColor"/></svg>';

function item(doc, terms) {
  const summary = el('p', { class: 'result-summary result-excerpt' });
  summary.innerHTML = makeExcerpt(doc.text, terms); // escaped by makeExcerpt; only <mark> is markup
  return el(
    'li',
    { class: 'result' },
    el('h2', { class: 'result-title' }, el('a', { href: config.root + doc.url }, doc.title)),
    summary,
    meta(doc, state.tab === 'all'),
  );
}

function plural(n, word) {
  return `${n.toLocaleString(config.lang)} ${word}${n === 1 ? '' : 's'}`;
}

function renderTabs(counts) {
  for (const a of tabLinks) {
    const tab = a.dataset.tab;
    a.href = urlFor({ ...state, tab });
    const count = a.querySelector('.count');
    count.textContent = counts ? (counts[tab] ?? 0).toLocaleString(config.lang) : '';
    if (tab === state.tab) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  }
}

// The rendered state is announced on the app element (and aria-busy on the list) so assistive
// technology, and tests, know when the list on screen matches the URL.
function rendered() {
  list.setAttribute('aria-busy', 'false');
  app.dataset.rendered = urlFor(state);
  performance.measure('hc-search', 'hc-search-start'); // read by benchmarks/search_bench.py
}

async function run({ keepShown = false } = {}) {
  const mine = ++generation;
  performance.mark('hc-search-start');
  list.setAttribute('aria-busy', 'true');
  if (!keepShown) shown = PAGE;
  sortSelect.value = state.sort;
  document.title = state.q ? `${state.q} · Search · ${config.site}` : `Search · ${config.site}`;
  if (!state.q.trim()) {
    lastResult = null;
    renderTabs(null);
    list.replaceChildren();
    notice.hidden = true;
    more.hidden = true;
    status.textContent = 'Type a question or a few words to search every article.';
    rendered();
    return;
  }
  let result;
  try {
    result = await engine.search(state.q, { sort: state.sort });
  } catch (error) {
    if (mine !== generation) return;
    status.textContent = 'Search is unavailable right now. Please try again.';
    console.warn(error);
    rendered();
    return;
  }
  if (mine !== generation) return;
  lastResult = result;
  renderTabs(result.counts);
  const hits = state.tab === 'all' ? result.hits : result.hits.filter((h) => h.category === state.tab);
  const page = hits.slice(0, shown);
  const docs = await Promise.all(page.map((h) => engine.doc(h.slot)));
  if (mine !== generation) return;
  list.replaceChildren(...docs.map((doc) => item(doc, result.terms)));
  more.hidden = hits.length <= shown;
  notice.hidden = true;
  const quoted = `“${state.q.trim()}”`;
  if (result.mode === 'none') {
    status.textContent = `No searchable words in ${quoted}: very common words like “the” are not searched on their own.`;
  } else if (!hits.length) {
    const elsewhere = result.counts.all ? ` in ${config.labels[state.tab]}; ${plural(result.counts.all, 'result')} in All` : '';
    status.textContent = `No results for ${quoted}${elsewhere}. Check the spelling or try fewer words.`;
  } else {
    status.textContent = `${plural(hits.length, 'result')} for ${quoted}`;
    if (result.mode === 'any') {
      notice.textContent = `No results for all of '${state.q.trim().split(/\s+/).join(' ')}'; showing results for any of them.`;
      notice.hidden = false;
    }
  }
  rendered();
}

let timer = 0;
input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    commit({ ...state, q: input.value }, { push: false });
    run();
  }, DEBOUNCE_MS);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  commit({ ...state, q: input.value }, { push: true });
  run();
});

sortSelect.addEventListener('change', () => {
  commit({ ...state, sort: sortSelect.value }, { push: true });
  run();
});

for (const a of tabLinks) {
  a.addEventListener('click', (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    commit({ ...state, tab: a.dataset.tab }, { push: true });
    run();
  });
}

more.addEventListener('click', async () => {
  const first = shown;
  shown += PAGE;
  await run({ keepShown: true });
  list.children[first]?.querySelector('a')?.focus();
});

addEventListener('popstate', () => {
  state = readUrl();
  input.value = state.q;
  run();
});

app.hidden = false;
input.value = state.q;
if (!state.q) input.focus();
run();
