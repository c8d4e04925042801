// The workbench's service worker, served as /m/sw.js (scope /m/). Hand-written, no framework:
// - the shell (the page with its inlined stylesheet, the scripts it names, icons) is cached at
//   install; the page is fetched fresh first (network first, short timeout), its assets come from
//   the cache (their URLs are fingerprinted: a new deployment's page names new ones, fetched once);
// - the day's data (/api/v1/workbench/today: open cases, the grid's households, notices,
//   categories) is network first with the last good answer kept for offline use;
// - Background Sync ("civicgrid-workbench") sends the queued actions when the link returns, even
//   with the page closed; pages without Background Sync flush on the "online" event themselves.
"use strict";

importScripts("/js/workbench/store.js", "/js/workbench/queue.js");

const version = "wb-v1";
const shellCache = `civicgrid-shell-${version}`;
const dataCache = "civicgrid-data";
const page = "/m/";
const today = "/api/v1/workbench/today";
// What the shell may load besides the page: its scripts (fingerprinted by the page), icons, manifest.
const asset = /^\/(?:js|css|img|lib)\/|^\/favicon\.svg$|^\/workbench\.webmanifest$/;

/** The page and every asset it names: the page's scripts carry fingerprints, so a new deployment brings new URLs. */
async function cacheShell() {
  const cache = await caches.open(shellCache);
  const response = await fetch(page, { cache: "reload", credentials: "same-origin" });
  if (!response.ok || response.redirected) {
    return;
  }
  const html = await response.clone().text();
  await cache.put(page, response);
  const urls = [...html.matchAll(/(?:href|src)="(\/[^"]+)"/g)].map(m => m[1]).filter(url => asset.test(url));
  // addAll refuses duplicates.
  await cache.addAll([...new Set(["/workbench.webmanifest", "/img/workbench/icon-192.png", ...urls])]);
}

self.addEventListener("install", event => {
  event.waitUntil((async () => {
    await cacheShell();
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("civicgrid-shell-") && name !== shellCache) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

async function networkFirst(request, cacheName, key, wait) {
  const cache = await caches.open(cacheName);
  try {
    const response = await Promise.race([fetch(request), timeout(wait)]);
    // Only a real answer replaces the kept one (not a sign-in redirect or an error).
    if (response.ok && !response.redirected && response.type === "basic") {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (e) {
    const kept = await cache.match(key);
    if (kept) {
      return kept;
    }
    throw e;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request);
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    // An asset of a newer page: kept for the next time offline.
    const cache = await caches.open(shellCache);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", event => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && url.pathname === page) {
    event.respondWith(networkFirst(request, shellCache, page, 8000));
  } else if (url.pathname === today) {
    event.respondWith(networkFirst(request, dataCache, today, 15000));
  } else if (asset.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

async function flushAndTell() {
  const report = await self.CivicGridQueue.flush(true);
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ type: "flushed", report });
  }
  if (report.stopped === "offline") {
    // Background Sync retries a failed sync later with its own backoff.
    throw new Error("still offline");
  }
}

self.addEventListener("sync", event => {
  if (event.tag === "civicgrid-workbench") {
    event.waitUntil(flushAndTell());
  }
});
