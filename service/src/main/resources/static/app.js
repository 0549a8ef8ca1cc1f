// The operator's page of the re-ID service: search by query crops, browse the gallery, see the
// active model. Plain JS, no build step. Every API call sends X-API-Key; images too, so they are
// fetched as blobs and shown through object URLs (an <img src> cannot send a header).
'use strict';

(() => {
  const API = '/api/v1';
  const KEY_STORAGE = 'reid.apiKey';
  const IMAGE_CACHE_LIMIT = 800;

  const $ = (id) => document.getElementById(id);

  /** Builds an element: el('div', {class: 'x', dataset: {testid: 'y'}}, 'text', child). */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name === 'style') node.style.cssText = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    return appendAll(node, children);
  }

  /** Appends children (nodes, text, nested arrays); null, undefined and false are left out. */
  function appendAll(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Replaces the children of node, with el()'s rules for children. */
  function fill(node, ...children) {
    node.replaceChildren();
    return appendAll(node, children);
  }

  // ---------------------------------------------------------------- formatting

  const pad = (n, w = 2) => String(n).padStart(w, '0');

  function formatTime(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
      + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function formatNumber(value, digits = 3) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return value.toFixed(digits);
  }

  const formatMs = (ms) => (typeof ms === 'number' ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : '–');

  // ---------------------------------------------------------------- API key

  const keyInput = $('api-key');

  function apiKey() {
    return keyInput.value.trim();
  }

  function setKeyState(text, kind) {
    const node = $('key-state');
    node.textContent = text;
    node.className = `key-state ${kind || ''}`;
  }

  let keyCheckSeq = 0;

  /** Asks the service whether the key is known; every role may read the active model. */
  async function checkKey() {
    const seq = ++keyCheckSeq;
    if (!apiKey()) {
      setKeyState('no key', 'bad');
      return;
    }
    setKeyState('checking…', '');
    try {
      await api('/models/active');
      if (seq === keyCheckSeq) setKeyState('key ok', 'good');
    } catch (e) {
      if (seq !== keyCheckSeq) return;
      if (e.status === 401) setKeyState('unknown key', 'bad');
      else if (e.status === 403) setKeyState('key lacks a role', 'warn');
      else setKeyState(e.status ? `HTTP ${e.status}` : 'offline', 'warn');
    }
  }

  let committedKey = null;

  keyInput.value = localStorage.getItem(KEY_STORAGE) || '';
  keyInput.addEventListener('input', () => {
    localStorage.setItem(KEY_STORAGE, apiKey());
    clearImageCache();
    committedKey = null; // edited: the next Enter or blur checks it, even if it ends up unchanged
    setKeyState('', '');
  });

  /** A new key (Enter or leaving the field): check it and reload what the view shows. */
  function commitKey() {
    if (apiKey() === committedKey) return;
    committedKey = apiKey();
    checkKey();
    refreshCurrentView();
  }

  keyInput.addEventListener('change', commitKey);
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    commitKey();
  });
  $('key-toggle').addEventListener('click', () => {
    const hidden = keyInput.type === 'password';
    keyInput.type = hidden ? 'text' : 'password';
    $('key-toggle').textContent = hidden ? 'hide' : 'show';
  });

  // ---------------------------------------------------------------- HTTP and problem+json

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.detail || problem.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  async function problemFrom(response) {
    let problem = {};
    try {
      const type = response.headers.get('content-type') || '';
      if (type.includes('json')) problem = (await response.json()) || {};
      else {
        const text = (await response.text()).trim();
        if (text) problem = { detail: text.slice(0, 400) };
      }
    } catch (ignored) {
      // A body that is not JSON still has a status worth showing.
    }
    return new ApiError(response.status, {
      ...problem,
      title: problem.title || response.statusText || 'Request failed',
      status: problem.status || response.status,
    });
  }

  function requireKey() {
    if (!apiKey()) {
      throw new ApiError(0, { title: 'No API key', detail: 'Enter an API key (X-API-Key) at the top right.' });
    }
  }

  async function send(url, init = {}) {
    requireKey();
    const headers = { 'X-API-Key': apiKey(), ...(init.headers || {}) };
    let response;
    try {
      response = await fetch(url, { ...init, headers });
    } catch (e) {
      throw new ApiError(0, { title: 'Network error', detail: `${url}: ${e.message}` });
    }
    if (!response.ok) throw await problemFrom(response);
    return response;
  }

  async function api(path, init = {}) {
    const response = await send(API + path, {
      ...init,
      headers: { Accept: 'application/json, application/problem+json', ...(init.headers || {}) },
    });
    return response.status === 204 ? null : response.json();
  }

  const STATUS_HINTS = {
    401: 'The API key is missing or unknown.',
    403: 'The API key is known but lacks the role this call needs.',
  };

  /** Shows an error in a problem box: title, status, detail, and field/limit when present. */
  function showProblem(box, error) {
    const problem = error instanceof ApiError ? error.problem : { title: 'Error', detail: String(error && error.message || error) };
    const status = error instanceof ApiError ? error.status : 0;
    fill(box, [
      el('div', { class: 'problem-title' },
        el('span', { class: 'problem-status' }, status ? String(status) : '!'),
        ' ', problem.title || 'Error'),
      problem.detail ? el('div', { class: 'problem-detail', dataset: { testid: 'problem-detail' } }, problem.detail) : null,
      (problem.field || problem.limit) ? el('div', { class: 'problem-extra' },
        problem.field ? ['field ', el('code', {}, problem.field)] : null,
        problem.field && problem.limit ? ' · ' : null,
        problem.limit ? ['limit ', el('code', {}, problem.limit)] : null) : null,
      STATUS_HINTS[status] ? el('div', { class: 'problem-hint' }, STATUS_HINTS[status]) : null,
    ]);
    box.hidden = false;
  }

  const hideProblem = (box) => { box.hidden = true; fill(box); };

  // ---------------------------------------------------------------- images with the key header

  const imageCache = new Map(); // url -> Promise<object URL>, in insertion (least recent first) order

  function clearImageCache() {
    for (const promise of imageCache.values()) promise.then(URL.revokeObjectURL, () => {});
    imageCache.clear();
  }

  function loadImage(url) {
    let promise = imageCache.get(url);
    if (promise) {
      imageCache.delete(url); // re-insert: most recently used last
    } else {
      promise = send(url).then((r) => r.blob()).then((blob) => URL.createObjectURL(blob));
      promise.catch(() => imageCache.delete(url));
    }
    imageCache.set(url, promise);
    while (imageCache.size > IMAGE_CACHE_LIMIT) {
      const [oldest, old] = imageCache.entries().next().value;
      imageCache.delete(oldest);
      old.then(URL.revokeObjectURL, () => {});
    }
    return promise;
  }

  /** An <img> whose bytes come from an API url fetched with the key. */
  function apiImage(url, alt, className, testid) {
    const img = el('img', { class: `crop ${className || ''}`, alt, dataset: { testid, api: url }, draggable: 'false' });
    if (!url) {
      img.classList.add('broken');
      return img;
    }
    img.classList.add('loading');
    loadImage(url).then(
      (objectUrl) => {
        img.addEventListener('load', () => img.classList.remove('loading'), { once: true });
        img.src = objectUrl;
      },
      (e) => {
        img.classList.remove('loading');
        img.classList.add('broken');
        img.title = `${url}: ${e.message}`;
      });
    return img;
  }

  // ---------------------------------------------------------------- views

  const VIEWS = ['search', 'gallery', 'models'];
  let currentView = 'search';
  const loaded = { gallery: false, models: false };

  function showView(view) {
    if (!VIEWS.includes(view)) view = 'search';
    currentView = view;
    for (const v of VIEWS) {
      $(`view-${v}`).hidden = v !== view;
      $(`tab-${v}`).setAttribute('aria-selected', String(v === view));
    }
    if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
    if (view === 'gallery' && !loaded.gallery && apiKey()) loadGallery(0);
    if (view === 'models' && !loaded.models && apiKey()) loadModels();
  }

  function refreshCurrentView() {
    loaded.gallery = false;
    loaded.models = false;
    if (currentView === 'gallery' && apiKey()) loadGallery(galleryState.page);
    if (currentView === 'models' && apiKey()) loadModels();
  }

  for (const v of VIEWS) $(`tab-${v}`).addEventListener('click', () => showView(v));
  window.addEventListener('hashchange', () => showView(location.hash.slice(1)));

  // ---------------------------------------------------------------- search: query crops

  const queryState = { files: [], urls: [] };
  const dropZone = $('drop-zone');
  const fileInput = $('query-input');

  function addQueryFiles(fileList) {
    const images = Array.from(fileList).filter((f) => !f.type || f.type.startsWith('image/'));
    if (!images.length) return;
    queryState.files.push(...images);
    queryState.urls.push(...images.map((f) => URL.createObjectURL(f)));
    renderQueryThumbs();
  }

  function removeQueryFile(index) {
    URL.revokeObjectURL(queryState.urls[index]);
    queryState.files.splice(index, 1);
    queryState.urls.splice(index, 1);
    renderQueryThumbs();
  }

  function renderQueryThumbs() {
    fill($('query-thumbs'), ...queryState.files.map((file, i) =>
      el('figure', { class: 'query-thumb', dataset: { testid: 'query-thumb' }, title: `${file.name} · ${Math.round(file.size / 1024)} KB` },
        el('img', { class: 'crop', src: queryState.urls[i], alt: file.name }),
        el('button', {
          type: 'button', class: 'remove', title: 'Remove', 'aria-label': `Remove ${file.name}`,
          onclick: (e) => { e.stopPropagation(); removeQueryFile(i); },
        }, '×'))));
    const any = queryState.files.length > 0;
    dropZone.classList.toggle('has-files', any);
    $('search-submit').disabled = !any;
    $('query-clear').disabled = !any;
  }

  $('pick-files').addEventListener('click', (e) => { e.stopPropagation(); fileInput.click(); });
  dropZone.addEventListener('click', (e) => { if (e.target === dropZone || e.target.closest('.drop-hint')) fileInput.click(); });
  dropZone.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); fileInput.click(); } });
  fileInput.addEventListener('change', () => { addQueryFiles(fileInput.files); fileInput.value = ''; });
  for (const type of ['dragenter', 'dragover']) {
    dropZone.addEventListener(type, (e) => { e.preventDefault(); dropZone.classList.add('over'); });
  }
  for (const type of ['dragleave', 'drop']) {
    dropZone.addEventListener(type, () => dropZone.classList.remove('over'));
  }
  dropZone.addEventListener('drop', (e) => { e.preventDefault(); addQueryFiles(e.dataTransfer.files); });
  // A crop copied from another tool can be pasted straight into the search.
  document.addEventListener('paste', (e) => {
    if (currentView !== 'search' || !e.clipboardData) return;
    const files = Array.from(e.clipboardData.files || []);
    if (files.length) { e.preventDefault(); addQueryFiles(files); }
  });
  $('query-clear').addEventListener('click', () => {
    queryState.urls.forEach(URL.revokeObjectURL);
    queryState.files = [];
    queryState.urls = [];
    renderQueryThumbs();
  });

  // ---------------------------------------------------------------- search: request

  function cameraList(input, field) {
    const text = input.value.trim();
    if (!text) return null;
    const parts = text.split(/[\s,]+/).filter(Boolean);
    if (!parts.every((p) => /^\d+$/.test(p))) {
      throw new ApiError(0, { title: 'Invalid camera list', detail: `${field}: "${text}" is not a comma-separated list of camera ids`, field });
    }
    return parts.join(',');
  }

  function instant(input, field) {
    if (!input.value) return null;
    const d = new Date(input.value); // datetime-local is read in the browser's time zone
    if (Number.isNaN(d.getTime())) throw new ApiError(0, { title: 'Invalid time', detail: `${field}: ${input.value}`, field });
    return d.toISOString();
  }

  function searchForm() {
    const form = new FormData();
    for (const file of queryState.files) form.append('image', file, file.name);
    const topK = $('top-k').value.trim();
    if (topK) form.append('topK', topK);
    const cameras = cameraList($('cameras'), 'cameras');
    if (cameras) form.append('cameras', cameras);
    const exclude = cameraList($('exclude-cameras'), 'excludeCameras');
    if (exclude) form.append('excludeCameras', exclude);
    const camera = $('query-camera').value.trim();
    if (camera) {
      if (!/^\d+$/.test(camera)) {
        throw new ApiError(0, { title: 'Invalid camera', detail: `query camera: "${camera}" is not a camera id`, field: 'camera' });
      }
      form.append('camera', camera);
    }
    const from = instant($('time-from'), 'from');
    if (from) form.append('from', from);
    const to = instant($('time-to'), 'to');
    if (to) form.append('to', to);
    form.append('rerank', String($('rerank').checked));
    return form;
  }

  let searchSeq = 0;

  $('search-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!queryState.files.length) return;
    const seq = ++searchSeq;
    const button = $('search-submit');
    const problemBox = $('search-problem');
    hideProblem(problemBox);
    button.disabled = true;
    button.classList.add('busy');
    $('search-result').classList.add('stale');
    const queryFiles = queryState.files.slice();
    const started = performance.now();
    try {
      const result = await api('/search', { method: 'POST', body: searchForm() });
      if (seq === searchSeq) renderSearch(result, queryFiles, performance.now() - started);
    } catch (err) {
      if (seq === searchSeq) {
        showProblem(problemBox, err);
        $('search-result').hidden = true;
        $('search-empty').hidden = true;
      }
    } finally {
      if (seq === searchSeq) {
        button.disabled = !queryState.files.length;
        button.classList.remove('busy');
        $('search-result').classList.remove('stale');
      }
    }
  });

  // ---------------------------------------------------------------- search: ranked list

  let resultQueryUrls = []; // own object URLs: the query list may change while the result is shown

  function renderSearch(result, queryFiles, roundTripMs) {
    const identities = result.identities || [];
    const threshold = typeof result.threshold === 'number' ? result.threshold : null;
    const scope = result.thresholdScope ? ` (${result.thresholdScope})` : '';

    const verdict = $('verdict');
    verdict.dataset.unknown = String(Boolean(result.unknown));
    if (!identities.length) {
      verdict.className = 'verdict unknown';
      verdict.dataset.testid = 'unknown-banner';
      fill(verdict, el('strong', {}, 'No match'), ' no gallery identity passes the filters');
    } else if (result.unknown) {
      verdict.className = 'verdict unknown';
      verdict.dataset.testid = 'unknown-banner';
      fill(verdict,
        el('strong', {}, 'Unknown person'),
        ` best score ${formatNumber(identities[0].score)} is under the threshold ${formatNumber(threshold)}${scope}; the nearest identities are shown anyway`);
    } else {
      verdict.className = 'verdict known';
      verdict.dataset.testid = 'verdict';
      fill(verdict,
        el('strong', {}, `Match: ${identities[0].label}`),
        ` score ${formatNumber(identities[0].score)}`,
        threshold !== null ? ` ≥ threshold ${formatNumber(threshold)}${scope}` : '');
    }

    const model = result.model || {};
    const t = result.timings || {};
    fill($('search-meta'),
      el('span', { class: 'pill', dataset: { testid: 'search-model' } }, `${model.name || 'model'} v${model.version ?? '?'}`),
      ...[['decode', t.decodeMs], ['embed', t.embedMs], ['search', t.searchMs], ['total', t.totalMs]]
        .filter(([, ms]) => typeof ms === 'number')
        .map(([name, ms]) => el('span', { class: 'timing', dataset: { testid: `timing-${name}` } }, `${name} `, el('b', {}, formatMs(ms)))),
      el('span', { class: 'timing muted', title: 'Round trip measured by the page' }, 'round trip ', el('b', {}, formatMs(roundTripMs))),
      $('rerank').checked ? el('span', { class: 'pill alt' }, 're-ranked') : '',
    );

    const QUERIES_SHOWN = 5;
    resultQueryUrls.forEach(URL.revokeObjectURL);
    resultQueryUrls = queryFiles.slice(0, QUERIES_SHOWN).map((f) => URL.createObjectURL(f));
    const queryUrls = resultQueryUrls;
    fill($('result-query-thumbs'), queryUrls.slice(0, QUERIES_SHOWN).map((url, i) =>
      el('img', { class: 'crop query', src: url, alt: `query ${i + 1}`, dataset: { testid: 'result-query-thumb' } })),
    queryFiles.length > QUERIES_SHOWN ? el('span', { class: 'more' }, `+${queryFiles.length - QUERIES_SHOWN}`) : null);

    fill($('rank-list'), ...identities.map((identity, i) => rankCard(identity, i + 1, threshold, result.unknown)));
    $('rank-list').scrollLeft = 0;
    $('search-result').hidden = false;
    $('search-empty').hidden = true;
  }

  function rankCard(identity, rank, threshold, unknown) {
    const entries = identity.bestEntries || [];
    const accepted = threshold === null ? !unknown : identity.score >= threshold;
    const [best, ...others] = entries;
    const caption = (entry) => `entry ${entry.entryId} · camera ${entry.cameraId} · ${formatTime(entry.capturedAt)}`
      + (typeof entry.score === 'number' ? ` · score ${formatNumber(entry.score)}` : '');
    const scorePct = Math.max(0, Math.min(1, identity.score)) * 100;

    return el('li', {
      class: `rank-card ${accepted ? 'accepted' : 'rejected'} ${rank === 1 ? 'first' : ''}`,
      tabindex: '0',
      title: `Open identity ${identity.label} in the gallery`,
      dataset: {
        testid: 'rank-card', rank: String(rank), label: identity.label,
        identityId: String(identity.identityId), score: String(identity.score),
      },
      onclick: () => openIdentityFromSearch(identity),
      onkeydown: (e) => { if (e.key === 'Enter') openIdentityFromSearch(identity); },
    },
    el('div', { class: 'card-head' },
      el('span', { class: 'rank-no', dataset: { testid: 'rank-no' } }, String(rank)),
      el('span', { class: 'card-label', dataset: { testid: 'rank-label' } }, identity.label)),
    el('div', { class: `card-thumbs n${entries.length}` },
      best ? el('div', { class: 'thumb main', title: caption(best) },
        apiImage(best.imageUrl, `${identity.label}, best entry`, '', 'rank-thumb'),
        el('span', { class: 'cam-badge' }, `c${best.cameraId}`)) : el('div', { class: 'thumb main empty' }),
      others.length ? el('div', { class: 'thumb-stack' }, others.map((entry) =>
        el('div', { class: 'thumb small', title: caption(entry) },
          apiImage(entry.imageUrl, `${identity.label}, entry ${entry.entryId}`, '', 'rank-thumb')))) : null),
    el('div', { class: 'card-score' },
      el('span', { class: 'score', title: 'cosine similarity to the best entry' }, formatNumber(identity.score)),
      el('span', { class: 'dist', title: 'Euclidean distance of the L2-normalised vectors' }, `d ${formatNumber(identity.distance, 2)}`)),
    el('div', { class: 'scorebar' }, el('i', { style: `width:${scorePct.toFixed(1)}%` })),
    el('div', { class: 'card-sub' }, `${identity.matches} match${identity.matches === 1 ? '' : 'es'}`));
  }

  function openIdentityFromSearch(identity) {
    showView('gallery');
    openIdentity(identity.identityId);
  }

  // ---------------------------------------------------------------- gallery

  const galleryState = { page: 0, totalPages: 0, seq: 0 };

  async function loadGallery(page) {
    const seq = ++galleryState.seq;
    loaded.gallery = true;
    const problemBox = $('gallery-problem');
    const grid = $('identity-grid');
    const size = Number($('page-size').value);
    const label = $('label-filter').value.trim();
    const params = new URLSearchParams({ page: String(page), size: String(size) });
    if (label) params.set('label', label);
    grid.classList.add('stale');
    try {
      const body = await api(`/identities?${params}`);
      if (seq !== galleryState.seq) return;
      hideProblem(problemBox);
      galleryState.page = body.page ?? page;
      galleryState.totalPages = body.totalPages ?? 0;
      const items = body.content || [];
      fill(grid, ...(items.length
        ? items.map(identityTile)
        : [el('p', { class: 'empty' }, label ? `No identity label starts with "${label}".` : 'The gallery is empty.')]));
      $('gallery-page').textContent = galleryState.totalPages
        ? `page ${galleryState.page + 1} / ${galleryState.totalPages} · ${formatNumber(body.totalElements ?? items.length)} identities`
        : '0 identities';
      $('gallery-prev').disabled = galleryState.page <= 0;
      $('gallery-next').disabled = galleryState.page + 1 >= galleryState.totalPages;
      markSelectedTile();
    } catch (err) {
      if (seq === galleryState.seq) showProblem(problemBox, err);
    } finally {
      if (seq === galleryState.seq) grid.classList.remove('stale');
    }
  }

  function identityTile(identity) {
    const cameras = identity.cameras || [];
    return el('button', {
      type: 'button', class: 'identity-tile',
      dataset: { testid: 'identity-tile', label: identity.label, identityId: String(identity.id) },
      title: `first seen ${formatTime(identity.firstSeen)}, last seen ${formatTime(identity.lastSeen)}`,
      onclick: () => openIdentity(identity.id),
    },
    el('div', { class: 'tile-thumb' }, apiImage(identity.thumbnailUrl, identity.label, '', 'identity-thumb')),
    el('div', { class: 'tile-label' }, identity.label),
    el('div', { class: 'tile-sub' }, `${identity.entryCount} crop${identity.entryCount === 1 ? '' : 's'}`),
    el('div', { class: 'tile-sub' }, cameras.length ? `cam ${cameras.join(',')}` : '–'));
  }

  $('gallery-form').addEventListener('submit', (e) => { e.preventDefault(); loadGallery(0); });
  $('page-size').addEventListener('change', () => loadGallery(0));
  $('gallery-prev').addEventListener('click', () => loadGallery(Math.max(0, galleryState.page - 1)));
  $('gallery-next').addEventListener('click', () => loadGallery(galleryState.page + 1));
  let filterTimer = 0;
  $('label-filter').addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => loadGallery(0), 300);
  });

  // ---------------------------------------------------------------- identity detail

  const ENTRIES_PAGE_SIZE = 50;
  const detailState = { id: null, page: 0, totalPages: 0, seq: 0 };

  function markSelectedTile() {
    for (const tile of document.querySelectorAll('.identity-tile')) {
      tile.classList.toggle('selected', tile.dataset.identityId === String(detailState.id));
    }
  }

  async function openIdentity(id, page = 0) {
    const seq = ++detailState.seq;
    detailState.id = id;
    markSelectedTile();
    const panel = $('identity-detail');
    const grid = $('entry-grid');
    const wasHidden = panel.hidden;
    panel.hidden = false;
    panel.dataset.identityId = String(id);
    // Narrow screens put the panel under the grid: bring it into sight (a no-op beside the grid).
    if (wasHidden || panel.getBoundingClientRect().top > window.innerHeight) panel.scrollIntoView({ block: 'nearest' });
    if (page === 0) {
      $('detail-label').textContent = `identity ${id}`;
      $('detail-meta').textContent = 'loading…';
      fill(grid);
    }
    grid.classList.add('stale');
    try {
      const [identity, entries] = await Promise.all([
        api(`/identities/${encodeURIComponent(id)}`),
        api(`/identities/${encodeURIComponent(id)}/entries?page=${page}&size=${ENTRIES_PAGE_SIZE}`),
      ]);
      if (seq !== detailState.seq) return;
      hideProblem($('gallery-problem'));
      panel.dataset.label = identity.label;
      $('detail-label').textContent = identity.label;
      fill($('detail-meta'),
        `${identity.entryCount} crops · cameras ${(identity.cameras || []).join(', ') || '–'}`,
        el('br'),
        `${formatTime(identity.firstSeen)} → ${formatTime(identity.lastSeen)}`);
      detailState.page = entries.page ?? page;
      detailState.totalPages = entries.totalPages ?? 1;
      fill(grid, ...(entries.content || []).map(entryCrop));
      $('entries-page').textContent = detailState.totalPages > 1 ? `${detailState.page + 1} / ${detailState.totalPages}` : '';
      $('entries-prev').disabled = detailState.page <= 0;
      $('entries-next').disabled = detailState.page + 1 >= detailState.totalPages;
      $('entries-prev').parentElement.hidden = detailState.totalPages <= 1;
    } catch (err) {
      if (seq === detailState.seq) {
        $('detail-meta').textContent = '';
        showProblem($('gallery-problem'), err);
      }
    } finally {
      if (seq === detailState.seq) grid.classList.remove('stale');
    }
  }

  function entryCrop(entry) {
    return el('figure', {
      class: 'entry-crop',
      dataset: { testid: 'entry-crop', entryId: String(entry.id), camera: String(entry.cameraId) },
      title: `entry ${entry.id} · ${entry.width}×${entry.height} ${entry.contentType || ''}\n`
        + `captured ${entry.capturedAt || '–'}\nstored ${entry.createdAt || '–'}\n${entry.source || ''}`,
    },
    apiImage(entry.imageUrl, `entry ${entry.id}`, '', 'entry-image'),
    el('button', {
      type: 'button', class: 'use-as-query', title: 'Search with this crop', dataset: { testid: 'use-as-query' },
      onclick: () => useAsQuery(entry),
    }, 'search'),
    el('figcaption', {},
      el('span', { class: 'cam' }, `cam ${entry.cameraId}`),
      el('span', { class: 'when' }, entry.capturedAt ? formatTime(entry.capturedAt) : 'no time')));
  }

  /** Adds a stored crop to the query crops (bytes fetched with the key) and switches to Search. */
  async function useAsQuery(entry) {
    try {
      const blob = await (await fetch(await loadImage(entry.imageUrl))).blob();
      const extension = blob.type === 'image/png' ? 'png' : 'jpg';
      addQueryFiles([new File([blob], `${entry.label}-entry-${entry.id}.${extension}`, { type: blob.type || 'image/jpeg' })]);
      showView('search');
    } catch (err) {
      showProblem($('gallery-problem'), err);
    }
  }

  $('entries-prev').addEventListener('click', () => openIdentity(detailState.id, Math.max(0, detailState.page - 1)));
  $('entries-next').addEventListener('click', () => openIdentity(detailState.id, detailState.page + 1));
  $('detail-close').addEventListener('click', () => {
    detailState.id = null;
    detailState.seq++;
    $('identity-detail').hidden = true;
    markSelectedTile();
  });

  // ---------------------------------------------------------------- models

  /** Flattens nested metrics into [path, value] rows: {"test": {"rank1": 0.9}} -> ["test.rank1", 0.9]. */
  function flatten(object, prefix = '', rows = []) {
    for (const [key, value] of Object.entries(object || {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (value && typeof value === 'object' && !Array.isArray(value)) flatten(value, path, rows);
      else rows.push([path, value]);
    }
    return rows;
  }

  function metricValue(value) {
    if (typeof value === 'number') return formatNumber(value, 4);
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? formatNumber(v, 4) : String(v))).join(', ');
    return String(value);
  }

  /** Cross-camera results on datasets the model never trained on (manifest 'generalisation'), or nothing. */
  function generalisationTable(rows) {
    if (!Array.isArray(rows) || !rows.length) return null;
    const columns = [['rank1', 'rank-1'], ['rank5', 'rank-5'], ['mAP', 'mAP'], ['mINP', 'mINP']];
    return el('div', { class: 'generalisation' },
      el('div', { class: 'col-title' }, 'cross-camera on unseen datasets (Market-1501 protocol)'),
      el('table', { class: 'metrics suite', dataset: { testid: 'model-generalisation' } },
        el('thead', {}, el('tr', {}, el('th', {}, 'dataset'), columns.map(([, label]) => el('th', {}, label)),
          el('th', {}, 'queries'))),
        el('tbody', {}, rows.map((r) => el('tr', {}, el('th', {}, String(r.dataset)),
          columns.map(([key]) => el('td', {}, metricValue(r[key]))), el('td', {}, String(r.queries)))))));
  }

  async function loadModels() {
    loaded.models = true;
    const problemBox = $('models-problem');
    const card = $('model-card');
    try {
      const model = await api('/models/active');
      hideProblem(problemBox);
      const { generalisation, ...evaluation } = model.metrics || {};
      const metrics = flatten(evaluation);
      fill(card,
        el('div', { class: 'model-head' },
          el('div', {},
            el('div', { class: 'model-kicker' }, 'active model'),
            el('div', { class: 'model-name', dataset: { testid: 'model-name' } }, model.name),
          ),
          el('div', { class: 'model-version', dataset: { testid: 'model-version' } }, `v${model.version}`),
          el('div', { class: 'meta' }, `id ${model.id}`, model.createdAt ? ` · ${formatTime(model.createdAt)}` : '')),
        metrics.length
          ? el('div', { class: 'evaluation' },
            el('div', { class: 'col-title' }, 'test split of its training data'),
            el('table', { class: 'metrics', dataset: { testid: 'model-metrics' } },
              el('tbody', {}, metrics.map(([name, value]) =>
                el('tr', {}, el('th', {}, name), el('td', {}, metricValue(value)))))))
          : el('p', { class: 'empty' }, 'No metrics recorded for this model.'),
        generalisationTable(generalisation),
        model.manifest ? el('details', { class: 'manifest' },
          el('summary', {}, 'manifest'),
          el('pre', {}, JSON.stringify(model.manifest, null, 2))) : null);
      card.hidden = false;
    } catch (err) {
      card.hidden = true;
      showProblem(problemBox, err);
    }
    loadCalibration();
    loadModelList();
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';

  /** An SVG element with attributes (el() builds HTML elements). */
  function svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null) continue;
      node.setAttribute(name === 'testid' ? 'data-testid' : name, String(value));
    }
    return appendAll(node, children);
  }

  const percent = (share) => (typeof share === 'number' ? `${(100 * share).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%` : '–');

  /**
   * The genuine and impostor score histograms of the calibration, each as shares of its own
   * samples, with the served threshold as a vertical line. Plots from 0 (or the lowest score) to 1.
   */
  function calibrationPlot(c) {
    const h = c.histogram;
    const W = 640, H = 210, left = 40, right = 12, top = 12, bottom = 30;
    const bins = h.genuine.length;
    const firstUsed = Math.min(...[h.genuine, h.impostor].map((counts) => {
      const i = counts.findIndex((n) => n > 0);
      return i < 0 ? bins : i;
    }));
    const from = Math.min(0, Math.floor((h.from + firstUsed * h.binWidth) * 10 + 1e-9) / 10);
    const to = h.to;
    const x = (v) => left + (v - from) / (to - from) * (W - left - right);
    const shares = (counts, total) => counts.map((n) => (total ? n / total : 0));
    const g = shares(h.genuine, c.genuineSamples);
    const im = shares(h.impostor, c.impostorSamples);
    const peak = Math.max(0.01, ...g, ...im);
    const y = (share) => H - bottom - share / peak * (H - top - bottom);
    const bars = (values, cls, testid) => svg('g', { class: cls, testid },
      values.map((share, i) => {
        const lo = h.from + i * h.binWidth;
        if (share === 0 || lo + h.binWidth <= from) return null;
        return svg('rect', { x: x(lo).toFixed(1), y: y(share).toFixed(1),
          width: Math.max(1, x(lo + h.binWidth) - x(lo) - 0.5).toFixed(1), height: (H - bottom - y(share)).toFixed(1) });
      }));
    const ticks = [];
    for (let v = from; v <= to + 1e-9; v += 0.1) {
      const t = Math.round(v * 10) / 10;
      ticks.push(svg('line', { x1: x(t), x2: x(t), y1: H - bottom, y2: H - bottom + 4, class: 'axis' }),
        svg('text', { x: x(t), y: H - bottom + 16, class: 'tick', 'text-anchor': 'middle' }, t.toFixed(1)));
    }
    const tx = x(Math.max(from, Math.min(to, c.threshold)));
    return svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'calibration-plot', testid: 'calibration-plot',
      role: 'img', 'aria-label': `genuine and impostor score histograms, threshold ${c.threshold}` },
    svg('line', { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, class: 'axis' }),
    svg('text', { x: left - 6, y: top + 8, class: 'tick', 'text-anchor': 'end' }, percent(peak)),
    svg('text', { x: left - 6, y: H - bottom, class: 'tick', 'text-anchor': 'end' }, '0'),
    ticks,
    bars(im, 'impostor', 'calibration-impostor'),
    bars(g, 'genuine', 'calibration-genuine'),
    svg('line', { x1: tx, x2: tx, y1: top - 4, y2: H - bottom, class: 'threshold', testid: 'calibration-threshold',
      'data-value': c.threshold }),
    svg('text', { x: tx + 4, y: top + 4, class: 'threshold-label' }, `threshold ${formatNumber(c.threshold)}`),
    svg('text', { x: W - right, y: H - 4, class: 'tick', 'text-anchor': 'end' }, 'cosine score'));
  }

  /** How the active model's "unknown" threshold was calibrated; optional, so a failure only hides it. */
  async function loadCalibration() {
    const panel = $('model-calibration');
    try {
      const c = await api('/models/active/calibration');
      const method = c.method === 'false-match-rate'
        ? `false match rate at most ${percent(c.targetFalseMatchRate)} (reid.search.false-match-rate)`
        : c.method === 'equal-error-rate' ? 'equal error rate' : 'configured, not calibrated';
      if (!c.histogram) {
        fill(panel, el('div', { class: 'col-title' }, 'the "unknown" threshold'),
          el('p', { class: 'meta', dataset: { testid: 'calibration-method' } },
            `${formatNumber(c.threshold)}: ${c.source}`));
        panel.hidden = false;
        return;
      }
      fill(panel,
        el('div', { class: 'col-title' }, 'the "unknown" threshold, calibrated on the gallery'),
        el('p', { class: 'meta', dataset: { testid: 'calibration-method' } },
          el('strong', {}, formatNumber(c.threshold)), ` at the ${method}: `,
          `${percent(c.trueAcceptRate)} of ${c.genuineSamples} best genuine (${c.genuinePairs}) scores reach it, `,
          `${percent(c.falseMatchRate)} of ${c.impostorSamples} best impostor scores do.`),
        el('div', { class: 'legend' },
          el('span', { class: 'swatch genuine' }), ' genuine: a crop\'s best score to its own identity ',
          el('span', { class: 'swatch impostor' }), ' impostor: its best score to anyone else'),
        calibrationPlot(c),
        el('table', { class: 'metrics suite', dataset: { testid: 'calibration-table' } },
          el('thead', {}, el('tr', {}, ['false match rate at most', 'threshold', 'measured FMR', 'TAR'].map((t) => el('th', {}, t)))),
          el('tbody', {},
            c.operatingPoints.map((p) => el('tr', { class: p.threshold === c.threshold ? 'active' : '',
              title: p.measurable ? null : `fewer than ${Math.ceil(1 / p.targetFalseMatchRate)} impostor samples: the threshold only clears every sampled impostor` },
            el('th', {}, percent(p.targetFalseMatchRate), p.measurable ? '' : ' *'),
            el('td', {}, formatNumber(p.threshold)), el('td', {}, percent(p.falseMatchRate)), el('td', {}, percent(p.trueAcceptRate)))),
            el('tr', { class: c.method === 'equal-error-rate' ? 'active' : '' },
              el('th', {}, 'equal error rate'), el('td', {}, formatNumber(c.equalError.threshold)),
              el('td', {}, percent(c.equalError.falseMatchRate)), el('td', {}, percent(c.equalError.trueAcceptRate))))),
        c.operatingPoints.some((p) => !p.measurable)
          ? el('p', { class: 'meta' }, `* fewer than 1/rate impostor samples (${c.impostorSamples}): not measurable, the threshold merely clears every sampled impostor.`)
          : null,
        (c.multiCropThresholds || []).length
          ? el('table', { class: 'metrics suite', dataset: { testid: 'multi-crop-thresholds' } },
            el('caption', {}, 'queries of several crops are scored by their best crop, and a stranger gets as many chances: each count has its own threshold'),
            el('thead', {}, el('tr', {}, ['crops', 'threshold', 'measured FMR', 'TAR', 'simulated queries'].map((t) => el('th', {}, t)))),
            el('tbody', {}, c.multiCropThresholds.map((f) => el('tr', {},
              el('th', {}, String(f.crops)), el('td', {}, formatNumber(f.value)), el('td', {}, percent(f.falseMatchRate)),
              el('td', {}, percent(f.trueAcceptRate)), el('td', {}, String(f.impostorSamples))))))
          : null,
        cameraPairs(c));
      panel.hidden = false;
    } catch (ignored) {
      panel.hidden = true;
    }
  }

  /**
   * The thresholds of (query camera, gallery camera) pairs with enough samples, as a table; without
   * any, one line saying how far the pairs are from the minimums (every query uses the global one).
   */
  function cameraPairs(c) {
    const pairs = c.cameraPairThresholds || [];
    const min = c.cameraPairMinimums;
    if (!pairs.length || !min) return null;
    const calibrated = pairs.filter((p) => typeof p.value === 'number');
    const minimums = `${min.genuineSamples} genuine and ${min.impostorSamples} impostor scores`;
    if (!calibrated.length) {
      const most = (key) => Math.max(...pairs.map((p) => p[key]));
      return el('p', { class: 'meta', dataset: { testid: 'camera-pairs-none' } },
        `Camera pairs: none of the ${pairs.length} sampled has ${minimums} (at most ${most('genuineSamples')} genuine `,
        `and ${most('impostorSamples')} impostor scores a pair); every query is decided on the threshold of all cameras.`);
    }
    return el('table', { class: 'metrics suite', dataset: { testid: 'camera-pair-thresholds' } },
      el('caption', {}, `a single-crop query that names its camera is decided on the threshold of its camera and its best match's camera, `
        + `where that pair has ${minimums}: ${calibrated.length} of ${pairs.length} sampled pairs do, the others use the threshold of all cameras`),
      el('thead', {}, el('tr', {}, ['query camera → gallery camera', 'threshold', 'measured FMR', 'TAR', 'genuine', 'impostor']
        .map((t) => el('th', { scope: 'col' }, t)))),
      el('tbody', {}, calibrated.map((p) => el('tr', {},
        el('th', { scope: 'row' }, `${p.queryCamera} → ${p.galleryCamera}`), el('td', {}, formatNumber(p.value)),
        el('td', {}, percent(p.falseMatchRate)), el('td', {}, percent(p.trueAcceptRate)),
        el('td', {}, String(p.genuineSamples)), el('td', {}, String(p.impostorSamples))))));
  }

  /** All registered models; optional, so a failure here only hides the list. */
  async function loadModelList() {
    const list = $('model-list');
    try {
      const models = await api('/models');
      if (!Array.isArray(models) || !models.length) { list.hidden = true; return; }
      fill(list,
        el('div', { class: 'col-title' }, 'registered models'),
        el('table', { class: 'models' },
          el('thead', {}, el('tr', {}, ['id', 'name', 'version', 'state', 'created'].map((h) => el('th', {}, h)))),
          el('tbody', {}, models.map((m) => el('tr', { class: m.state === 'active' ? 'active' : '' },
            el('td', {}, String(m.id)), el('td', {}, m.name), el('td', {}, m.version),
            el('td', {}, m.state || ''), el('td', {}, formatTime(m.createdAt)))))));
      list.hidden = false;
    } catch (ignored) {
      list.hidden = true;
    }
  }

  // ---------------------------------------------------------------- start

  committedKey = apiKey();
  showView(location.hash.slice(1) || 'search');
  if (apiKey()) checkKey();
  else setKeyState('no key', 'bad');
})();
