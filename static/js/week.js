// The week grid: after each in-place update, put the keyboard where the person was working
// (the editor, or the notice that says what happened); Escape closes the editor.
(function () {
  "use strict";
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var region = document.getElementById("week-region");
    if (!region || !region.contains(event.detail.elt) && event.detail.elt !== region) {
      return;
    }
    var error = region.querySelector(".week-editor .errorlist, .week-notice .message--error");
    var heading = document.getElementById("editor-heading");
    var notice = region.querySelector(".week-notice .message");
    var target = error ? (region.querySelector(".week-editor [aria-invalid='true']") || error)
      : (heading || notice);
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    // Space opens a focused activity of the grid, as Enter does (it is a link).
    if (event.key === " " && event.target.matches && event.target.matches(".week-grid .act > a")) {
      event.preventDefault();
      event.target.click();
      return;
    }
    if (event.key !== "Escape") {
      return;
    }
    var close = document.querySelector(".week-editor .form-actions a");
    if (close) {
      close.click();
    }
  });

  // 元に戻す after 削除: offered for about ten seconds (longer while the pointer or the keyboard
  // is on it). Without JavaScript it stays on the page.
  var UNDO_MS = 10000;
  function expireUndo() {
    var forms = document.querySelectorAll("form[data-undo]:not([data-undo-timed])");
    Array.prototype.forEach.call(forms, function (form) {
      form.setAttribute("data-undo-timed", "");
      function hide() {
        if (form.matches(":hover") || form.contains(document.activeElement)) {
          setTimeout(hide, 2000);
          return;
        }
        form.hidden = true;
      }
      setTimeout(hide, UNDO_MS);
    });
  }
  document.addEventListener("DOMContentLoaded", expireUndo);
  document.body.addEventListener("htmx:afterSwap", expireUndo);
})();
