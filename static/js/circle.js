// Listening circles: each turn's countdown (data-countdown) counts down from the server's clock. The page
// was drawn with the server's "now" and the turn's end, both in milliseconds since the epoch; the offset
// between the server's and this device's clock is taken when a clock is first seen, so a reloaded page, or
// a phone whose clock is wrong, shows the time the server counts. A paused clock shows its frozen seconds.
// When a clock reaches zero the region is fetched afresh (by a URL of its own, past any cached copy), so the
// speaker's "how heard did you feel?" buttons appear without waiting for anyone to change anything.
(function () {
  "use strict";
  if (window.heardCircleClock) return;
  window.heardCircleClock = true;

  function format(seconds) {
    var minutes = Math.floor(seconds / 60), rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function refresh(region) {
    var url = region && region.getAttribute("hx-get");
    if (!url || !window.htmx) return;
    delete region.dataset.etag; // a full answer, not a 304
    htmx.ajax("GET", url + (url.indexOf("?") < 0 ? "?" : "&") + "fresh=" + Date.now(), { target: region, swap: "outerHTML" });
  }

  function tick() {
    var clocks = document.querySelectorAll("[data-countdown]");
    Array.prototype.forEach.call(clocks, function (clock) {
      if (!clock.dataset.offset) clock.dataset.offset = String(Number(clock.dataset.serverNow) - Date.now());
      var leftMs = clock.hasAttribute("data-paused")
        ? Number(clock.dataset.seconds) * 1000
        : Number(clock.dataset.endsAt) - (Date.now() + Number(clock.dataset.offset));
      var shown = format(Math.max(0, Math.ceil(leftMs / 1000)));
      var text = clock.querySelector("[data-countdown-text]");
      if (text && text.textContent !== shown) text.textContent = shown;
      if (!clock.hasAttribute("data-paused") && Number(clock.dataset.seconds) > 0 && leftMs < -300 && !clock.dataset.expired) {
        clock.dataset.expired = "1";
        refresh(clock.closest("[data-live-poll]"));
      }
    });
  }

  setInterval(tick, 250);
  document.addEventListener("DOMContentLoaded", tick);
})();
