// The application draft: saves while the founder types, keeps what was typed on this device until the
// server has it (a dropped connection or an ended session loses nothing), marks at once the answers the server
// refuses (with its reason, at the field), shows the eligibility checklist as it follows the answers, shows
// amounts in đồng with their grouping (1.250.000.000), and uploads each document in the background with a
// progress bar, saying in place what happened (uploaded, or why the file was refused).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });  // the copy of what was sent
  });
  var form = document.getElementById("answers");
  if (!form) { return; }
  var key = "incubator-draft-" + form.dataset.application;
  var status = document.getElementById("autosave-status");
  var timer = null;
  var MAX_BYTES = 10 * 1024 * 1024;

  function say(name, time) {
    var text = form.dataset["msg" + name] || "";
    status.textContent = time ? text.replace("{time}", time) : text;
  }

  // ---- Amounts in đồng: shown with their grouping, read back by the server either way ---------------------

  function grouped(text) {
    if (!/^\s*[\d.\s,]*\s*(₫|đ|vnd)?\s*$/i.test(text)) { return text; }  // not an amount: left for the server to say
    var digits = text.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function moneyInputs() {
    return form.querySelectorAll("input[inputmode=numeric]");
  }

  Array.prototype.forEach.call(moneyInputs(), function (input) {
    input.addEventListener("blur", function () { input.value = grouped(input.value); });
  });

  // ---- The server's reasons, at the fields they are about ------------------------------------------------

  function controlsOf(name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
  }

  function feedbackOf(name, controls) {
    var id = name + "-feedback";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.dataset.created = "1";
      var holder = controls[0].closest(".mb-3") || controls[0].parentNode;
      holder.appendChild(box);
    }
    return box;
  }

  function mark(name, messages) {
    var controls = controlsOf(name);
    if (!controls.length) { return false; }
    var box = feedbackOf(name, controls);
    if (!box.classList.contains("invalid-feedback") && !("help" in box.dataset)) {
      box.dataset.help = box.textContent;  // the field's help, put back once the answer is accepted
    }
    box.className = "invalid-feedback d-block";
    box.textContent = "";
    messages.forEach(function (message) {
      var line = document.createElement("div");
      line.textContent = message;
      box.appendChild(line);
    });
    controls.forEach(function (el) {
      el.classList.add("is-invalid");
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", box.id);
    });
    var list = document.getElementById(name);
    if (list && list.tagName === "UL") { list.classList.add("is-invalid"); }
    return true;
  }

  function unmark(name) {
    controlsOf(name).forEach(function (el) {
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
    });
    var list = document.getElementById(name);
    if (list && list.tagName === "UL") { list.classList.remove("is-invalid"); }
    var box = document.getElementById(name + "-feedback");
    if (!box || !box.classList.contains("invalid-feedback")) { return; }
    if (box.dataset.created) {
      box.remove();
    } else if ("help" in box.dataset) {
      box.className = "form-text";
      box.textContent = box.dataset.help;
      delete box.dataset.help;
    } else {
      box.remove();  // drawn by the server with the page: the answer is accepted now
    }
  }

  function markedNames() {
    var names = {};
    Array.prototype.forEach.call(form.querySelectorAll(".is-invalid[name]"), function (el) { names[el.name] = true; });
    return Object.keys(names);
  }

  function showErrors(errors) {
    errors = errors || {};
    markedNames().forEach(function (name) { if (!(name in errors)) { unmark(name); } });
    var general = [];
    Object.keys(errors).forEach(function (name) {
      if (name === "form" || !mark(name, errors[name])) { general = general.concat(errors[name]); }
    });
    say("Invalid");
    if (general.length) { status.textContent += " " + general.join(" "); }
  }

  // ---- Saving while the founder types -------------------------------------------------------------------

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
        if (response.redirected || type.indexOf("application/json") === -1) {
          say(response.status === 409 ? "Conflict" : "Login");
          return null;
        }
        if (response.status === 409) { say("Conflict"); return null; }
        return response.json().then(function (data) {
          if (!response.ok || !data.saved) { showErrors(data.errors); return; }
          showErrors({});
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

  // ---- Documents: uploaded in the background, the outcome said in the document's own place -----------------

  function tell(upload, text, ok) {
    var slot = upload.closest(".document-slot");
    var box = slot && slot.querySelector(".upload-message");
    if (!box) { status.textContent = text; return; }
    box.textContent = text;
    box.className = "small mt-1 upload-message " + (ok ? "text-success" : "text-danger");
    var file = upload.querySelector("input[type=file]");
    if (file) { file.classList.toggle("is-invalid", !ok); }
    box.focus({preventScroll: true});
  }

  function redraw(upload, html) {
    var slot = upload.closest(".document-slot");
    var holder = document.createElement("div");
    holder.innerHTML = html;  // the slot as the server draws it (its template escapes every text)
    var fresh = holder.firstElementChild;
    if (!slot || !fresh) { return false; }
    slot.replaceWith(fresh);
    var box = fresh.querySelector(".upload-message");
    if (box) { box.focus({preventScroll: true}); }
    return true;
  }

  document.addEventListener("submit", function (event) {
    var upload = event.target;
    if (!upload.classList || !upload.classList.contains("upload")) { return; }
    event.preventDefault();
    var file = upload.querySelector("input[type=file]");
    if (!file || !file.files.length) { tell(upload, form.dataset.msgNotpdf, false); return; }
    if (file.files[0].size > MAX_BYTES) { tell(upload, form.dataset.msgToolarge, false); return; }
    var bar = upload.querySelector("progress");
    var button = upload.querySelector("button");
    var request = new XMLHttpRequest();
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round(e.loaded * 100 / e.total); }
    });
    request.addEventListener("load", function () {
      bar.hidden = true;
      button.disabled = false;
      var data = null;
      try { data = JSON.parse(request.responseText); } catch (e) { data = null; }
      if (data && data.html && redraw(upload, data.html)) { return; }
      if (request.status === 413) { tell(upload, form.dataset.msgToolarge, false); return; }
      if (!data && request.responseURL && request.responseURL.indexOf(upload.action) === -1) {
        tell(upload, form.dataset.msgLogin, false);  // sent to the login page: the session has ended
        return;
      }
      tell(upload, (data && data.message) || form.dataset.msgUploadfailed, !!(data && data.ok));
    });
    request.addEventListener("error", function () {
      bar.hidden = true;
      button.disabled = false;
      tell(upload, form.dataset.msgOffline, false);
    });
    request.open("POST", upload.action);
    request.setRequestHeader("Accept", "application/json");
    request.send(new FormData(upload));
  });
}());
