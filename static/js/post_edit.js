// Live counters for the suggested texts, counted the way each network counts.
// X: a URL weighs 23, most Latin/Greek/Cyrillic characters 1, CJK and emoji 2.
(function () {
  "use strict";
  var LIGHT = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];
  var URL = /https?:\/\/\S+/g;

  function charWeight(text) {
    var weight = 0;
    for (var ch of text.normalize("NFC")) {
      var point = ch.codePointAt(0);
      weight += LIGHT.some(function (r) { return point >= r[0] && point <= r[1]; }) ? 1 : 2;
    }
    return weight;
  }

  function xWeight(text) {
    var urls = text.match(URL) || [];
    return charWeight(text.replace(URL, "")) + 23 * urls.length;
  }

  document.querySelectorAll(".counted").forEach(function (box) {
    var input = box.querySelector("textarea, input");
    var count = box.querySelector(".count");
    var counter = box.querySelector(".counter");
    var limit = parseInt(box.dataset.limit, 10);
    function update() {
      var value = input.value;
      var length = box.dataset.network === "x" ? xWeight(value) : Array.from(value).length;
      count.textContent = length;
      counter.classList.toggle("over", length > limit);
    }
    input.addEventListener("input", update);
    update();
  });
})();
