// Service worker: the officer's pages open without a connection. Static files come from the
// cache first; pages from the network first, falling back to the last copy kept. The day page
// sends the addresses of its visits' forms (each filled for its visit): they are kept too. Submissions
// are not handled here: the page keeps them in its outbox (officer.js) and replays them.
const CACHE = "police-officer-v3";
const SHELL = [
  "/static/app.css", "/static/officer.js", "/static/htmx-2.0.11.min.js", "/static/manifest.webmanifest",
  // The public-domain form's permit check and its small map (the permits nearby need the
  // network; without it the form says so and the number is typed).
  "/static/permit_check.js", "/static/maps.js",
  "/static/vendor/leaflet-1.9.4/leaflet.js", "/static/vendor/leaflet-1.9.4/leaflet.css",
];
const PAGES = ["/officer", "/officer/inspections/new/parking", "/officer/inspections/new/hygiene", "/officer/inspections/new/public_domain"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await cache.addAll(SHELL);
      // The pages this officer may open (others answer 403 and are not kept).
      await Promise.allSettled(PAGES.map(async (url) => {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(url, response);
      }));
    }).then(() => self.skipWaiting()),
  );
});

const VISITS = "police-officer-visits";
self.addEventListener("message", (event) => {
  const wanted = (event.data && event.data.keep) || [];
  const ours = wanted.filter((u) => typeof u === "string" && u.startsWith("/officer/")).slice(0, 200);
  event.waitUntil(
    caches.open(VISITS).then(async (cache) => {
      // Yesterday's visits are forgotten: only today's list is kept.
      for (const old of await cache.keys()) {
        const url = new URL(old.url);
        if (!ours.includes(url.pathname + url.search)) await cache.delete(old);
      }
      await Promise.allSettled(ours.map(async (url) => {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(url, response);
      }));
    }),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== VISITS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/login") {
    // Someone else may log in on this phone: forget the pages kept for the previous user.
    event.waitUntil(
      caches.open(CACHE)
        .then((cache) => Promise.all(PAGES.map((p) => cache.delete(p))))
        .then(() => caches.delete(VISITS)),
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    // The kept copy at once, refreshed in the background for next time.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const hit = await cache.match(url.pathname);
        const fresh = fetch(request)
          .then((response) => {
            if (response.ok) cache.put(url.pathname, response.clone());
            return response;
          })
          .catch(() => hit);
        return hit || fresh;
      }),
    );
    return;
  }
  if (request.mode === "navigate" && url.pathname.startsWith("/officer")) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected && PAGES.includes(url.pathname)) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        })
        .catch(async () =>
          (await caches.match(url.pathname + url.search)) ||
          (await caches.match(url.pathname)) ||
          caches.match("/officer")),
    );
  }
});
