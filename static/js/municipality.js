// Municipality choosers: while someone types a name, a reading (ひらがな or カタカナ) or a code,
// suggest up to 20 local governments from the registry (programs:municipality_search). A
// suggestion fills the input with its label ("福岡県 田川市（402061）"), which the server
// resolves by its code. Without this script the typed text is resolved when the form is sent.
(function () {
  "use strict";
  var counter = 0;

  function listFor(input) {
    var list = document.createElement("ul");
    list.id = (input.id || "municipality-" + ++counter) + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.insertAdjacentElement("afterend", list);
    return list;
  }

  function attach(input) {
    if (input.dataset.municipalityReady) return;
    input.dataset.municipalityReady = "1";
    var list = listFor(input);
    var timer = null;
    var active = -1;
    var asked = "";

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(option) {
      input.value = option.dataset.label;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.dataset.label = result.label;
        option.textContent = result.label;
        if (result.kana) {
          var kana = document.createElement("span");
          kana.className = "note";
          kana.textContent = " " + result.kana;
          option.appendChild(kana);
        }
        if (result.abolished) option.classList.add("suggestions__abolished");
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          choose(option);
        });
        list.appendChild(option);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    function ask() {
      var text = input.value.trim();
      if (!text || text === asked) {
        if (!text) close();
        return;
      }
      asked = text;
      fetch(input.dataset.municipalitySearch + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === text) show(data.results || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      asked = "";
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(list.querySelectorAll("[role=option]")[active]);
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function setUp(root) {
    root.querySelectorAll("input[data-municipality-search]").forEach(attach);
    root.querySelectorAll("[data-municipality-inputs]").forEach(function (group) {
      var add = group.querySelector("[data-municipality-add]");
      if (!add || add.dataset.ready) return;
      add.dataset.ready = "1";
      add.hidden = false;
      add.addEventListener("click", function () {
        var inputs = group.querySelectorAll("input[data-municipality-search]");
        var copy = inputs[inputs.length - 1].cloneNode(false);
        copy.value = "";
        copy.removeAttribute("id");
        delete copy.dataset.municipalityReady;
        add.insertAdjacentElement("beforebegin", copy);
        attach(copy);
        copy.focus();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setUp(event.target); });
})();
