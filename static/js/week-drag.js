// Dragging in the week grid, for those who may edit it (loaded with interact.js, which does the
// pointer work: mouse, pen and touch). Three gestures, each snapped to the grid's quarter hours:
// - drag an activity to another day or time: POST to its move URL (date, start_time);
// - drag its bottom edge: POST to its resize URL (end_time);
// - drag on empty time: the editor of a new activity from where it started to where it ended.
// The server decides (every rule of the week) and answers with #week-region, as the editor's
// buttons do; a refusal shows its notice and the week as it was. Everything here can be done
// without it: the editor's buttons, and the forms.
(function () {
  "use strict";
  if (!window.interact || !window.htmx) {
    return;
  }
  var GRID = ".week-grid[data-first-minute]";
  var QUARTER = 15;
  var lastDrag = 0;

  function minutes(clock) {
    var parts = clock.split(":");
    return parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
  }
  function clock(total) {
    var h = Math.floor(total / 60), m = total % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }
  function range(grid, start, end) {
    return clock(start) + (grid.getAttribute("data-times-sep") || "–") + clock(end);
  }
  function quarterHeight(grid, column) {
    return column.getBoundingClientRect().height / parseInt(grid.getAttribute("data-rows"), 10);
  }
  function columnAt(grid, x) {
    var columns = grid.querySelectorAll(".week-grid__day");
    for (var i = 0; i < columns.length; i++) {
      var rect = columns[i].getBoundingClientRect();
      if (x >= rect.left && x < rect.right) {
        return columns[i];
      }
    }
    return null;
  }
  function token() {
    var field = document.querySelector("#week-drag-token [name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  // `undo`: put the dragged element back when no new week came (the request failed).
  function post(el, url, values, undo) {
    values.csrfmiddlewaretoken = token();
    htmx.ajax("POST", url, { target: "#week-region", swap: "outerHTML", values: values })
      .then(function () {
        if (el.isConnected) {
          undo();
        }
      }, undo);
  }

  // An activity: move it, or resize it by its bottom edge.
  function begin(event) {
    var el = event.target;
    var grid = el.closest(GRID);
    var column = el.closest(".week-grid__day");
    var label = el.querySelector(".act__time");
    el.classList.add("is-dragging");
    el._drag = {
      grid: grid, from: column, to: column, quarter: quarterHeight(grid, column), steps: 0,
      dy: 0, height: el.getBoundingClientRect().height, label: label,
      text: label ? label.textContent : "",
      start: minutes(el.getAttribute("data-start")), end: minutes(el.getAttribute("data-end"))
    };
  }
  function reset(el) {
    var drag = el._drag;
    el.classList.remove("is-dragging");
    el.style.transform = "";
    el.style.height = "";
    if (drag && drag.label) {
      drag.label.textContent = drag.text;
    }
    el._drag = null;
  }
  function show(el, start, end) {
    if (el._drag.label) {
      el._drag.label.textContent = range(el._drag.grid, start, end);
    }
  }

  interact(GRID + " .act--editable")
    .draggable({
      ignoreFrom: ".act__resize",
      listeners: {
        start: begin,
        move: function (event) {
          var el = event.target, drag = el._drag;
          drag.dy += event.dy;
          drag.steps = Math.round(drag.dy / drag.quarter);
          drag.to = columnAt(drag.grid, event.clientX) || drag.to;
          var dx = drag.to.getBoundingClientRect().left - drag.from.getBoundingClientRect().left;
          el.style.transform = "translate(" + dx + "px, " + drag.steps * drag.quarter + "px)";
          var shift = drag.steps * QUARTER;
          show(el, drag.start + shift, drag.end + shift);
        },
        end: function (event) {
          var el = event.target, drag = el._drag;
          lastDrag = Date.now();
          var start = Math.max(0, drag.start + drag.steps * QUARTER);
          var date = drag.to.getAttribute("data-date");
          if (start === drag.start && drag.to === drag.from) {
            reset(el);
            return;
          }
          post(el, el.getAttribute("data-move"), { date: date, start_time: clock(start) }, function () {
            reset(el);
          });
        }
      }
    })
    .resizable({
      edges: { bottom: ".act__resize", top: false, left: false, right: false },
      listeners: {
        start: begin,
        move: function (event) {
          var el = event.target, drag = el._drag;
          var longest = Math.floor((24 * 60 - drag.end) / QUARTER);
          var shortest = -Math.ceil((drag.end - drag.start) / QUARTER) + 1;
          drag.steps = Math.max(shortest, Math.min(longest,
            Math.round((event.rect.height - drag.height) / drag.quarter)));
          el.style.height = drag.height + drag.steps * drag.quarter + "px";
          show(el, drag.start, drag.end + drag.steps * QUARTER);
        },
        end: function (event) {
          var el = event.target, drag = el._drag;
          lastDrag = Date.now();
          if (!drag.steps) {
            reset(el);
            return;
          }
          var end = drag.end + drag.steps * QUARTER;
          post(el, el.getAttribute("data-resize"), { end_time: clock(end) }, function () {
            reset(el);
          });
        }
      }
    });

  // Empty time: draw the new activity's time, then its editor opens.
  interact(GRID + " .week-grid__day").draggable({
    ignoreFrom: ".act",
    listeners: {
      start: function (event) {
        var column = event.target, grid = column.closest(GRID);
        var quarter = quarterHeight(grid, column);
        var top = column.getBoundingClientRect().top;
        var ghost = document.createElement("div");
        ghost.setAttribute("aria-hidden", "true");
        column.appendChild(ghost);
        column._draw = {
          grid: grid, quarter: quarter, top: top, ghost: ghost,
          first: Math.floor((event.clientY - top) / quarter), from: 0, to: 0
        };
      },
      move: function (event) {
        var draw = event.target._draw;
        var rows = parseInt(draw.grid.getAttribute("data-rows"), 10);
        var here = Math.max(0, Math.min(rows - 1, Math.floor((event.clientY - draw.top) / draw.quarter)));
        draw.from = Math.min(draw.first, here);
        draw.to = Math.max(draw.first, here) + 1;
        draw.ghost.className = "week-drag-new gs-" + (draw.from + 1) + " ge-" + (draw.to + 1);
        var firstMinute = parseInt(draw.grid.getAttribute("data-first-minute"), 10);
        draw.start = firstMinute + draw.from * QUARTER;
        draw.end = firstMinute + draw.to * QUARTER;
        draw.ghost.textContent = range(draw.grid, draw.start, draw.end);
      },
      end: function (event) {
        var column = event.target, draw = column._draw;
        lastDrag = Date.now();
        column._draw = null;
        if (draw.start === undefined) {
          draw.ghost.remove();
          return;
        }
        var url = window.location.pathname + "?add=" + column.getAttribute("data-date") +
          "&start=" + clock(draw.start) + "&end=" + clock(Math.min(draw.end, 24 * 60 - 1));
        htmx.ajax("GET", url, { target: "#week-region", swap: "outerHTML" })
          .catch(function () { draw.ghost.remove(); });
      }
    }
  });

  // The click that ends a drag is not a click on the link under the pointer.
  document.addEventListener("click", function (event) {
    if (Date.now() - lastDrag < 400 && event.target.closest && event.target.closest(GRID)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
})();
