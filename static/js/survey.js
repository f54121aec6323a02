// The survey page: reading a question aloud, the count of classmates chosen, and what the autosave says.
// Every answer is saved by htmx (hx-post on each question's fieldset); without this file, or without
// JavaScript at all, the page still works: the form posts every answer at once.
(function () {
  "use strict";

  // --- Reading aloud (K-2): the browser's own speech synthesis, in the language the words are in. ---
  var speech = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
  var VOICES = { en: "en-US", es: "es-US" };

  function words(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function languageOf(element) {
    var holder = element && element.closest("[lang]");
    var lang = holder ? holder.getAttribute("lang") : document.documentElement.lang;
    return VOICES[lang] || lang || "en-US";
  }

  // The question, then each answer: one utterance each, so each is read in its own language.
  function parts(item) {
    var found = [];
    var question = item.querySelector(".survey-item__text");
    if (question) found.push({ text: words(question), lang: languageOf(question) });
    item.querySelectorAll(".survey-choice__label, .survey-choice--skip, .survey-classmate").forEach(function (label) {
      found.push({ text: words(label), lang: languageOf(label) });
    });
    return found;
  }

  function speak(button) {
    var item = document.getElementById(button.dataset.speak);
    if (!item) return;
    window.speechSynthesis.cancel();
    document.querySelectorAll("[data-speak][aria-pressed]").forEach(function (other) {
      other.removeAttribute("aria-pressed");
    });
    var all = parts(item).filter(function (part) { return part.text; });
    all.forEach(function (part, index) {
      var utterance = new window.SpeechSynthesisUtterance(part.text);
      utterance.lang = part.lang;
      utterance.rate = 0.85; // a little slower than a grown-up talks
      if (index === 0) utterance.onstart = function () { button.setAttribute("aria-pressed", "true"); };
      if (index === all.length - 1) {
        utterance.onend = utterance.onerror = function () { button.removeAttribute("aria-pressed"); };
      }
      window.speechSynthesis.speak(utterance);
    });
  }

  // --- Nominations: at most N classmates. The server checks too (services.nominations_save). ---
  function chosen(fieldset) {
    return fieldset.querySelectorAll('input[type="checkbox"]:checked').length;
  }

  function showCount(fieldset) {
    var counter = fieldset.querySelector("[data-nominations-count]");
    if (!counter) return;
    counter.textContent = counter.dataset.template
      .replace("{n}", chosen(fieldset))
      .replace("{max}", fieldset.dataset.nominationsMax);
  }

  function status(fieldset, text, isError) {
    var region = fieldset.querySelector(".survey-item__status");
    if (!region) return;
    region.textContent = "";
    var span = document.createElement("span");
    span.className = isError ? "survey-item__error" : "survey-item__saved";
    span.textContent = text;
    region.appendChild(span);
  }

  function init() {
    if (speech) {
      document.querySelectorAll("[data-speak]").forEach(function (button) { button.hidden = false; });
    }
    document.querySelectorAll("[data-nominations-max]").forEach(showCount);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-speak]");
    if (button && speech) speak(button);
  });

  // Capture: runs before htmx's listener on the fieldset, so a box over the limit is never sent.
  document.addEventListener(
    "change",
    function (event) {
      var box = event.target;
      var fieldset = box.closest && box.closest("[data-nominations-max]");
      if (!fieldset || box.type !== "checkbox") return;
      // The refusal has its own line, apart from the autosave's status: a save still on its way
      // (the box before this one) would otherwise overwrite it with "Saved" a moment later.
      var limit = fieldset.querySelector("[data-nominations-limit]");
      if (box.checked && chosen(fieldset) > Number(fieldset.dataset.nominationsMax)) {
        box.checked = false;
        event.stopPropagation();
        if (limit) limit.textContent = fieldset.dataset.tooMany;
      } else if (limit) {
        limit.textContent = "";
      }
      showCount(fieldset);
    },
    true
  );

  // The autosave could not reach the server: say so beside the question (the choice stays as it is).
  function offline(event) {
    var fieldset = event.detail && event.detail.elt && event.detail.elt.closest(".survey-item");
    var region = fieldset && fieldset.querySelector(".survey-item__status");
    if (region) status(fieldset, region.dataset.offlineText, true);
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:responseError", offline);
})();
