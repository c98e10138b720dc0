// Bastion's service worker (served as /sw.js by web/offline.py, which writes the precache
// list below: the offline pages, the shell's files, Leaflet and the basemap, and a version
// that changes with any of them).
//
// - Static files of the list: from the cache (they change only with the version).
// - Navigations to an offline page: the network first (the page is then kept in the cache);
//   with no network, the kept page. Other pages and the API are not touched.
// - Logging out forgets the kept pages (they show who was logged in); the phone's queue of
//   unsent work lives in IndexedDB and is not touched.
/* eslint-env serviceworker */
"use strict";
var PRECACHE = /*PRECACHE*/{"version": "dev", "pages": [], "assets": []}/*PRECACHE*/;
var CACHE = "bastion-offline-" + PRECACHE.version;
var PREFIX = "bastion-offline-";

function keepPage(cache, path, response) {
  if (response && response.ok && !response.redirected && response.type === "basic" &&
      (response.headers.get("content-type") || "").indexOf("text/html") === 0) {
    return cache.put(path, response);
  }
  // A page not kept (a 403 for a page this user may not open, the login form): its body is
  // read to the end, so that its connection goes back to the pool for the next request.
  return response ? response.arrayBuffer().then(function () { return null; },
                                                 function () { return null; }) : Promise.resolve();
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PRECACHE.assets).then(function () {
      // The pages need a login: kept only if this fetch gets the page itself (not the
      // login form it redirects to); otherwise kept at the next visit online.
      return Promise.all(PRECACHE.pages.map(function (path) {
        return fetch(path, { credentials: "same-origin" }).then(function (response) {
          return keepPage(cache, path, response);
        }).catch(function () { return null; });
      }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf(PREFIX) === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function forgetPages() {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(PRECACHE.pages.map(function (path) { return cache.delete(path); }));
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === "/logout") {
    event.waitUntil(forgetPages());
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate" && PRECACHE.pages.indexOf(url.pathname) >= 0) {
    event.respondWith(fetch(request).then(function (response) {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) {
        return keepPage(cache, url.pathname, copy);
      }));
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(url.pathname);
      }).then(function (kept) {
        return kept || new Response("offline", { status: 503,
          headers: { "content-type": "text/plain; charset=utf-8" } });
      });
    }));
    return;
  }
  if (PRECACHE.assets.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(url.pathname, response.clone()); }
          return response;
        });
      });
    }));
  }
});
