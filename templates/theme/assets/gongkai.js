/* Gongkai: keeps 公示 states current for the reader's date (Beijing time) and offers a
   large-text mode that stays on across pages and visits. Without script, the states printed at
   build time remain and the page is still complete. */
(function () {
  "use strict";
  var DAY = 86400000;

  function beijingToday() {
    return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
  }

  function refreshBadges() {
    var today = beijingToday();
    var badges = document.querySelectorAll(".gk-badge[data-end]");
    for (var i = 0; i < badges.length; i++) {
      var el = badges[i], start = el.getAttribute("data-start"), end = el.getAttribute("data-end");
      var text, css;
      if (today < start) { text = "未开始"; css = "gk-upcoming"; }
      else if (today <= end) {
        text = "公示中 · 剩 " + (Math.round((Date.parse(end) - Date.parse(today)) / DAY) + 1) + " 天";
        css = "gk-open";
      } else { text = "已结束"; css = "gk-ended"; }
      el.textContent = text;
      el.className = "gk-badge " + css;
    }
  }

  var KEY = "gongkai-large-text";
  function setLarge(on) {
    document.documentElement.classList.toggle("gk-large", on);
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    var button = document.getElementById("gk-large-toggle");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "标准字" : "大字";
    }
  }

  function addToggle() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.getElementById("gk-large-toggle")) { return; }
    var button = document.createElement("button");
    button.id = "gk-large-toggle";
    button.type = "button";
    button.className = "gk-large-toggle";
    button.title = "切换大字号（适老化）";
    button.addEventListener("click", function () {
      setLarge(!document.documentElement.classList.contains("gk-large"));
    });
    var search = header.querySelector(".md-search");
    header.insertBefore(button, search || null);
    setLarge(document.documentElement.classList.contains("gk-large"));
  }

  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) { dialog.setAttribute("aria-label", "搜索本站"); }
  }

  /* The theme searches on key release only: text pasted, picked from an input method's list or
     spoken into the box would find nothing until another key was pressed. Every change of the
     box's text is passed on as a key release. */
  function searchOnEveryInput() {
    var box = document.querySelector("input.md-search__input");
    if (!box) { return; }
    box.addEventListener("input", function () {
      box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    });
  }

  function start() { refreshBadges(); addToggle(); nameSearchDialog(); searchOnEveryInput(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
