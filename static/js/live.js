// Live class practice: the polled part of the page (#live-region) asks the server every 2 seconds whether
// anything changed, with the ETag of what it shows. Unchanged is a 304, which htmx must not swap in (it
// would swap an empty body): this file sends the ETag the region was drawn with (data-etag) and tells htmx
// to leave 304s alone.
// A region holding something the person is typing (a reason, a reply) is not swapped while the step is
// the same; when the step moved on, a note says so and offers to show it, so nothing typed vanishes.
(function () {
  "use strict";

  function isRegion(element) {
    return element && element.matches && element.matches("[data-live-poll]");
  }

  function typing(region) {
    var active = document.activeElement;
    if (active && region.contains(active) && /^(TEXTAREA|INPUT|SELECT)$/.test(active.tagName)) return true;
    // Text the server sent back unsaved (refused, or a groupmate saved first) is still the person's typing.
    if (region.querySelector("[data-live-unsaved]")) return true;
    return Array.prototype.some.call(region.querySelectorAll("textarea, input[type=text]"), function (field) {
      return field.value !== field.defaultValue;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx && !htmx.config.responseHandling.some(function (rule) { return rule.code === "304"; })) {
      htmx.config.responseHandling.unshift({ code: "304", swap: false });
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var region = event.detail.elt;
    if (isRegion(region) && region.dataset.etag) event.detail.headers["If-None-Match"] = region.dataset.etag;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = event.detail.elt;
    if (!isRegion(region) || event.detail.xhr.status !== 200) return;
    // The answer to the person's own POST (they saved what they typed) is what they asked to see.
    var config = event.detail.requestConfig;
    if (config && config.verb && config.verb.toLowerCase() !== "get") return;
    if (!typing(region)) return;
    var incoming = /data-live-key="([^"]*)"/.exec(event.detail.serverResponse || "");
    var sameStep = incoming && incoming[1] === region.dataset.liveKey;
    event.detail.shouldSwap = false;
    if (!sameStep && !region.querySelector("[data-live-moved]")) {
      var note = document.createElement("div");
      note.className = "alert alert-info live-moved";
      note.setAttribute("role", "status");
      note.setAttribute("data-live-moved", "");
      var text = document.createElement("p");
      text.className = "mb-2";
      text.textContent = region.dataset.movedText || "";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-primary btn-sm";
      button.textContent = region.dataset.movedButton || "";
      button.addEventListener("click", function () { window.location.reload(); });
      note.appendChild(text);
      note.appendChild(button);
      region.insertBefore(note, region.firstChild);
    }
  });

})();
