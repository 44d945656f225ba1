// Triage Desk console: keyboard shortcuts and the help overlay. No inline script anywhere (the CSP forbids it);
// htmx (served from /static/vendor) handles the live queue, the edit diff and the article preview.
(function () {
  "use strict";

  var SELECTED_KEY = "triage.selectedCase";
  var CHECKED_KEY = "triage.checkedCases";

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function help() { return document.getElementById("help"); }

  function toggleHelp(show) {
    var overlay = help();
    if (!overlay) return;
    var visible = typeof show === "boolean" ? show : overlay.hidden;
    overlay.hidden = !visible;
    if (visible) {
      var close = overlay.querySelector("button");
      if (close) close.focus();
    }
  }

  // --- queue rows -----------------------------------------------------------------------------------------
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-case-row]")); }

  function selectedIndex(list) {
    for (var i = 0; i < list.length; i++) if (list[i].classList.contains("selected")) return i;
    return -1;
  }

  function select(list, index) {
    if (!list.length) return;
    index = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (row) { row.classList.remove("selected"); row.removeAttribute("aria-selected"); });
    var row = list[index];
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    row.scrollIntoView({ block: "nearest" });
    try { sessionStorage.setItem(SELECTED_KEY, row.getAttribute("data-case-id")); } catch (e) { /* private mode */ }
  }

  function restoreSelection() {
    var list = rows();
    if (!list.length) return;
    var wanted = null;
    try { wanted = sessionStorage.getItem(SELECTED_KEY); } catch (e) { wanted = null; }
    for (var i = 0; i < list.length; i++) {
      if (list[i].getAttribute("data-case-id") === wanted) { select(list, i); return; }
    }
  }

  // --- bulk selection: kept across the live refresh (which replaces the rows) --------------------------------
  function checkedIds() {
    try { return JSON.parse(sessionStorage.getItem(CHECKED_KEY) || "[]"); } catch (e) { return []; }
  }

  function rememberChecked() {
    var ids = Array.prototype.slice.call(document.querySelectorAll("input[data-bulk]:checked"))
      .map(function (box) { return box.value; });
    try { sessionStorage.setItem(CHECKED_KEY, JSON.stringify(ids)); } catch (e) { /* private mode */ }
    var count = document.querySelector('[data-testid="bulk-count"]');
    if (count) count.textContent = ids.length + " selected";
  }

  function restoreChecked() {
    var ids = checkedIds();
    document.querySelectorAll("input[data-bulk]").forEach(function (box) { box.checked = ids.indexOf(box.value) >= 0; });
    rememberChecked();
  }

  function toggleChecked(row) {
    var box = row && row.querySelector("input[data-bulk]");
    if (!box) return false;
    box.checked = !box.checked;
    rememberChecked();
    return true;
  }

  function openRow(row) {
    var link = row && row.querySelector("a[href]");
    if (link) window.location.assign(link.getAttribute("href"));
  }

  // --- case page ------------------------------------------------------------------------------------------
  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) window.location.assign(link.getAttribute("href"));
    return !!link;
  }

  function openPanel(panelId, focusId) {
    var panel = document.getElementById(panelId);
    if (!panel) return false;
    panel.open = true;
    var field = document.getElementById(focusId);
    if (field) {
      field.focus();
      if (field.tagName === "TEXTAREA") field.setSelectionRange(field.value.length, field.value.length);
    }
    panel.scrollIntoView({ block: "nearest" });
    return true;
  }

  function clickIfEnabled(id) {
    var button = document.getElementById(id);
    if (button && !button.disabled) { button.click(); return true; }
    return false;
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var overlay = help();
    if (event.key === "Escape") {
      if (overlay && !overlay.hidden) { toggleHelp(false); event.preventDefault(); }
      else if (isTyping(event.target)) event.target.blur();
      return;
    }
    if (isTyping(event.target)) return;
    if (event.key === "?") { toggleHelp(); event.preventDefault(); return; }
    if (overlay && !overlay.hidden) return;

    // Enter on a focused button or link is that control's own (e.g. "Apply to selected"), not "open the row"
    if (event.key === "Enter" && event.target.closest && event.target.closest("button, a, form")) return;
    var list = rows();
    var handled = true;
    switch (event.key) {
      case "j":
        if (list.length) select(list, selectedIndex(list) + 1); else handled = follow('[data-nav="next"]');
        break;
      case "k":
        if (list.length) select(list, selectedIndex(list) < 0 ? 0 : selectedIndex(list) - 1);
        else handled = follow('[data-nav="prev"]');
        break;
      case "Enter":
      case "o":
        if (list.length && selectedIndex(list) >= 0) openRow(list[selectedIndex(list)]); else handled = false;
        break;
      case "a": handled = clickIfEnabled("approve-button"); break;
      case "n": handled = !!document.getElementById("note-text") && (document.getElementById("note-text").focus(), true); break;
      case "c": handled = clickIfEnabled("owner-claim-button") || clickIfEnabled("claim-button"); break;
      case "x": handled = list.length > 0 && selectedIndex(list) >= 0 && toggleChecked(list[selectedIndex(list)]); break;
      case "e": handled = openPanel("edit-panel", "edit-text"); break;
      case "r": handled = openPanel("reject-panel", "reject-reason"); break;
      case "u": handled = follow('[data-nav="queue"]') || (window.location.assign("/queue"), true); break;
      case "/":
        var search = document.querySelector('form[role="search"] input, form[role="search"] select');
        if (search) search.focus(); else handled = false;
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  }

  function onClick(event) {
    var toggle = event.target.closest && event.target.closest("[data-help-toggle]");
    if (toggle) { toggleHelp(); return; }
    if (event.target === help()) { toggleHelp(false); return; }
    var row = event.target.closest && event.target.closest("[data-case-row]");
    if (row && !event.target.closest("a, button, input, select, textarea")) openRow(row);
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onClick);
  document.addEventListener("DOMContentLoaded", restoreSelection);
  document.addEventListener("DOMContentLoaded", restoreChecked);
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[data-bulk]")) rememberChecked();
  });
  document.addEventListener("submit", function (event) {  // once applied, the selection is spent
    if (event.target.id === "bulk-form") { try { sessionStorage.removeItem(CHECKED_KEY); } catch (e) { /* */ } }
  });
  // the live queue is swapped in place every few seconds: keep the selection on the same case, and the ticks
  document.addEventListener("htmx:afterSettle", restoreSelection);
  document.addEventListener("htmx:afterSettle", restoreChecked);
})();
