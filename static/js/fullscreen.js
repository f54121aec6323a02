// A "Full screen" button for one element (the join code on a projector), with the Fullscreen API.
// The button stays hidden where the browser cannot do it; the page is as large as it can be anyway.
(function () {
  "use strict";

  function init() {
    if (!document.fullscreenEnabled) return;
    document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
      var target = document.querySelector(button.dataset.fullscreen);
      if (!target) return;
      var wrapper = button.closest("[data-fullscreen-wrapper]");
      if (wrapper) wrapper.hidden = false;
      var enterText = button.textContent;
      button.addEventListener("click", function () {
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else {
          target.requestFullscreen().catch(function () { /* refused (an iframe, a policy): the page stays as it is */ });
        }
      });
      document.addEventListener("fullscreenchange", function () {
        button.textContent = document.fullscreenElement ? button.dataset.exitText : enterText;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
