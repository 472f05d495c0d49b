/* The page's side of the pages kept on the phone (static/js/sw.js, programs/offline.py).
   Signed in (the layout's <meta name="kenshu-account">): registers the service worker, names
   the account to it (its words for the offline banner with it) and, online, lists the links
   marked data-offline (on 今日) for it to keep. Logging out, or any page seen signed out
   (the login page after logging out): the worker deletes every kept page. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var container = navigator.serviceWorker;
  var meta = document.querySelector('meta[name="kenshu-account"]');
  var config = document.getElementById("kenshu-offline");

  function forget() {
    if (container.controller) container.controller.postMessage({ type: "forget" });
    container.getRegistration("/").then(function (registration) {
      var worker = registration && (registration.active || registration.waiting);
      if (worker) worker.postMessage({ type: "forget" });
    });
  }

  if (!meta || !config) { // not signed in: nothing kept for anyone on this browser
    forget();
    return;
  }
  var words = JSON.parse(config.textContent);

  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-offline-forget")) forget(); // the logout form
  });

  var keep = [];
  document.querySelectorAll("a[data-offline]").forEach(function (link) {
    keep.push(link.href);
  });
  if (keep.length) keep.unshift(location.href);

  container.addEventListener("message", function (event) {
    if (event.data && event.data.type === "kept") {
      document.documentElement.setAttribute("data-offline-kept", String(event.data.count));
    }
  });
  container.startMessages();

  container.register(words.worker, { scope: "/" }).catch(function () {});
  container.ready.then(function (registration) {
    registration.active.postMessage({
      type: "account",
      account: meta.content,
      words: words,
      keep: navigator.onLine ? keep : [],
    });
  });
})();
