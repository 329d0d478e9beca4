// The outcome form: tell staff, before they save, that a graduation without market evidence or a digital
// pillar will not count towards the 10-graduate target.
(function () {
  "use strict";
  var form = document.getElementById("leave-form");
  var warning = document.getElementById("will-not-count");
  if (!form || !warning) { return; }
  function update() {
    var status = form.querySelector("[name=status]");
    var graduated = status && status.value === "graduated";
    var evidence = ["evidence_text", "evidence_url"].some(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      return field && field.value.trim() !== "";
    });
    var pillar = form.querySelectorAll("[name=pillars]:checked").length > 0;
    warning.hidden = !(graduated && !(evidence && pillar));
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}());
