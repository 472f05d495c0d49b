/* Kenshu: character counters, one-click submit buttons, and the reflection's automatic save.
 *
 * The reflection page (and the 研修報告書, the 復命書, the interviewer's answers) keeps a
 * local copy of every keystroke (localStorage), sends it to the server a moment after
 * typing stops, says on screen when the server has it, and says so
 * when the device is offline; when the connection returns it sends what is pending, once.
 * Each save carries this page's id and a counter, so the server applies a repeated or late
 * save at most once and never over a newer one. Without JavaScript the page is a plain form.
 */
(function () {
  "use strict";

  // Counters: "123 / 2000" under each limited text field; over the limit it turns red.
  function updateCounter(field) {
    var counter = document.querySelector('[data-counter-for="' + field.id + '"]');
    if (!counter) return;
    var limit = parseInt(field.dataset.limit, 10);
    var count = field.value.replace(/\r\n/g, "\n").trim().length;
    counter.textContent = count + " / " + limit;
    counter.classList.toggle("counter--over", count > limit);
  }
  document.querySelectorAll("textarea[data-limit]").forEach(function (field) {
    updateCounter(field);
    field.addEventListener("input", function () { updateCounter(field); });
  });

  // A form that asks first (e.g. "mark reviewed", which cannot be undone), then a submit
  // button that works once: a double tap on a slow connection sends one request.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      if (form.dataset.submitting === "1") { event.preventDefault(); return; }
      form.dataset.submitting = "1";
      var clicked = event.submitter;
      if (clicked && clicked.name) {
        // A disabled button is not sent: carry its value in a hidden field.
        var carry = document.createElement("input");
        carry.type = "hidden"; carry.name = clicked.name; carry.value = clicked.value;
        form.appendChild(carry);
      }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });

  // The trainee's page of a day (it has the day's links): opening it writes nothing, so
  // the page itself tells the server the comments shown were read, through the thread's
  // form (answered with 204). Readers' pages, and a thread with only the trainee's own
  // comments, send nothing.
  var thread = document.querySelector("#thread form[method=post]");
  if (thread && document.querySelector(".day-nav") &&
      document.querySelector("#thread .comment:not(.comment--trainee)")) {
    var receipt = new FormData();
    receipt.append("csrfmiddlewaretoken", thread.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(thread.getAttribute("action"), {
      method: "POST",
      body: receipt,
      credentials: "same-origin",
      headers: { "X-Kenshu-Read": "1" }
    }).catch(function () { /* offline: the comments stay new until the next visit */ });
  }

  // 今日やったこと from the day's schedule: the button (hidden without JavaScript) puts the
  // day's activities, rendered in its data-fill-text, in the empty field, or after what is
  // already there (never twice); the automatic save and the counter follow as for typing.
  document.querySelectorAll("[data-fill-for]").forEach(function (button) {
    var field = document.getElementById(button.dataset.fillFor);
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.dataset.fillText || "";
      var current = field.value.replace(/\s+$/, "");
      if (current.indexOf(text) === -1) {
        field.value = current ? current + "\n" + text + "\n" : text + "\n";
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      field.focus();
      field.setSelectionRange(field.value.length, field.value.length);
    });
  });

  // The caret is never under the sticky bar (提出する): the page keeps the bar's height as
  // room below a field it scrolls to (--sticky-bar, read by scroll-padding-bottom in
  // kenshu.css), and while typing it scrolls the line being typed above the bar.
  var bar = document.querySelector(".sticky-actions");
  if (bar) {
    var measureBar = function () {
      document.documentElement.style.setProperty("--sticky-bar", bar.offsetHeight + "px");
    };
    measureBar();
    if (window.ResizeObserver) new ResizeObserver(measureBar).observe(bar);
    var keepCaretAboveBar = function (field) {
      var visible = window.visualViewport
        ? window.visualViewport.offsetTop + window.visualViewport.height : window.innerHeight;
      var limit = Math.min(bar.getBoundingClientRect().top, visible) - 8;
      var below = caretBottom(field) - limit;
      if (below > 0) window.scrollBy(0, Math.ceil(below));
    };
    (bar.closest("form") || document).querySelectorAll("textarea").forEach(function (field) {
      field.addEventListener("input", function () { keepCaretAboveBar(field); });
      field.addEventListener("keyup", function () { keepCaretAboveBar(field); });
      field.addEventListener("focus", function () {
        setTimeout(function () { keepCaretAboveBar(field); }, 0);
      });
    });
  }

  // Where the caret's line ends on screen (its bottom, in viewport pixels): the text up to
  // the caret laid out again in a hidden copy of the field, within the field's box.
  function caretBottom(field) {
    var style = window.getComputedStyle(field);
    var mirror = document.createElement("div");
    ["boxSizing", "width", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
      "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth",
      "borderStyle", "fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing",
      "lineHeight", "textTransform", "wordSpacing", "textIndent", "tabSize", "wordBreak"
    ].forEach(function (name) { mirror.style[name] = style[name]; });
    mirror.style.position = "absolute";
    mirror.style.visibility = "hidden";
    mirror.style.left = "-9999px";
    mirror.style.top = "0";
    mirror.style.whiteSpace = "pre-wrap";
    mirror.style.overflowWrap = "break-word";
    mirror.textContent = field.value.slice(0, field.selectionEnd);
    var mark = document.createElement("span");
    mark.textContent = "\u200b";
    mirror.appendChild(mark);
    document.body.appendChild(mirror);
    var bottom = parseFloat(style.borderTopWidth) + mark.offsetTop + mark.offsetHeight;
    document.body.removeChild(mirror);
    var box = field.getBoundingClientRect();
    return Math.min(box.top + bottom - field.scrollTop, box.bottom);
  }

  // The reflection, and the interviewer's answers: the same automatic save.
  var form = document.querySelector("[data-reflection-form], [data-autosave-form]");
  if (!form) return;

  var status = document.getElementById("save-status");
  var key = form.dataset.storageKey;
  var fields = Array.prototype.slice.call(form.querySelectorAll("[data-autosave]"));
  var clientId = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : String(Date.now()) + Math.random().toString(16).slice(2);
  var revision = parseInt(form.dataset.revision, 10) || 0;
  var seq = 0;        // changes made on this page
  var acked = 0;      // the last change the server confirmed
  var inFlight = false;
  var timer = null;
  var DELAY = 1200;   // ms after the last keystroke
  var RETRY = 5000;   // ms between attempts while offline or failing
  var TIMEOUT = 15000; // ms before a save that gets no answer is given up

  function say(kind, text) {
    status.textContent = text || status.dataset[kind] || "";
    status.dataset.state = kind;
  }

  function snapshot() {
    var data = {};
    fields.forEach(function (f) {
      if (f.type === "radio") { if (f.checked) data[f.name] = f.value; }
      else if (f.type === "checkbox") data[f.name] = f.checked ? "on" : "";
      else data[f.name] = f.value;
    });
    if (form.hasAttribute("data-reflection-form") && !("self_rating" in data)) data.self_rating = "";
    return data;
  }

  function store() {
    try {
      localStorage.setItem(key, JSON.stringify({ data: snapshot(), revision: revision, at: Date.now() }));
    } catch (e) { /* storage full or disabled: the server save still runs */ }
  }

  function forget() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (el) {
      var name = el.dataset.errorFor;
      el.textContent = (errors && errors[name]) || "";
      var field = form.querySelector('[name="' + name + '"]');
      if (field && field.tagName === "TEXTAREA") {
        field.toggleAttribute("aria-invalid", !!(errors && errors[name]));
        field.closest(".field").classList.toggle("field--error", !!(errors && errors[name]));
      }
    });
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(send, delay);
  }

  function normalise(value) { return String(value || "").replace(/\r\n/g, "\n").trim(); }

  function send() {
    if (inFlight || acked >= seq) return;
    if (!navigator.onLine) { say("offline"); schedule(RETRY); return; }
    inFlight = true;
    var sending = seq;
    var body = new FormData();
    var data = snapshot();
    Object.keys(data).forEach(function (name) { body.append(name, data[name]); });
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("client_id", clientId);
    body.append("client_seq", String(sending));
    body.append("base_revision", String(revision));
    say("saving");
    // A request stuck in a tunnel is given up after a while, so the next attempt can start.
    var controller = window.AbortController ? new AbortController() : null;
    var stuck = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT) : null;
    // Not form.action: the buttons named "action" shadow that property. A page whose
    // automatic save has its own address names it (data-autosave-url: the 復命書).
    fetch(form.dataset.autosaveUrl || form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
      headers: { "X-Kenshu-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // The login page (the session ended) or a refused token after signing in again
        // elsewhere: saving needs a reload. Anything else (a proxy's error page, a Wi-Fi
        // portal) is passing: try again later.
        var signedOut = response.status === 403 ||
          (response.redirected && response.url.indexOf("/accounts/login/") !== -1);
        return { signedOut: signedOut, retry: !signedOut };
      }
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    }).then(function (result) {
      clearTimeout(stuck);
      inFlight = false;
      if (result.signedOut) { say("signedOut"); return; }
      if (result.retry) { say("unsaved"); schedule(RETRY); return; }
      var json = result.json;
      if (json.ok) {
        acked = Math.max(acked, sending);
        revision = json.revision;
        showErrors({});
        if (acked >= seq) { forget(); say("saved", json.message); } else { store(); schedule(DELAY); }
      } else if (result.status === 409) {
        say("locked");
      } else {
        showErrors(json.errors);
        say("error");
      }
    }).catch(function () {
      // The network failed or took too long (offline, a tunnel): keep the copy, try again.
      clearTimeout(stuck);
      inFlight = false;
      say(navigator.onLine ? "unsaved" : "offline");
      schedule(RETRY);
    });
  }

  function changed() {
    seq += 1;
    store();
    say(navigator.onLine ? "unsaved" : "offline");
    schedule(DELAY);
  }

  fields.forEach(function (f) {
    f.addEventListener(f.type === "radio" || f.type === "checkbox" ? "change" : "input", changed);
  });
  window.addEventListener("offline", function () { say("offline"); });
  window.addEventListener("online", function () { if (acked < seq) send(); else say("saved", status.dataset.saved); });
  window.addEventListener("pagehide", store);

  // Text this device kept but never got confirmed (the page was closed offline): put it
  // back and send it, unless the server already has the same text. It is sent as based on
  // the revision it was typed on, so if the server has moved on since (another device),
  // the server keeps the text it replaces in the history: nothing is lost either way.
  try {
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept && kept.data) {
      var current = snapshot();
      var differs = Object.keys(kept.data).some(function (name) {
        return normalise(kept.data[name]) !== normalise(current[name]);
      });
      if (differs) {
        fields.forEach(function (f) {
          if (!(f.name in kept.data)) return;
          if (f.type === "radio") f.checked = f.value === kept.data[f.name];
          else if (f.type === "checkbox") f.checked = kept.data[f.name] === "on";
          else { f.value = kept.data[f.name]; updateCounter(f); }
        });
        if (typeof kept.revision === "number") revision = kept.revision;
        seq = 1;
        say("restored");
        schedule(300);
      } else {
        forget();
      }
    }
  } catch (e) { forget(); }

  // A normal submit carries the latest text and this page's markers itself, so a save
  // still on its way is recognised as older and not applied after it.
  form.addEventListener("submit", function () {
    clearTimeout(timer);
    form.querySelector("[data-client-id]").value = clientId;
    form.querySelector("[data-client-seq]").value = String(seq + 1);
    var base = form.querySelector("[data-base-revision]");
    if (base) base.value = String(revision);
    store();
  });
})();
