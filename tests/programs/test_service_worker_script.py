"""The service worker's own rules, run in Node (the browser test runs it for real): a POST or
another site's request is left to the network, pages and static files are answered, the key
of a kept page drops the installed app's marker, the banner's moment is written as the site
writes it (Japan time), and what goes into the page is escaped. Skips without `node`."""

import json
import shutil
import subprocess

import pytest

from programs.offline import worker_source

pytestmark = pytest.mark.django_db

NODE = shutil.which("node")

HARNESS = """
const vm = require("vm");
const listeners = {};
const sandbox = {
  URL, Headers, Response: globalThis.Response, Intl, Date, JSON, Promise,
  fetch: () => Promise.reject(new TypeError("offline")),
  caches: {
    keys: async () => [], match: async () => undefined,
    open: async () => ({ match: async () => undefined, put: async () => undefined }),
  },
  self: { location: new URL("http://localhost:8000/sw.js"),
          addEventListener: (type, fn) => { listeners[type] = fn; } },
};
vm.runInNewContext(SOURCE, sandbox);
function answered(method, url, mode) {
  let used = false;
  const request = { method, url, mode };
  const respondWith = (answer) => { used = true; Promise.resolve(answer).catch(() => {}); };
  listeners.fetch({ request, respondWith, waitUntil: () => {} });
  return used;
}
const out = {
  post: answered("POST", "http://localhost:8000/my/reflections/1/2026-12-06/", "navigate"),
  elsewhere: answered("GET", "https://example.com/", "navigate"),
  page: answered("GET", "http://localhost:8000/my/week/", "navigate"),
  css: answered("GET", "http://localhost:8000/static/css/kenshu.css", "no-cors"),
  api: answered("GET", "http://localhost:8000/municipalities/search/?q=x", "cors"),
  key: vm.runInContext('keyOf("/today/?source=pwa#top")', sandbox),
  moment: vm.runInContext('moment(new Date("2026-12-06T05:05:00Z"), "Asia/Tokyo")', sandbox),
  escaped: vm.runInContext('escapeHtml("<b>&\\\\"")', sandbox),
};
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed (Debian npm brings it)")
def test_the_worker_leaves_posts_and_other_sites_alone_and_writes_its_banner(tmp_path):
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS.replace("SOURCE", json.dumps(worker_source())), encoding="utf-8")
    done = subprocess.run([NODE, str(harness)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["post"] is False  # never a POST
    assert out["elsewhere"] is False
    assert out["api"] is False  # htmx and fetches: the network's, as before
    assert out["page"] is True and out["css"] is True
    assert out["key"] == "http://localhost:8000/today/"
    assert out["moment"] == "12/6 14:05"
    assert out["escaped"] == "&lt;b&gt;&amp;&quot;"
