// "Copy" buttons: <button data-copy="#field-id" data-copied-text="…" data-select-text="…">, with a
// role="status" element [data-copy-status] beside it that says what happened (screen readers read it).
// Where the clipboard cannot be written (an http:// address, a refusal), the text is selected instead
// and the status says how to copy it. The button is hidden in the HTML and shown here: without
// JavaScript the field is still there to select by hand.
(function () {
  "use strict";

  function say(button, text) {
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!status) return;
    status.textContent = "";
    // A fresh text node each time, so the same words said twice are announced twice.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function selectField(field, button) {
    field.focus();
    field.select();
    say(button, button.dataset.selectText);
  }

  function init() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var wrapper = button.closest("[data-copy-wrapper]");
      if (wrapper) wrapper.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.querySelector(button.dataset.copy);
    if (!field) return;
    if (!navigator.clipboard || !window.isSecureContext) {
      selectField(field, button);
      return;
    }
    navigator.clipboard.writeText(field.value).then(
      function () { say(button, button.dataset.copiedText); },
      function () { selectField(field, button); }
    );
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
