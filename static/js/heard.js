// Heard's small behaviours. No inline scripts anywhere: the Content Security Policy forbids them.
// Every page works without this file; it only makes things quicker or clearer.
(function () {
  "use strict";

  function checkAllBoxes(button) {
    return button.closest("form").querySelectorAll('input[type="checkbox"][name="' + button.dataset.checkAll + '"]');
  }

  // "Choose everyone" becomes "Choose nobody" once everyone is chosen, and back.
  function syncCheckAll(button) {
    if (!button.dataset.checkText) button.dataset.checkText = button.textContent;
    var boxes = Array.prototype.slice.call(checkAllBoxes(button));
    var all = boxes.length > 0 && boxes.every(function (box) { return box.checked; });
    button.textContent = all && button.dataset.uncheckText ? button.dataset.uncheckText : button.dataset.checkText;
  }

  function init() {
    // Buttons that need JavaScript are hidden in the HTML and shown here.
    document.querySelectorAll("[data-check-all]").forEach(function (button) {
      var wrapper = button.closest("[hidden]");
      if (wrapper) wrapper.hidden = false;
      syncCheckAll(button);
    });
    // After a form comes back with errors, start where the first one is: a screen reader
    // reads the field's label and its error, and a phone scrolls to it.
    var invalid = document.querySelector("main .is-invalid");
    if (invalid && typeof invalid.focus === "function") invalid.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  document.addEventListener("click", function (event) {
    var printButton = event.target.closest("[data-print]");
    if (printButton) {
      window.print();
      return;
    }
    var checkAll = event.target.closest("[data-check-all]");
    if (checkAll) {
      var boxes = Array.prototype.slice.call(checkAllBoxes(checkAll));
      var all = boxes.every(function (box) { return box.checked; });
      boxes.forEach(function (box) { box.checked = !all; });
      syncCheckAll(checkAll);
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.type !== "checkbox") return;
    var form = event.target.closest("form");
    if (!form) return;
    form.querySelectorAll("[data-check-all]").forEach(syncCheckAll);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // Long work (hashing passwords) shows that it is under way and cannot be sent twice.
    if (form.dataset.busyText) {
      var status = form.querySelector(".busy-text");
      if (status) status.textContent = form.dataset.busyText;
      form.querySelectorAll('button[type="submit"]').forEach(function (button) {
        button.disabled = true;
      });
    }
  });

  // Esc closes the phone menu, as it closes any other pop-up, and gives focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !window.bootstrap) return;
    var menu = document.querySelector(".navbar-collapse.show");
    if (!menu) return;
    window.bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
    var toggler = document.querySelector('[data-bs-target="#' + menu.id + '"]');
    if (toggler) toggler.focus();
  });

  // htmx replaces the element that had focus (a "Mark as read" button): put focus on what
  // replaced it, so a keyboard or screen-reader user is not sent back to the top of the page.
  var swapTarget = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    swapTarget = elt && elt.hasAttribute("data-focus-after-swap") ? elt.getAttribute("hx-target") : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!swapTarget) return;
    var target = document.querySelector(swapTarget);
    swapTarget = null;
    if (!target) return;
    target.setAttribute("tabindex", "-1");
    target.focus();
  });
})();
