// The application draft: saves while the founder types, keeps what was typed on this device until the
// server has it (a dropped connection or an ended session loses nothing), shows the eligibility checklist
// as it follows the answers, and shows the progress of each document upload.
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form) { return; }
  var key = "incubator-draft-" + form.dataset.application;
  var status = document.getElementById("autosave-status");
  var timer = null;

  function say(name, time) {
    var text = form.dataset["msg" + name] || "";
    status.textContent = time ? text.replace("{time}", time) : text;
  }

  function values() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name] = data[el.name] || [];
        if (el.checked) { data[el.name].push(el.value); }
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function restore(data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = data[el.name].indexOf(el.value) !== -1;
      } else if (el.type !== "hidden") {
        el.value = data[el.name];
      }
    });
  }

  function remember() {
    try {
      localStorage.setItem(key, JSON.stringify({values: values(), at: Date.now(), user: form.dataset.user,
                                                version: form.elements.version.value}));
    } catch (e) { /* storage full or refused: the server save still runs */ }
  }

  function save() {
    var body = new FormData(form);
    fetch(form.dataset.autosave, {method: "POST", body: body, credentials: "same-origin",
                                  headers: {"Accept": "application/json"}})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") === -1) { say("Login"); return null; }
        if (response.status === 409) { say("Conflict"); return null; }
        return response.json().then(function (data) {
          if (!response.ok || !data.saved) { say("Invalid"); return; }
          form.elements.version.value = data.version;
          localStorage.removeItem(key);
          say("Saved", data.saved_at);
          var panel = document.getElementById("eligibility");
          if (panel && data.eligibility) { panel.outerHTML = data.eligibility; }
        });
      })
      .catch(function () { say("Offline"); });
  }

  function changed() {
    remember();
    say("Typing");
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }

  var kept = null;
  try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
  // A copy typed on another version of the draft (saved since from elsewhere) or by another person
  // (a shared computer) is never put back over what the server holds.
  if (kept && (kept.user !== form.dataset.user || kept.version !== form.dataset.version)) {
    localStorage.removeItem(key);
    kept = null;
  }
  if (kept && kept.values) {
    restore(kept.values);
    say("Restored");
    timer = setTimeout(save, 300);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { clearTimeout(timer); localStorage.removeItem(key); });

  Array.prototype.forEach.call(document.querySelectorAll("form.upload"), function (upload) {
    upload.addEventListener("submit", function (event) {
      var file = upload.querySelector("input[type=file]");
      if (!file || !file.files.length) { return; }
      event.preventDefault();
      var bar = upload.querySelector("progress");
      var request = new XMLHttpRequest();
      bar.hidden = false;
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(e.loaded * 100 / e.total); }
      });
      request.addEventListener("load", function () {
        if (request.status >= 400) {  // refused (too large…): stay, say why
          bar.hidden = true;
          status.textContent = request.status === 413 ? form.dataset.msgToolarge : form.dataset.msgInvalid;
          return;
        }
        window.location.assign(request.responseURL || window.location.href);
      });
      request.addEventListener("error", function () { bar.hidden = true; say("Offline"); });
      request.open("POST", upload.action);
      request.send(new FormData(upload));
    });
  });
}());
