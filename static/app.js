// The planner's only script (no inline script: the CSP allows scripts from /static only). Progressive
// enhancement: every page works without it. It adds place autocomplete, live proposals on the visit form, the
// progress of "plan again", copy buttons and dates in words beside date fields.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var token = csrf ? csrf.getAttribute("content") : "";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  // Place autocomplete: fills the <datalist> from the gazetteer.
  function setupSuggest(form) {
    var input = form.querySelector('input[data-suggest]');
    var list = document.getElementById("place-options");
    var url = form.getAttribute("data-suggest-url");
    if (!input || !list || !url) return;
    input.addEventListener("input", debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) return;
      fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          list.textContent = "";
          items.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.value;
            option.label = item.label;
            option.textContent = item.label;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 200));
  }

  // Live proposals: the form's fields are sent with the CSRF token in a header; the server answers with HTML.
  function setupProposals(form) {
    var url = form.getAttribute("data-proposals-url");
    var target = document.getElementById("proposals");
    if (!url || !target) return;
    var seq = 0;
    var refresh = debounce(function () {
      var mine = ++seq;
      var data = new FormData(form);
      data.delete("action");
      target.classList.add("loading");
      target.setAttribute("aria-busy", "true");
      fetch(url, {method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRFToken": token}})
        .then(function (r) { return r.text(); })
        .then(function (html) {
          if (mine !== seq) return;  // an older answer arriving late
          target.innerHTML = html;
        })
        .catch(function () {})
        .finally(function () {
          if (mine === seq) { target.classList.remove("loading"); target.removeAttribute("aria-busy"); }
        });
    }, 400);
    form.addEventListener("change", refresh);
    form.addEventListener("input", function (e) {
      if (e.target && e.target.type !== "text") return;
      refresh();
    });
    var place = form.querySelector('input[data-suggest]');
    if (place && place.value.trim()) refresh();
  }

  // "Plan again": poll the job, show its state and time used, and reload the page when it ends.
  function setupJob(box) {
    var url = box.getAttribute("data-job-url");
    var state = box.getAttribute("data-state");
    if (state !== "running" && state !== "queued") return;
    var message = box.querySelector(".message");
    var bar = box.querySelector("progress");
    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (job) {
          if (job.state === "running" || job.state === "queued") {
            if (message) message.textContent = job.message || "";
            if (bar && job.time_limit_s) {
              bar.max = job.time_limit_s;
              if (job.elapsed_s !== null) bar.value = Math.min(job.elapsed_s, job.time_limit_s);
            }
            setTimeout(poll, 1000);
          } else {
            window.location.assign(box.getAttribute("data-done-url"));
          }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 700);
  }

  // "Copy": puts the text of the field the button names on the clipboard and says so (the button is hidden
  // without this script, where the field itself can be selected and copied).
  function setupCopy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      function done() { if (status) status.textContent = button.getAttribute("data-copied"); }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
      } else {
        field.select();
        if (document.execCommand("copy")) done();
      }
    });
  }

  // A date field repeats its date in words in the page's language ("to 10.12.2026" in Finnish) beside it: the
  // browser's own date picker may speak another language than the page.
  function setupDateEcho(input) {
    // Finland's conventions in each language (Swedish in Finland writes 7.12.2026, not 2026-12-07)
    var lang = {fi: "fi-FI", sv: "sv-FI", en: "en-GB"}[document.documentElement.lang] || "fi-FI";
    var echo = document.createElement("span");
    echo.className = "date-echo";
    echo.id = input.id + "-echo";
    echo.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", echo);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? described + " " + echo.id : echo.id);
    var format = new Intl.DateTimeFormat(lang, {weekday: "short", day: "numeric", month: "numeric", year: "numeric"});
    function show() {
      var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
      echo.textContent = parts ? format.format(new Date(+parts[1], +parts[2] - 1, +parts[3])) : "";
    }
    input.addEventListener("input", show);
    input.addEventListener("change", show);
    show();
  }

  // A form whose answer takes a while (what-if): its button says so and the page is marked busy meanwhile.
  function setupWorking(form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector('button[type="submit"]');
      if (button) { button.disabled = true; button.textContent = form.getAttribute("data-working"); }
      document.querySelector("main").setAttribute("aria-busy", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(setupCopy);
    document.querySelectorAll("form[data-working]").forEach(setupWorking);
    document.querySelectorAll('input[type="date"][id]').forEach(setupDateEcho);
    var form = document.getElementById("visit-form");
    if (form) { setupSuggest(form); setupProposals(form); }
    var job = document.getElementById("job");
    if (job) setupJob(job);
  });
})();
