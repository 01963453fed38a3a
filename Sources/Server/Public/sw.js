// The dashboard's service worker (docs/dashboard.md, "Installable"): it keeps the app shell — the
// page, its scripts and style sheet, the icon and the manifest — so the dashboard opens from a
// phone's home screen and shows its login even when the server is out of reach. Network first:
// a new version is picked up as soon as the server answers. API answers, the WebSocket, metrics
// and anything sent with credentials are never stored; they go straight to the network.
const CACHE = "ta-shell-v1";
const SHELL = [
  "/", "/manifest.webmanifest", "/assets/style.css", "/assets/favicon.svg",
  "/assets/app.js", "/assets/api.js", "/assets/bus.js", "/assets/ui.js", "/assets/ws.js", "/assets/session.js", "/assets/keys.js", "/assets/notify.js", "/assets/theme.js",
  "/assets/watchlist.js", "/assets/chart.js", "/assets/plan.js", "/assets/alerts.js", "/assets/ticket.js",
  "/assets/orders.js", "/assets/journal.js", "/assets/journal-views.js", "/assets/coach.js", "/assets/risk.js", "/assets/settings.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

/** The cache key of a shell request (the page without its query: a login code is never kept), or null. */
function shellKey(request) {
  if (request.method !== "GET" || request.headers.has("Authorization") || request.headers.has("X-API-Key")) return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (request.mode === "navigate" || url.pathname === "/") return "/";
  return SHELL.includes(url.pathname) ? url.pathname : null;
}

self.addEventListener("fetch", (event) => {
  const key = shellKey(event.request);
  if (!key) return; // the network, untouched
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(key, copy));
      }
      return response;
    })
    .catch(() => caches.match(key).then((cached) => cached || Response.error())));
});
