// Heard's small behaviours. No inline scripts anywhere: the Content Security Policy forbids them.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var printButton = event.target.closest("[data-print]");
    if (printButton) {
      window.print();
      return;
    }
    var checkAll = event.target.closest("[data-check-all]");
    if (checkAll) {
      var form = checkAll.closest("form");
      form.querySelectorAll('input[type="checkbox"][name="' + checkAll.dataset.checkAll + '"]').forEach(function (box) {
        box.checked = true;
      });
    }
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
})();
