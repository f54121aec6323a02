// Tabs on a page that works without them (the classroom page): the WAI-ARIA tabs pattern over a list
// of links to sections that are all on the page. Without this file every section shows, one after
// the other, and the links jump to them; with it one section shows at a time.
//
// Keys: Left/Right move between tabs and show the tab reached, Home/End go to the first/last, Tab
// leaves the tab list for the section shown. Which tab shows: the one a link's #address names (or
// holds the element it names, as "#calendar-heading" after making a calendar link), else the last
// one chosen on this page in this browser tab (so coming back after a form lands where one left),
// else the first.
(function () {
  "use strict";

  function setUp(root) {
    var list = root.querySelector("[data-tabs-list]");
    var tabs = Array.prototype.slice.call(root.querySelectorAll("[data-tab]"));
    var panels = tabs.map(function (tab) { return document.getElementById(tab.hash.slice(1)); });
    if (!list || tabs.length < 2 || panels.indexOf(null) !== -1) return;
    var memoryKey = "heard-tab:" + (root.dataset.tabsRemember || location.pathname);

    list.setAttribute("role", "tablist");
    tabs.forEach(function (tab, i) {
      tab.parentElement.setAttribute("role", "presentation");
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panels[i].id);
      panels[i].setAttribute("role", "tabpanel");
      panels[i].setAttribute("aria-labelledby", tab.id);
      panels[i].setAttribute("tabindex", "0");
    });

    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.setAttribute("tabindex", on ? "0" : "-1");
        tab.classList.toggle("active", on);
        panels[i].hidden = !on;
      });
      try { sessionStorage.setItem(memoryKey, panels[index].id); } catch (e) { /* private mode: nothing remembered */ }
      if (focus) tabs[index].focus();
    }

    // The tab whose panel is, or holds, the element with this id; -1 if none does.
    function indexOf(id) {
      var target = id && document.getElementById(id);
      if (!target) return -1;
      for (var i = 0; i < panels.length; i++) {
        if (panels[i] === target || panels[i].contains(target)) return i;
      }
      return -1;
    }

    function fromHash() {
      var id = decodeURIComponent(location.hash.slice(1));
      var index = indexOf(id);
      if (index === -1) return false;
      select(index, false);
      var target = document.getElementById(id);
      if (target !== panels[index]) target.scrollIntoView();
      return true;
    }

    if (!fromHash()) {
      var remembered = null;
      try { remembered = sessionStorage.getItem(memoryKey); } catch (e) { /* as above */ }
      var index = indexOf(remembered);
      select(index === -1 ? 0 : index, false);
    }

    list.addEventListener("click", function (event) {
      var tab = event.target.closest("[data-tab]");
      if (!tab) return;
      event.preventDefault();
      select(tabs.indexOf(tab), true);
    });

    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current === -1) return;
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select((next + tabs.length) % tabs.length, true);
    });

    // Links elsewhere on the page to a section ("12 students" in the summary) open its tab.
    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-tab-link]");
      if (!link || link.pathname !== location.pathname) return;
      var index = indexOf(link.hash.slice(1));
      if (index === -1) return;
      event.preventDefault();
      select(index, true);
      tabs[index].scrollIntoView({ block: "nearest" });
    });

    window.addEventListener("hashchange", fromHash);
  }

  function init() {
    document.querySelectorAll("[data-tabs]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
