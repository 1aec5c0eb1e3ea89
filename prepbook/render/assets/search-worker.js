// prepbook's search worker: Material for MkDocs' search box asks it, in the theme's own
// worker messages, and it answers from the Pagefind index beside the site, loading only
// the parts of the index that a query needs (the theme's own worker would first download
// and index every page's text). Messages: 0 set up, 1 ready, 2 query, 3 result.
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;
const FIRST = 10; // results shown at once; the next ones follow in a second answer
const MOST = 50; // results listed at most (Pagefind ranks them all)
const LOADED = 100; // pages' fragments loaded at most for one query
const PER_PAGE = 4; // a page's sections listed at once; the others fold under "more"
const SETTLE = 40; // ms: the box asks on every key; a query followed this soon by another waits

// the site's root, from this file's place in it: assets/prepbook/search-worker.js
const root = new URL("../../", self.location.href);
// Pagefind is loaded at the first query, not when a page starts this worker: under
// `mkdocs serve` the index is made again when it is first asked for after an edit, and
// every reloaded page starts the worker, so loading it here would index the whole site
// after every save, searched or not.
let loading = null;
function ready() {
  if (loading === null) {
    loading = import(new URL("pagefind/pagefind.js", root).href).then(async (pagefind) => {
      await pagefind.options({ baseUrl: "/", excerptLength: 24 });
      await pagefind.init();
      return pagefind;
    });
    loading.catch((error) => console.error("search index not loaded:", error));
  }
  return loading;
}
let latest = 0;

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// the theme's query syntax (+word, word*, word~1, field:word) read as plain words
function words(query) {
  return query
    .replace(/[+*~^:]+/g, " ")
    .split(/\s+/)
    .map((w) => w.replace(/^-+/, ""))
    .filter((w) => w.length > 0);
}

// a Pagefind URL (from the site's root) as the theme expects one: relative to its base
function local(url) {
  return url.replace(/^\/+/, "");
}

// Pagefind matches words by their stem ("notice" for "noticed"); the theme's search
// matches the beginnings of words, and so does this worker: a page, or a section of it, is
// listed when each word asked for begins a word of its text.
function beginnings(list) {
  const escaped = list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return escaped.map((w) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${w}`, "iu"));
}

function holds(text, patterns) {
  return patterns.every((pattern) => pattern.test(text));
}

function plain(html) {
  return html.replace(/<[^>]*>/g, "").replace(/&#?\w+;/g, " ");
}

function page(data, terms, patterns) {
  const title = escapeHtml(data.meta && data.meta.title ? data.meta.title : data.url);
  const subs = data.sub_results || [];
  const matching = subs.filter((s) => patterns.some((p) => p.test(plain(`${s.title} ${s.excerpt}`))));
  const sections = (matching.length ? matching : subs).filter((s) => s.url.includes("#"));
  const intro = subs.find((s) => !s.url.includes("#"));
  const group = [
    {
      location: local(data.url),
      title,
      text: intro ? `<p>${intro.excerpt}</p>` : sections.length ? "" : `<p>${data.excerpt}</p>`,
      score: 1,
      terms,
    },
  ];
  sections.forEach((section, i) => {
    group.push({
      location: local(section.url),
      title: escapeHtml(section.title),
      text: `<p>${section.excerpt}</p>`,
      score: i < PER_PAGE ? 1 : 0.5,
      terms,
    });
  });
  return group;
}

async function answer(query, asked) {
  const list = words(query);
  if (!list.length) {
    // the box asks with its empty text as it starts: nothing to load for that
    postMessage({ type: RESULT, data: { items: [] } });
    return;
  }
  const pagefind = await ready();
  // each key typed asks again: search only for the query the reader has stopped at
  await new Promise((resolve) => setTimeout(resolve, SETTLE));
  if (asked !== latest) return;
  const terms = Object.fromEntries(list.map((w) => [w, true]));
  const patterns = beginnings(list);
  const found = (await pagefind.search(list.join(" "))).results;
  if (asked !== latest) return;
  const kept = [];
  let shown = false;
  for (let at = 0; at < Math.min(found.length, LOADED) && kept.length < MOST; at += FIRST) {
    const batch = await Promise.all(found.slice(at, at + FIRST).map((r) => r.data()));
    if (asked !== latest) return;
    for (const data of batch) {
      if (kept.length < MOST && holds(data.content || "", patterns)) {
        kept.push(page(data, terms, patterns));
      }
    }
    if (!shown && kept.length >= FIRST) {
      postMessage({ type: RESULT, data: { items: kept.slice() } });
      shown = true;
    }
  }
  if (asked === latest) postMessage({ type: RESULT, data: { items: kept } });
}

postMessage({ type: READY }); // the box takes queries at once; the first one loads Pagefind

addEventListener("message", (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    latest += 1;
    answer(String(message.data || ""), latest);
  }
});
