/* Keyboard access to what scrolls sideways on a small screen (a wide table, a report's table, a chart): a box that scrolls and
   holds nothing a keyboard can reach is made focusable, so the arrow keys scroll it (WCAG 2.1.1); a chart's
   box takes the chart's title as its name. Checked again when the window changes size. */
(function () {
  "use strict";
  var REACHABLE = "a[href], button:not([disabled]), input:not([type=hidden]), select, textarea, [tabindex]";

  function update() {
    document.querySelectorAll(".table-responsive, .chart, .report-preview table.data").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex") && !box.querySelector(REACHABLE)) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollBox = "1";
        var title = box.querySelector("svg > title");
        if (title && !box.hasAttribute("aria-label")) {
          box.setAttribute("role", "group");
          box.setAttribute("aria-label", title.textContent);
        }
      } else if (!scrolls && box.dataset.scrollBox) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollBox;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", update);
})();
