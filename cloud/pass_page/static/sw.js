// The pass page's service worker (scope /pass/): it keeps every file the page needs, so the page opens and
// makes codes with no network once it has been visited. Files are answered from the cache at once and
// refreshed from the network behind it (stale-while-revalidate); the cloud's API is never cached.

const CACHE = "volunteer-pass-v1";
const SCOPE = new URL("./", self.location).pathname;
const PAGE = new URL("./", self.location).href;
const FILES = [
  "./",
  "pass.css",
  "pass.js",
  "cloud.js",
  "codes.js",
  "enrol.js",
  "i18n.js",
  "qr.js",
  "storage.js",
  "strings.json",
  "manifest.webmanifest",
  "icon.svg",
  "icon-180.png",
  "icon-192.png",
  "icon-512.png",
  "vendor/qrcode-generator/qrcode.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

/** The cache key of a request: the page for every navigation (whatever its query), else the path. */
function keyOf(request, url) {
  return request.mode === "navigate" ? PAGE : url.origin + url.pathname;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) {
    return; // the API and anything else: straight to the network
  }
  const key = keyOf(request, url);
  const refreshed = caches.open(CACHE).then((cache) =>
    fetch(request)
      .then((reply) => {
        if (reply.ok) return cache.put(key, reply.clone()).then(() => reply);
        return reply;
      })
      .catch(() => null),
  );
  event.respondWith(
    caches.match(key).then((cached) => {
      if (cached) {
        event.waitUntil(refreshed);
        return cached;
      }
      return refreshed.then((reply) => reply || Response.error());
    }),
  );
});
