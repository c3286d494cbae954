// citynet's index search: every entity of search-index.js (window.citynetSearchIndex, written by
// citynet.site.search) found by any label, accent- and case-insensitively, narrowed by facets
// (checkboxes with counts; values of one facet combine with OR, facets with AND) and shown 50 a page.
// Every label reaches the page as text (textContent), never as HTML; links go only to the site's own
// pages. The state can be named in the address: index.html#q=krakow&programme=URBACT%20III; the
// query and the ticked facets are written there as they change (without a history entry each), so a
// reload, a bookmark or a shared link opens the same search.
(function () {
  'use strict';
  const PAGE_SIZE = 50;
  const FACET_NAMES = {kind: 'Kind', programme: 'Programme', country: 'Country', type: 'Network type', orgtype: 'Organisation type'};
  // Letters NFD does not decompose, as in citynet.site.search.LETTERS.
  const LETTERS = {'ł': 'l', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ħ': 'h', 'ı': 'i', 'ß': 'ss', 'æ': 'ae'};
  const SITE_PAGE = /^[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\.html$/;

  function fold(text) {
    return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[łøđðħıßæ]/g, c => LETTERS[c]);
  }

  const index = window.citynetSearchIndex;
  const root = document.getElementById('finder-app');
  if (!index || !root) return;
  const facets = index.facets;  // kind, programme, country, type, orgtype: columns 1, 4, 5, 6, 7 of a row
  const column = {kind: 1, programme: 4, country: 5, type: 6, orgtype: 7};
  const values = Object.assign({kind: index.kinds}, index.values);
  const chosen = {};
  facets.forEach(f => { chosen[f] = new Set(); });
  const state = {query: '', page: 0, results: []};
  const input = document.getElementById('finder-query');
  const list = document.getElementById('finder-results');
  const count = document.getElementById('finder-count');
  const facetBox = document.getElementById('finder-facets');
  const previous = document.getElementById('finder-previous');
  const next = document.getElementById('finder-next');

  function valuesOf(row, facet) {
    const v = row[column[facet]];
    return typeof v === 'number' ? [v] : v;
  }

  function matches(row, words) {
    for (const word of words) if (row[2].indexOf(word) < 0) return false;
    return true;
  }

  function passes(row, facet) {
    const wanted = chosen[facet];
    if (wanted.size === 0) return true;
    for (const v of valuesOf(row, facet)) if (wanted.has(v)) return true;
    return false;
  }

  // One pass: the rows passing the query and every facet, and for each facet the counts of its values
  // among the rows passing the query and every other facet (what checking a value would give).
  function search() {
    const query = fold(state.query).trim();
    const words = query.split(/\s+/).filter(Boolean);
    const counts = {};
    facets.forEach(f => { counts[f] = new Array(values[f].length).fill(0); });
    const first = [], rest = [];
    for (const row of index.rows) {
      if (words.length && !matches(row, words)) continue;
      let failed = null, failures = 0;
      for (const f of facets) {
        if (!passes(row, f)) { failed = f; failures += 1; if (failures > 1) break; }
      }
      if (failures > 1) continue;
      for (const f of facets) {
        if (failures === 1 && f !== failed) continue;
        for (const v of valuesOf(row, f)) counts[f][v] += 1;
      }
      if (failures === 0) (query && row[2].startsWith(query) ? first : rest).push(row);
    }
    return {rows: first.concat(rest), counts: counts};
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function renderFacets(counts) {
    facetBox.replaceChildren();
    for (const f of facets) {
      const shown = values[f].map((label, i) => [label, i]).filter(([, i]) => counts[f][i] > 0 || chosen[f].has(i));
      if (!shown.length) continue;
      shown.sort((a, b) => counts[f][b[1]] - counts[f][a[1]] || a[0].localeCompare(b[0]));
      const group = element('fieldset', undefined, 'facet');
      group.dataset.facet = f;
      group.append(element('legend', FACET_NAMES[f]));
      const items = element('div', undefined, 'facet-values');
      for (const [label, i] of shown) {
        const line = element('label');
        const box = element('input');
        box.type = 'checkbox';
        box.value = String(i);
        box.dataset.facet = f;
        box.dataset.label = label;
        box.checked = chosen[f].has(i);
        line.append(box, ' ', element('span', label), ' ', element('span', String(counts[f][i]), 'facet-count'));
        items.append(line);
      }
      group.append(items);
      facetBox.append(group);
    }
  }

  function describe(row) {
    const notes = [];
    for (const f of ['programme', 'country', 'type', 'orgtype']) {
      const vs = valuesOf(row, f);
      if (vs.length && vs.length <= 3) notes.push(vs.map(v => values[f][v]).join(', '));
      else if (vs.length) notes.push(`${vs.length} ${FACET_NAMES[f].toLowerCase()}s`);
    }
    return notes.join(' · ');
  }

  function renderResults() {
    const total = state.results.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const start = state.page * PAGE_SIZE;
    const shown = state.results.slice(start, start + PAGE_SIZE);
    list.replaceChildren();
    list.start = start + 1;
    for (const row of shown) {
      const item = element('li');
      const kind = index.kinds[row[1]];
      let link;
      if (row[3] && SITE_PAGE.test(row[3])) {
        link = element('a', row[0]);
        link.href = row[3];
      } else if (kind === 'programme' || kind === 'country') {  // selects the facet
        link = element('a', row[0]);
        link.href = '#' + new URLSearchParams({[kind]: row[0]}).toString();
      } else {
        link = element('span', row[0]);
      }
      item.append(link, ' ', element('span', kind, 'kind'), ' ', element('span', describe(row), 'note'));
      list.append(item);
    }
    count.textContent = total ? `${(start + 1).toLocaleString('en')}–${(start + shown.length).toLocaleString('en')} of ${total.toLocaleString('en')} results (page ${state.page + 1} of ${pages})` : 'No results';
    count.dataset.total = String(total);
    previous.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }

  function update() {
    const found = search();
    state.results = found.rows;
    renderFacets(found.counts);
    renderResults();
  }

  function applyHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (![...params.keys()].length) return;
    state.query = params.get('q') || '';
    input.value = state.query;
    for (const f of facets) {
      chosen[f].clear();
      for (const label of params.getAll(f)) {
        const i = values[f].indexOf(label);
        if (i >= 0) chosen[f].add(i);
      }
    }
    state.page = 0;
    update();
  }

  // The address names the query and the ticked facets (replaceState: no hashchange, no history entry).
  function writeHash() {
    const params = new URLSearchParams();
    if (state.query) params.append('q', state.query);
    for (const f of facets) {
      for (const i of [...chosen[f]].sort((a, b) => a - b)) params.append(f, values[f][i]);
    }
    const hash = params.toString();
    history.replaceState(null, '', location.pathname + location.search + (hash ? '#' + hash : ''));
  }

  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.query = input.value; state.page = 0; update(); writeHash(); }, 60);
  });
  input.addEventListener('keydown', event => {
    if (event.key === 'Enter') {
      clearTimeout(timer);
      state.query = input.value;
      state.page = 0;
      update();
      writeHash();
    }
  });
  facetBox.addEventListener('change', event => {
    const box = event.target;
    if (!box.dataset || !box.dataset.facet) return;
    const i = Number(box.value);
    if (box.checked) chosen[box.dataset.facet].add(i); else chosen[box.dataset.facet].delete(i);
    state.page = 0;
    update();
    writeHash();
    const again = facetBox.querySelector(`input[data-facet="${box.dataset.facet}"][value="${i}"]`);
    if (again) again.focus();
  });
  document.getElementById('finder-clear').addEventListener('click', () => {
    facets.forEach(f => chosen[f].clear());
    input.value = state.query = '';
    state.page = 0;
    history.replaceState(null, '', location.pathname);
    update();
  });
  previous.addEventListener('click', () => { state.page -= 1; renderResults(); });
  next.addEventListener('click', () => { state.page += 1; renderResults(); });
  window.addEventListener('hashchange', applyHash);
  root.hidden = false;
  update();
  applyHash();
  // Ready: the index is parsed and the first results are on the page; readyAt is ms since navigation
  // started (bench/site_speed.py reads it as the index's time to interactive).
  window.citynetSearch = {ready: true, readyAt: performance.now(), fold: fold, search: search, state: state};
})();
