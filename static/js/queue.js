// The queue, faster with a keyboard: j/k move, a approve, r reject, e edit, x tick.
// Approving inline calls the API and removes the card; without JavaScript the forms post.
(function () {
  "use strict";
  var list = document.querySelector(".post-list.queue");
  if (!list) { return; }
  var approveUrl = list.dataset.apiApprove;  // ends in /0/approve
  var current = -1;

  function cards() { return Array.prototype.slice.call(list.querySelectorAll(".post-card")); }

  function focusCard(index) {
    var all = cards();
    if (!all.length) { return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (card) { card.classList.remove("current"); });
    all[current].classList.add("current");
    all[current].focus();
  }

  function approve(form) {
    var card = form.closest(".post-card");
    var token = form.querySelector("input[name=csrf_token]").value;
    var url = approveUrl.replace("/0/", "/" + card.dataset.postId + "/");
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) { form.submit(); return; }
      var index = cards().indexOf(card);
      card.remove();
      focusCard(index);
    }).catch(function () { form.submit(); });
  }

  list.querySelectorAll("form.js-approve").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); approve(form); });
  });

  var tickAll = document.getElementById("tick-all");
  if (tickAll) {
    tickAll.addEventListener("change", function () {
      list.querySelectorAll("input.tick").forEach(function (box) { box.checked = tickAll.checked; });
    });
  }

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var card = cards()[current];
    if (event.key === "j") { focusCard(current + 1); }
    else if (event.key === "k") { focusCard(current - 1); }
    else if (!card) { return; }
    else if (event.key === "a") { approve(card.querySelector("form.js-approve")); }
    else if (event.key === "r") { event.preventDefault(); card.querySelector(".reject-form input[name=reason]").focus(); }
    else if (event.key === "e") { window.location = card.querySelector("a.edit-link").href; }
    else if (event.key === "x") { var box = card.querySelector("input.tick"); if (box) { box.checked = !box.checked; } }
    else { return; }
    event.preventDefault();
  });
})();
