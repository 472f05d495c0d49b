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
    if (event.key !== "Escape") {
      return;
    }
    var close = document.querySelector(".week-editor .form-actions a");
    if (close) {
      close.click();
    }
  });
})();
