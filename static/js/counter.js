// The letters used so far under each answer box ("120 of 2000 letters"), updated as the student types.
(function () {
  "use strict";
  function update(box) {
    var counter = document.querySelector('[data-count-for="' + box.id + '"]');
    if (!counter) return;
    var max = parseInt(box.getAttribute("maxlength"), 10);
    var template = counter.getAttribute("data-template") || counter.textContent.replace(/\d+/, "{used}").replace(/\d+/, "{max}");
    counter.setAttribute("data-template", template);
    counter.textContent = template.replace("{used}", box.value.length).replace("{max}", max);
    counter.classList.toggle("near-limit", max && box.value.length > max * 0.9);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea.answer-text")) update(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.answer-text").forEach(update);
  });
})();
