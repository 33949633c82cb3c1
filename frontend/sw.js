// konvergen service worker: serves the app shell from a versioned cache so the app loads
// with no network, and swaps versions only when the user accepts the update.
// The build id and the asset list below are filled in by scripts/lib.sh after each build.
const VERSION = '__BUILD_ID__';
const ASSETS = __ASSETS__;
// The full module (/scorecard/: the same app with the screens a cadre does not need on day
// one). Kept in the same versioned cache, but only when the page asks, after its first sync:
// at install it would compete with that sync on a phone's 3G.
const FULL_MODULE = __FULL_MODULE__;
const FULL_MODULE_PAGE = '/scorecard/index.html';
const CACHE = `konvergen-${VERSION}`;
// The supervisors' desk (/desk/) is a separate module that phones never precache; a laptop
// keeps what it loaded, network first, so the desk also opens offline after one online visit.
const DESK_CACHE = 'desk-runtime';

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the page asks for it.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(keepFullModuleIfKeptBefore));
});

// A phone that kept the last version's full module keeps this one's too, while it is online
// for the update, so the scorecard still opens offline after the cadre takes the update.
async function keepFullModuleIfKeptBefore() {
  const older = (await caches.keys()).filter((key) => key.startsWith('konvergen-') && key !== CACHE);
  for (const key of older) {
    if (await (await caches.open(key)).match(FULL_MODULE_PAGE)) {
      // Best effort: if it fails, the page asks again after its next sync.
      await keepFullModule().catch(() => {});
      return;
    }
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key.startsWith('konvergen-') && key !== CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  if (event.data === 'keep-full-module') event.waitUntil(keepFullModule());
});

// One keeping at a time: the install and a page's message may ask at once.
let keeping = null;

function keepFullModule() {
  keeping ??= (async () => {
    const cache = await caches.open(CACHE);
    if (await cache.match(FULL_MODULE_PAGE)) return;
    // All or nothing: a half-kept module would fail offline.
    await cache.addAll(FULL_MODULE);
  })().finally(() => { keeping = null; });
  return keeping;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // data goes through the sync engine
  if (url.pathname === '/desk' || url.pathname.startsWith('/desk/')) {
    event.respondWith(deskFetch(request));
    return;
  }
  if (request.mode === 'navigate' && url.pathname.startsWith('/scorecard')) {
    event.respondWith(fullModulePage(request));
    return;
  }
  if (request.mode === 'navigate') {
    // Always this version's shell: its index.html names exactly the assets cached with it.
    event.respondWith(
      caches.open(CACHE)
        .then((cache) => cache.match('/index.html'))
        .then((cached) => cached || fetch(request)),
    );
    return;
  }
  event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
});

// The full module from the cache, else from the server. Neither (offline, not kept yet): the
// first-load shell, which tells the cadre why the screen cannot open yet.
async function fullModulePage(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(FULL_MODULE_PAGE);
  if (kept) return kept;
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await cache.match('/index.html');
    if (shell) return shell;
    throw error;
  }
}

async function deskFetch(request) {
  const cache = await caches.open(DESK_CACHE);
  const key = request.mode === 'navigate' ? '/desk/' : request;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}
