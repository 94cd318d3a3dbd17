// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Comments come from a small uncached request so the article page itself stays cacheable.
  var box = document.getElementById("comments-body");
  if (box && box.dataset.src && window.fetch) {
    fetch(box.dataset.src, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) {
          box.innerHTML = html;
          document.dispatchEvent(new CustomEvent("cupure:comments-loaded", { detail: box }));
        }
      })
      .catch(function () {});
  }
})();
