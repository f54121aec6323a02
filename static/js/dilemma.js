// A live dilemma's boxes: what the server showed back after a refusal (the typed reason, kept) counts as
// typed, so the live poll (static/js/live.js) does not swap it away before it is sent again.
(function () {
  "use strict";
  function keep() {
    document.querySelectorAll("textarea[data-keep-typed]").forEach(function (box) {
      var typed = box.value;
      if (!typed) return;
      box.defaultValue = "";
      box.value = typed;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", keep);
  else keep();
})();
