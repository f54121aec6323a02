// A story opened from the wall: how long it was read, sent when the page is hidden or left
// (navigator.sendBeacon, with the page's CSRF token). The opening itself was counted by the wall's
// button, so a browser without script still counts; this only adds the time. Time while the tab is
// hidden does not count, and the server clamps each report.
(function () {
  "use strict";
  var page = document.querySelector("[data-read-url]");
  if (!page || !navigator.sendBeacon) return;
  var url = page.getAttribute("data-read-url");
  var token = page.querySelector("input[name=csrfmiddlewaretoken]");
  var shownSince = document.visibilityState === "visible" ? Date.now() : null;

  function send() {
    if (shownSince === null) return;
    var seconds = Math.round((Date.now() - shownSince) / 1000);
    shownSince = null;
    if (seconds < 1 || !token) return;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    data.append("seconds", String(seconds));
    navigator.sendBeacon(url, data);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      send();
    } else if (shownSince === null) {
      shownSince = Date.now();
    }
  });
  window.addEventListener("pagehide", send);
})();
