// "Refresh now" without leaving the page: posts to the API, shows progress, then the outcome.
// Without JavaScript the same form posts to the page route and the outcome is flashed.
// The words come from data attributes, translated by the page.
(function () {
  "use strict";
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }
  document.querySelectorAll("form.js-refresh").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      var status = form.querySelector(".refresh-status");
      var token = form.querySelector("input[name=csrf_token]").value;
      button.disabled = true;
      status.className = "refresh-status busy";
      status.textContent = form.dataset.busy;
      fetch(form.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (body.status === "ok") {
            status.className = "refresh-status ok";
            status.textContent = fill(form.dataset.done, body);
          } else {
            var error = body.error && typeof body.error === "object" ? body.error.message : body.error;
            status.className = "refresh-status failed";
            status.textContent = form.dataset.failed + ": " + error;
          }
        })
        .catch(function (error) {
          status.className = "refresh-status failed";
          status.textContent = form.dataset.failed + ": " + error;
        })
        .finally(function () { button.disabled = false; });
    });
  });
})();
