// A calendar for the day fields: <input data-datepicker="date"> (dd/mm/yyyy) and <input data-datepicker="datetime">
// (HH:mm dd/mm/yyyy, Hà Nội time). They are text boxes, so they read and write the day as people here write it
// whatever the browser's language; without this script a typed day is still understood by the server.
// The words come from the input's data-label-* attributes (the page's language), the names of months and days
// from the browser's Intl in the page's language. No library, no inline script (the CSP allows 'self' only).
// Keyboard: arrows move by a day or a week, Page Up/Down by a month, Home/End to the week's ends, Enter or
// Space picks, Escape closes. Every button is at least 44 px square for fingers.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "vi";
  var open = null; // {input, button, panel, kind, view: Date (1st of the month shown), focus: Date}

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function dayText(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  function isoText(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function make(y, m, d) {
    var day = new Date(2000, 0, 1);
    day.setFullYear(y, m, d);
    return day;
  }
  function sameDay(a, b) { return a && b && isoText(a) === isoText(b); }
  function valid(y, m, d) {
    var day = make(y, m - 1, d);
    return day.getFullYear() === y && day.getMonth() === m - 1 && day.getDate() === d ? day : null;
  }
  // The day in a text as the server reads it (incubator.i18n.read_date): dd/mm/yyyy, d.m.yyyy, 31122025, ISO.
  function parseDay(text) {
    var m = /(\d{1,2})[\/.\- ](\d{1,2})[\/.\- ](\d{4})/.exec(text) || /^\s*(\d{2})(\d{2})(\d{4})\s*$/.exec(text);
    if (m) { return valid(+m[3], +m[2], +m[1]); }
    m = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text);
    return m ? valid(+m[1], +m[2], +m[3]) : null;
  }
  function parseTime(text) {
    var m = /(^|\s)(\d{1,2})[:hH](\d{2})?(\s|$)/.exec(text);
    if (!m || +m[2] > 23 || +(m[3] || 0) > 59) { return null; }
    return [+m[2], +(m[3] || 0)];
  }
  function bound(input, name) {
    var value = input.getAttribute("data-" + name);
    return value ? parseDay(value) : null;
  }
  function label(input, name) { return input.getAttribute("data-label-" + name) || name; }

  var monthName = new Intl.DateTimeFormat(lang, {month: "long"});
  var weekdayName = new Intl.DateTimeFormat(lang, {weekday: "short"});
  var fullDay = new Intl.DateTimeFormat(lang, {weekday: "long", day: "numeric", month: "long", year: "numeric"});

  function element(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function enhance(input) {
    if (input.getAttribute("data-datepicker-ready")) { return; }
    input.setAttribute("data-datepicker-ready", "1");
    var wrap = element("div", "datepicker-field");
    var group = element("div", "input-group flex-nowrap");
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(group);
    group.appendChild(input);
    var button = element("button", "btn btn-outline-secondary datepicker-toggle");
    button.type = "button";
    button.setAttribute("aria-label", label(input, "open"));
    button.setAttribute("title", label(input, "open"));
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-expanded", "false");
    button.innerHTML = '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 20 20">' +
      '<rect x="2.5" y="4" width="15" height="13.5" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.6"/>' +
      '<path d="M2.5 8h15M6.5 2v4M13.5 2v4" stroke="currentColor" stroke-width="1.6"/></svg>';
    group.appendChild(button);
    if (input.classList.contains("form-control-sm")) { button.classList.add("btn-sm"); }
    button.addEventListener("click", function () {
      if (open && open.input === input) { close(true); } else { show(input, button, wrap); }
    });
  }

  function show(input, button, wrap) {
    close(false);
    var kind = input.getAttribute("data-datepicker");
    var chosen = parseDay(input.value);
    var today = new Date();
    var first = bound(input, "min"), last = bound(input, "max");
    var focus = chosen || today;
    if (first && focus < first) { focus = first; }
    if (last && focus > last) { focus = last; }
    var panel = element("div", "datepicker");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", label(input, "open"));
    wrap.appendChild(panel);
    open = {input: input, button: button, panel: panel, kind: kind, chosen: chosen, first: first, last: last,
            focus: focus, time: parseTime(input.value)};
    button.setAttribute("aria-expanded", "true");
    render(true);
    place();
    if (panel.scrollIntoView) { panel.scrollIntoView({block: "nearest"}); }
  }

  function close(toButton) {
    if (!open) { return; }
    var state = open;
    open = null;
    state.panel.parentNode.removeChild(state.panel);
    state.button.setAttribute("aria-expanded", "false");
    if (toButton) { state.button.focus(); }
  }

  // Keep the panel inside the screen (a field in the right half of a phone).
  function place() {
    var panel = open.panel;
    panel.style.left = "0px";
    var rect = panel.getBoundingClientRect();
    var room = document.documentElement.clientWidth - 8;
    var shift = 0;
    if (rect.right > room) { shift = room - rect.right; }
    if (rect.left + shift < 8) { shift = 8 - rect.left; }
    panel.style.left = shift + "px";
  }

  function allowed(day) {
    return !(open.first && day < open.first) && !(open.last && day > open.last);
  }

  function years() {
    var now = new Date().getFullYear();
    var from = open.first ? open.first.getFullYear() : now - 100;
    var to = open.last ? open.last.getFullYear() : now + 30;
    var list = [];
    for (var y = to; y >= from; y--) { list.push(y); }
    return list;
  }

  function render(moveFocus) {
    var panel = open.panel, focus = open.focus;
    panel.textContent = "";
    var head = element("div", "datepicker-head");
    var prev = element("button", "btn btn-light datepicker-nav", "‹");
    prev.type = "button";
    prev.setAttribute("aria-label", label(open.input, "prev"));
    prev.addEventListener("click", function () { moveMonth(-1, false); });
    var next = element("button", "btn btn-light datepicker-nav", "›");
    next.type = "button";
    next.setAttribute("aria-label", label(open.input, "next"));
    next.addEventListener("click", function () { moveMonth(1, false); });
    var month = element("select", "form-select datepicker-month");
    month.setAttribute("aria-label", label(open.input, "month"));
    for (var m = 0; m < 12; m++) {
      var option = element("option", null, monthName.format(make(2000, m, 1)));
      option.value = m;
      month.appendChild(option);
    }
    month.value = focus.getMonth();
    month.addEventListener("change", function () { jump(focus.getFullYear(), +month.value); });
    var year = element("select", "form-select datepicker-year");
    year.setAttribute("aria-label", label(open.input, "year"));
    years().forEach(function (y) {
      var option = element("option", null, String(y));
      option.value = y;
      year.appendChild(option);
    });
    year.value = focus.getFullYear();
    year.addEventListener("change", function () { jump(+year.value, focus.getMonth()); });
    head.appendChild(prev);
    head.appendChild(month);
    head.appendChild(year);
    head.appendChild(next);
    panel.appendChild(head);

    var table = element("table", "datepicker-grid");
    table.setAttribute("role", "presentation");
    var row = element("tr");
    for (var w = 0; w < 7; w++) { // Monday first, as calendars here are printed
      var th = element("th", null, weekdayName.format(make(2024, 0, 1 + w)));
      th.setAttribute("aria-hidden", "true");
      row.appendChild(th);
    }
    var thead = element("thead");
    thead.appendChild(row);
    table.appendChild(thead);
    var tbody = element("tbody");
    var start = make(focus.getFullYear(), focus.getMonth(), 1);
    var offset = (start.getDay() + 6) % 7;
    var today = new Date();
    var focusButton = null;
    var cells = Math.ceil((offset + make(focus.getFullYear(), focus.getMonth() + 1, 0).getDate()) / 7) * 7;
    for (var cell = 0; cell < cells; cell++) {
      if (cell % 7 === 0) { row = element("tr"); tbody.appendChild(row); }
      var td = element("td");
      row.appendChild(td);
      var day = make(focus.getFullYear(), focus.getMonth(), cell - offset + 1);
      if (day.getMonth() !== focus.getMonth()) { continue; }
      var b = element("button", "datepicker-day", String(day.getDate()));
      b.type = "button";
      b.setAttribute("data-day", isoText(day));
      b.setAttribute("aria-label", fullDay.format(day));
      b.tabIndex = sameDay(day, focus) ? 0 : -1;
      if (sameDay(day, open.chosen)) { b.setAttribute("aria-pressed", "true"); b.classList.add("chosen"); }
      if (sameDay(day, today)) { b.setAttribute("aria-current", "date"); }
      if (!allowed(day)) { b.disabled = true; }
      if (sameDay(day, focus)) { focusButton = b; }
      td.appendChild(b);
    }
    table.appendChild(tbody);
    panel.appendChild(table);
    tbody.addEventListener("click", function (event) {
      var target = event.target.closest("button[data-day]");
      if (target && !target.disabled) { pick(parseDay(target.getAttribute("data-day"))); }
    });
    tbody.addEventListener("keydown", keys);

    var foot = element("div", "datepicker-foot");
    if (open.kind === "datetime") {
      var timeLabel = element("label", "datepicker-time-label", label(open.input, "time"));
      var time = element("input", "form-control datepicker-time");
      time.type = "text";
      time.id = open.input.id + "-picker-time";
      timeLabel.htmlFor = time.id;
      time.setAttribute("inputmode", "numeric");
      time.setAttribute("placeholder", "HH:mm");
      time.setAttribute("maxlength", "5");
      time.value = open.time ? pad(open.time[0]) + ":" + pad(open.time[1]) : "";
      time.addEventListener("change", function () {
        open.time = parseTime(" " + time.value + " ") || open.time;
        if (open.chosen) { write(open.chosen); }
      });
      foot.appendChild(timeLabel);
      foot.appendChild(time);
    }
    var todayButton = element("button", "btn btn-link datepicker-today", label(open.input, "today"));
    todayButton.type = "button";
    todayButton.disabled = !allowed(make(today.getFullYear(), today.getMonth(), today.getDate()));
    todayButton.addEventListener("click", function () {
      pick(make(today.getFullYear(), today.getMonth(), today.getDate()));
    });
    var closeButton = element("button", "btn btn-outline-secondary datepicker-close", label(open.input, "close"));
    closeButton.type = "button";
    closeButton.addEventListener("click", function () { close(true); });
    foot.appendChild(todayButton);
    foot.appendChild(closeButton);
    panel.appendChild(foot);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); close(true); }
    });
    if (moveFocus && focusButton) { focusButton.focus(); }
  }

  function jump(y, m) {
    var day = Math.min(open.focus.getDate(), make(y, m + 1, 0).getDate());
    open.focus = make(y, m, day);
    render(false);
  }

  function moveMonth(step, moveFocus) {
    var y = open.focus.getFullYear(), m = open.focus.getMonth() + step;
    var day = Math.min(open.focus.getDate(), make(y, m + 1, 0).getDate());
    open.focus = make(y, m, day);
    render(moveFocus);
  }

  function keys(event) {
    var steps = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7};
    var f = open.focus;
    if (steps[event.key] !== undefined) {
      open.focus = make(f.getFullYear(), f.getMonth(), f.getDate() + steps[event.key]);
    } else if (event.key === "Home") {
      open.focus = make(f.getFullYear(), f.getMonth(), f.getDate() - (f.getDay() + 6) % 7);
    } else if (event.key === "End") {
      open.focus = make(f.getFullYear(), f.getMonth(), f.getDate() + 6 - (f.getDay() + 6) % 7);
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      event.preventDefault();
      moveMonth(event.key === "PageUp" ? -1 : 1, true);
      return;
    } else {
      return;
    }
    event.preventDefault();
    var years = open.panel.querySelector(".datepicker-year");
    var y = open.focus.getFullYear();
    if (years && !years.querySelector("option[value='" + y + "']")) { open.focus = f; }
    // Focus never lands on a day that cannot be chosen (a disabled button cannot hold it): stay where it was.
    if (!allowed(open.focus)) { open.focus = f; }
    render(true);
  }

  function write(day) {
    var input = open.input, text = dayText(day);
    if (open.kind === "datetime") {
      var t = open.time || [9, 0];
      text = pad(t[0]) + ":" + pad(t[1]) + " " + text;
    }
    input.value = text;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function pick(day) {
    if (open.kind === "datetime") {
      var time = open.panel.querySelector(".datepicker-time");
      if (time) { open.time = parseTime(" " + time.value + " ") || open.time; }
    }
    write(day);
    var input = open.input;
    close(false);
    input.focus();
  }

  // Close on a click or a tap outside the open calendar.
  document.addEventListener("mousedown", function (event) {
    if (open && !open.panel.contains(event.target) && !open.button.contains(event.target)) { close(false); }
  });
  document.addEventListener("touchstart", function (event) {
    if (open && !open.panel.contains(event.target) && !open.button.contains(event.target)) { close(false); }
  }, {passive: true});
  window.addEventListener("resize", function () { if (open) { place(); } });

  // A day typed with the phone's numeric keypad (31122025, 31.12.2025), or in ISO, is shown as dd/mm/yyyy once left.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.getAttribute || input.getAttribute("data-datepicker") !== "date") { return; }
    var day = parseDay(input.value);
    if (day && input.value !== dayText(day)) { input.value = dayText(day); }
  });

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-datepicker]"), enhance);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
