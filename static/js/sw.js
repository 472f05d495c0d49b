/* Kenshu's service worker, served at /sw.js by programs/views/offline.py with its settings
   (KENSHU: version, static files, fallback pages) in front. README, "On a phone".

   - Static files: from the cache first (the cache's name carries the version).
   - Pages: from the network first. Offline, the copy this browser kept for the account signed
     in, with a banner saying when it was kept; a page never kept shows the fallback page.
   - Kept pages: 今日 and what it links with data-offline (static/js/offline.js sends the
     list), refreshed each time they are opened online. One cache per account, named by the
     key the page gives; a page is kept only when its answer carries that same key
     (X-Kenshu-Account). Another account signing in, or logging out, deletes the copies.
   - Never a POST, never another site's answer. Access stays Django's: online, every request
     goes to the server; offline, only what this browser received as this account is shown. */
"use strict";

const STATIC = "kenshu-static-" + KENSHU.version;
const PAGES = "kenshu-pages-";
const STAMP = "X-Kenshu-Cached-At";
const WORDS = "/__kenshu/words"; // the banner's words, as the page gave them
const FRESH_MS = 30 * 1000; // a copy kept this recently is not fetched again
const PAGE_MATCH = { ignoreVary: true };
let account = null;

self.addEventListener("install", (event) => {
  const urls = [...KENSHU.static, ...Object.values(KENSHU.offline)];
  event.waitUntil(caches.open(STATIC).then((cache) => cache.addAll(urls)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("kenshu-static-") && name !== STATIC) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "forget") event.waitUntil(forget(null));
  if (data.type === "account" && /^[0-9a-f]{16,64}$/.test(data.account || "")) {
    event.waitUntil(signedIn(data, event.source));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // a POST always goes to the server, never kept
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(KENSHU.staticPrefix)) event.respondWith(fromStatic(request));
  else if (request.mode === "navigate") event.respondWith(page(event));
});

async function forget(except) {
  if (except === null) account = null;
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES) && name !== except) await caches.delete(name);
  }
}

async function signedIn(data, client) {
  await forget(PAGES + data.account); // another account's copies go
  account = data.account;
  const cache = await caches.open(PAGES + account);
  const words = JSON.stringify(data.words || {});
  await cache.put(WORDS, new Response(words, { headers: { "Content-Type": "application/json" } }));
  const keys = (data.keep || []).map(keyOf).filter(Boolean);
  const kept = await Promise.all(keys.map((key) => keep(cache, data.account, key)));
  if (keys.length) { // what 今日 no longer links (yesterday's reflection) goes
    for (const request of await cache.keys()) {
      const key = keyOf(request.url);
      if (key !== keyOf(WORDS) && !keys.includes(key)) await cache.delete(request, PAGE_MATCH);
    }
  }
  if (client) client.postMessage({ type: "kept", count: kept.filter(Boolean).length });
}

function keyOf(address) {
  const url = new URL(address, self.location.href);
  if (url.origin !== self.location.origin) return null;
  url.searchParams.delete("source"); // the installed app's marker on its start page
  url.hash = "";
  return url.href;
}

async function keep(cache, owner, key) {
  const old = await cache.match(key, PAGE_MATCH);
  if (old && Date.now() - Date.parse(old.headers.get(STAMP)) < FRESH_MS) return true;
  try {
    return await store(cache, owner, key, await fetch(key, { credentials: "same-origin" }));
  } catch (error) {
    return false; // offline: the copy already kept stays
  }
}

async function store(cache, owner, key, response) {
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || response.redirected || !type.startsWith("text/html")) return false;
  if (response.headers.get("X-Kenshu-Account") !== owner) return false; // not this account's
  const headers = new Headers(response.headers);
  headers.set(STAMP, new Date().toISOString());
  await cache.put(key, new Response(await response.blob(), { status: 200, headers }));
  return true;
}

async function current() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PAGES));
  if (account) return names.includes(PAGES + account) ? caches.open(PAGES + account) : null;
  return names.length === 1 ? caches.open(names[0]) : null; // the worker was restarted
}

async function fromStatic(request) {
  const cache = await caches.open(STATIC);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

async function page(event) {
  const key = keyOf(event.request.url);
  try {
    const response = await fetch(event.request);
    event.waitUntil(refresh(key, response.clone()));
    return response;
  } catch (error) {
    const cache = await current();
    const copy = cache && (await cache.match(key, PAGE_MATCH));
    const words = cache && (await cache.match(WORDS).then((r) => (r ? r.json() : null)));
    if (copy) return withBanner(copy, words);
    const fallback = await caches.match(KENSHU.offline[(words && words.lang) || "ja"]);
    return fallback || Response.error();
  }
}

async function refresh(key, response) { // a kept page opened online: kept again, fresh
  const owner = response.headers.get("X-Kenshu-Account");
  if (!owner || (account && owner !== account) || !(await caches.has(PAGES + owner))) return;
  const cache = await caches.open(PAGES + owner); // only the account signed in has copies
  if (await cache.match(key, PAGE_MATCH)) await store(cache, owner, key, response);
}

async function withBanner(copy, words) {
  const at = new Date(copy.headers.get(STAMP));
  let html = await copy.text();
  html = html.replace(/<html\b/i, `<html data-kenshu-kept-at="${at.toISOString()}"`);
  if (words && words.banner) {
    const text = escapeHtml(words.banner.replace("%(when)s", moment(at, words.timeZone)));
    const banner = `<p class="offline-banner" role="status">${text}</p>`;
    html = html.replace(/<body\b[^>]*>/i, (tag) => `${tag}\n${banner}`);
  }
  const headers = new Headers(copy.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers });
}

function moment(at, timeZone) { // as programs.formats writes "moment": 12/6 14:05
  const parts = {};
  const format = { timeZone, month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  for (const part of new Intl.DateTimeFormat("en-US", format).formatToParts(at)) parts[part.type] = part.value;
  return `${parts.month}/${parts.day} ${parts.hour}:${parts.minute}`;
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
