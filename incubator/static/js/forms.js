// Small helpers for every page (no inline script: the CSP forbids it).
// - <form data-confirm="…">: asks before sending (irreversible or wide actions).
// - <button data-check-all="name">: ticks (or unticks) every checkbox of that name.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    var submitter = event.submitter;
    if (submitter && submitter.getAttribute("data-confirm")) { question = submitter.getAttribute("data-confirm"); }
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-check-all]") : null;
    if (!button) { return; }
    event.preventDefault();
    var boxes = document.querySelectorAll("input[type=checkbox][name='" + button.getAttribute("data-check-all") + "']");
    var all = Array.prototype.every.call(boxes, function (b) { return b.checked; });
    Array.prototype.forEach.call(boxes, function (b) { b.checked = !all; });
  });
}());
