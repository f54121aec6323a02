// The answer page: nothing a student types is lost (the letters counter is static/js/counter.js).
//
// Every change is copied to this device's localStorage at once, keyed by the submission, with the
// server's version of the draft it started from (the moment of the last save, data-draft-version).
// htmx saves the draft to the server a moment after typing stops and when a field loses focus; its
// answer carries the new version. When the page opens and the copy here holds changes the server never
// got (a dropped connection, a refresh, a session that ran out and a sign-in), made on top of the version
// the server still has, they are put back and the student is told. A copy older than the server's
// version (saved since from another device) is dropped. Work turned in clears the copy.
(function () {
  "use strict";

  var PREFIX = "heard-draft:";

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private browsing or storage switched off: the server's autosave still works
    }
  }

  function read(store, key) {
    try {
      return JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function write(store, key, value) {
    try {
      store.setItem(key, JSON.stringify(value));
    } catch (error) {
      // full: nothing to do but rely on the server
    }
  }

  var store = storage();

  var done = document.querySelector("[data-draft-done]");
  if (done && store) store.removeItem(PREFIX + done.dataset.draftDone);

  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var key = PREFIX + form.dataset.draftKey;
  var version = Number(form.dataset.draftVersion || 0);

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
    });
  }

  function collect() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!(el.name in values)) values[el.name] = [];
        if (el.checked) values[el.name].push(el.value);
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(values) {
    fields().forEach(function (el) {
      if (!(el.name in values)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values[el.name].indexOf(el.value) !== -1;
      } else {
        el.value = values[el.name];
      }
    });
  }

  function remember(dirty) {
    if (store) write(store, key, { base: version, dirty: dirty, values: collect() });
  }

  var saved = store ? read(store, key) : null;
  if (saved && saved.values) {
    if (Number(saved.base) < version) {
      store.removeItem(key); // the server has a later draft than this copy was made from
    } else if (saved.dirty && JSON.stringify(saved.values) !== JSON.stringify(collect())) {
      apply(saved.values);
      // The counters under the boxes follow what was put back.
      fields().forEach(function (el) {
        el.dispatchEvent(new Event("input", { bubbles: true }));
      });
      var notice = document.getElementById("draft-restored");
      if (notice) {
        notice.textContent = notice.dataset.text;
        notice.hidden = false;
      }
      // Send it on to the server too, once htmx is ready.
      window.addEventListener("load", function () {
        if (window.htmx) window.htmx.trigger(form, "focusout");
      });
    }
  }

  form.addEventListener("input", function () {
    remember(true);
  });
  form.addEventListener("change", function () {
    remember(true);
  });

  // What the server was sent, to know whether the copy here is still ahead of it when it answers.
  var sent = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt === form) sent = JSON.stringify(collect());
  });
  // No answer from the server (the connection dropped, or it is down): say so, and that nothing is lost.
  function unsaved(event) {
    if (event.detail.elt !== form) return;
    var status = document.getElementById("draft-status");
    if (!status) return;
    status.removeAttribute("data-draft-saved");
    status.classList.add("draft-status--error");
    status.textContent = status.dataset.offlineText || "";
  }
  document.addEventListener("htmx:sendError", unsaved);
  document.addEventListener("htmx:responseError", unsaved);
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = document.getElementById("draft-status");
    if (!status || !event.detail.target || event.detail.target.id !== "draft-status") return;
    if (!status.hasAttribute("data-draft-saved")) return;
    version = Number(status.dataset.draftVersion || version);
    form.dataset.draftVersion = String(version);
    remember(JSON.stringify(collect()) !== sent);
  });
})();
