// The planning board in place: selecting a trip and the actions beside the board update the page without
// reloading it at the top; a trip is moved by drag and drop, or from the keyboard ("Move on the board", the
// arrow keys, Enter). Where the meeting may not go is said before anything is saved: the server's own list of
// eligible people and days (/plan/meetings/<id>/options) decides, and checks again when it moves.
// Without this script every link and form works as it is, returning to the same trip.
(function () {
  "use strict";

  function main() { return document.getElementById("main"); }
  function board() { return document.getElementById("board"); }
  function text(name) { var b = board(); return b ? b.getAttribute("data-text-" + name) || "" : ""; }

  // Swap the page's content for the answer's, keep the scroll, and put the focus where the user was working.
  function show(html, url, focusId) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("main");
    if (!fresh) { window.location.assign(url); return; }
    var x = window.scrollX, y = window.scrollY;
    main().innerHTML = fresh.innerHTML;
    document.title = doc.title;
    if (url) history.replaceState(null, "", url);
    window.scrollTo(x, y);
    var target = (focusId && document.getElementById(focusId)) || document.querySelector(".flash[role=alert]") ||
      document.getElementById("detail-title") || board();
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(A|BUTTON)$/.test(target.tagName)) target.setAttribute("tabindex", "-1");
      target.focus({preventScroll: true});
    }
    var publish = document.getElementById("publish-open");
    if (publish && !document.getElementById("publish-dialog")) publish.removeAttribute("data-dialog");
    revealKeyboardMove();
  }

  function busy(on) {
    var m = main();
    if (!m) return;
    if (on) { m.setAttribute("aria-busy", "true"); m.classList.add("working"); }
    else { m.removeAttribute("aria-busy"); m.classList.remove("working"); }
  }

  function load(url, options, focusId) {
    busy(true);
    return fetch(url, Object.assign({credentials: "same-origin"}, options || {}))
      .then(function (r) { return r.text().then(function (html) { show(html, r.url, focusId); }); })
      .catch(function () { window.location.assign(url); })
      .finally(function () { busy(false); });
  }

  function post(action, data, focusId) {
    return load(action, {method: "POST", body: data}, focusId);
  }

  // Selecting a trip, closing its details, and the forms beside the board.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("#board a.block, #detail a.close, #detail .conflicts a");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    var url = link.href;
    var focus = link.classList.contains("close") ? (link.hash || "").slice(1) : "detail-title";
    history.pushState(null, "", url);
    load(url, null, focus);
  });
  window.addEventListener("popstate", function () {
    if (board()) load(window.location.href, null, null);
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    // plan again leaves for the job's page, whose progress this script does not draw
    if (!form.closest || !form.closest("#detail") || form.hasAttribute("data-full")) return;
    e.preventDefault();
    post(form.action, new FormData(form), null);
  });

  // Publishing asks first, in a dialog (the link opens the same question on a page of its own without script).
  document.addEventListener("click", function (e) {
    var open = e.target.closest && e.target.closest("#publish-open");
    var dialog = document.getElementById("publish-dialog");
    if (open && dialog && dialog.showModal) {
      e.preventDefault();
      dialog.showModal();
      var confirm = dialog.querySelector("button[type=submit]");
      if (confirm) confirm.focus();
      return;
    }
    var close = e.target.closest && e.target.closest("[data-close-dialog]");
    if (close && close.closest("dialog")) {
      e.preventDefault();
      close.closest("dialog").close();
      var opener = document.getElementById("publish-open");
      if (opener) opener.focus();
    }
  });

  // Moving -----------------------------------------------------------------------------------------------------
  var move = null;  // {meeting, options (a promise of the server's answer), target: [row, column], from}

  function days() { return Array.prototype.slice.call(board().querySelectorAll("thead th[data-day]")); }
  function rows() { return Array.prototype.slice.call(board().querySelectorAll("tbody tr[id^='p-']")); }

  function cellsOf(staff) {
    return Array.prototype.slice.call(board().querySelectorAll("tbody tr[data-staff='" + staff + "'] td"));
  }

  // The day a table cell covers (a block's cell spans its days: the pointer's x tells which of them).
  function dayAt(td, clientX) {
    var heads = days();
    if (clientX !== undefined) {
      for (var i = 0; i < heads.length; i++) {
        var r = heads[i].getBoundingClientRect();
        if (clientX >= r.left && clientX < r.right) return heads[i].getAttribute("data-day");
      }
    }
    return td.getAttribute("data-day");
  }

  function personName(staff) {
    var row = document.getElementById("p-" + staff);
    var th = row && row.querySelector("th.who");
    return th ? th.textContent.trim() : staff;
  }

  function dayName(day) {
    var th = board().querySelector("thead th[data-day='" + day + "']");
    return th ? th.textContent.trim() : day;
  }

  function say(message, isError) {
    var box = document.getElementById(isError ? "drop-message" : "move-status");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  function fetchOptions(meeting) {
    var url = board().getAttribute("data-options-url").replace(/\/0\/options$/, "/" + meeting + "/options");
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error("options " + r.status); return r.json(); });
  }

  // Mark every cell of the board: where the meeting may go, and where not.
  function markCells(found) {
    board().classList.add("moving");
    rows().forEach(function (row) {
      var staff = row.getAttribute("data-staff");
      cellsOf(staff).forEach(function (td) {
        var spanDays = spannedDays(td);
        var ok = spanDays.some(function (d) { return found.eligible[staff + "|" + d]; });
        td.classList.toggle("can-drop", ok);
        td.classList.toggle("no-drop", !ok);
      });
    });
  }

  function spannedDays(td) {
    var heads = days(), first = td.getAttribute("data-day"), out = [];
    var start = heads.findIndex(function (h) { return h.getAttribute("data-day") === first; });
    for (var i = 0; i < (td.colSpan || 1) && start + i < heads.length; i++) out.push(heads[start + i].getAttribute("data-day"));
    return out;
  }

  function endMove() {
    var b = board();
    if (b) {
      b.classList.remove("moving");
      b.querySelectorAll("td.can-drop, td.no-drop, td.target").forEach(function (td) {
        td.classList.remove("can-drop", "no-drop", "target");
        td.removeAttribute("tabindex");
      });
    }
    say("", false);
    move = null;
  }

  // Drop the meeting on (staff, day): move it when the server listed that cell, else say why and save nothing.
  function dropOn(staff, day) {
    var current = move;
    return current.options.then(function (found) {
      var cell = found.eligible[staff + "|" + day];
      var where = personName(staff) + ", " + dayName(day);
      if (!cell) {
        var why = found.refused[staff + "|" + day] || "";
        endMove();
        say(text("refused") + " " + where + ": " + why, true);
        return;
      }
      if (cell.current) { endMove(); say(text("same") + " " + where, true); return; }
      var data = new FormData();
      data.append("csrf_token", document.querySelector('meta[name="csrf-token"]').getAttribute("content"));
      data.append("version", found.version);
      data.append("day", cell.day);
      cell.staff.forEach(function (s) { data.append("staff", s); });
      endMove();
      say(text("saving") + " " + where, false);
      var action = board().getAttribute("data-move-url").replace(/\/0\/move$/, "/" + current.meeting + "/move");
      return post(action, data, "detail-title");
    }).catch(function () { endMove(); say(text("failed"), true); });
  }

  function startMove(meeting) {
    say("", true);
    move = {meeting: meeting, options: fetchOptions(meeting)};
    move.options.then(function (found) { if (move && move.meeting === meeting) markCells(found); });
    return move;
  }

  document.addEventListener("dragstart", function (e) {
    var block = e.target.closest && e.target.closest("#board a.block[data-meeting]");
    if (!block) return;
    e.dataTransfer.setData("text/plain", block.getAttribute("data-meeting"));
    e.dataTransfer.effectAllowed = "move";
    startMove(block.getAttribute("data-meeting"));
  });
  document.addEventListener("dragover", function (e) {
    if (move && e.target.closest && e.target.closest("#board tbody td")) e.preventDefault();
  });
  document.addEventListener("drop", function (e) {
    var td = e.target.closest && e.target.closest("#board tbody td");
    if (!move || !td) return;
    e.preventDefault();
    move.dropping = true;
    dropOn(td.parentElement.getAttribute("data-staff"), dayAt(td, e.clientX));
  });
  document.addEventListener("dragend", function () {
    // a drop elsewhere, or Escape: nothing moves (a drop on the board ends the move itself)
    setTimeout(function () { if (move && !move.dropping) endMove(); }, 0);
  });

  // The keyboard equivalent: "Move on the board" picks the meeting up; the arrow keys choose a person and a day
  // (the status line says whether it can go there and why not), Enter moves it, Escape puts it back.
  function cellFor(rowIndex, dayIndex) {
    var row = rows()[rowIndex], day = days()[dayIndex].getAttribute("data-day");
    var staff = row.getAttribute("data-staff");
    return cellsOf(staff).find(function (td) { return spannedDays(td).indexOf(day) >= 0; });
  }

  function aim(rowIndex, dayIndex) {
    var allRows = rows(), allDays = days();
    rowIndex = Math.max(0, Math.min(allRows.length - 1, rowIndex));
    dayIndex = Math.max(0, Math.min(allDays.length - 1, dayIndex));
    board().querySelectorAll("td.target").forEach(function (td) { td.classList.remove("target"); td.removeAttribute("tabindex"); });
    var td = cellFor(rowIndex, dayIndex);
    move.target = [rowIndex, dayIndex];
    if (!td) return;
    td.classList.add("target");
    td.setAttribute("tabindex", "-1");
    td.focus();
    var staff = allRows[rowIndex].getAttribute("data-staff"), day = allDays[dayIndex].getAttribute("data-day");
    var hint = move.hinted ? "" : " " + text("keys");  // the keys stay said until the first arrow
    move.hinted = true;
    move.options.then(function (found) {
      var where = personName(staff) + ", " + dayName(day) + ": ";
      say(where + (found.eligible[staff + "|" + day] ? text("can") : found.refused[staff + "|" + day] || "") + hint,
          false);
    });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button.keyboard-move");
    if (!button || !board()) return;
    var meeting = button.getAttribute("data-meeting");
    startMove(meeting).from = button.id;
    var block = board().querySelector("a.block.selected");
    var staff = block ? block.closest("tr").getAttribute("data-staff") : null;
    var row = rows().findIndex(function (r) { return r.getAttribute("data-staff") === staff; });
    var day = block ? days().findIndex(function (h) { return h.getAttribute("data-day") === block.closest("td").getAttribute("data-day"); }) : 0;
    say(text("keys"), false);
    aim(Math.max(0, row), Math.max(0, day));
  });

  document.addEventListener("keydown", function (e) {
    if (!move || !move.target) return;
    var r = move.target[0], d = move.target[1];
    var steps = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
    if (steps[e.key]) {
      e.preventDefault();
      aim(r + steps[e.key][0], d + steps[e.key][1]);
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      var staff = rows()[r].getAttribute("data-staff"), day = days()[d].getAttribute("data-day");
      dropOn(staff, day);
    } else if (e.key === "Escape") {
      e.preventDefault();
      var from = move.from;
      endMove();
      var button = from && document.getElementById(from);
      if (button) button.focus();
    }
  });

  // The keyboard move needs this script: its buttons are hidden without it.
  function revealKeyboardMove() {
    document.querySelectorAll("button.keyboard-move[hidden]").forEach(function (b) { b.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", revealKeyboardMove);
})();
