// Triage Desk console: keyboard shortcuts and the help overlay. No inline script anywhere (the CSP forbids it);
// htmx (served from /static/vendor) handles the live queue, the edit diff and the article preview.
(function () {
  "use strict";

  var SELECTED_KEY = "triage.selectedCase";

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
  // the live queue is swapped in place every few seconds: keep the selection on the same case
  document.addEventListener("htmx:afterSettle", restoreSelection);
})();
