// One tap per network: copy the suggested words, make (or reuse) the tracked link, open
// the network's share page. Without JavaScript each button posts a form that does the same
// on the server (without the clipboard).
(function () {
  "use strict";
  var list = document.querySelector(".post-list.feed");
  if (!list) { return; }

  function say(card, text) { card.querySelector(".share-status").textContent = text; }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return Promise.reject(new Error("clipboard unavailable"));
  }

  list.querySelectorAll("form.share-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      var network = button.dataset.network;
      var card = form.closest(".post-card");
      var token = form.querySelector("input[name=csrf_token]").value;
      var url = list.dataset.api.replace("/0/", "/" + card.dataset.postId + "/");
      // Open the tab now, while the tap still counts as a user gesture; fill it in later.
      var tab = (network === "linkedin" || network === "x" || network === "facebook")
        ? window.open("about:blank", "_blank") : null;
      var copied = network === "copy" ? Promise.resolve() : copy(button.dataset.text);
      copied.then(function () {
        if (network !== "copy") { say(card, list.dataset.copied); }
      }, function () {});
      fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ network: network }),
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }).then(function (body) {
        if (network === "copy") {
          return copy(body.short_url).then(function () { say(card, list.dataset.linkCopied + " " + body.short_url); },
            function () { say(card, body.short_url); });
        }
        if (network === "email") { window.location.href = body.share_url; return; }
        if (tab) { tab.opener = null; tab.location.href = body.share_url; }
      }).catch(function (error) {
        if (tab) { tab.close(); }
        say(card, list.dataset.failed + " (" + error.message + ")");
      });
    });
  });
})();
