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
  // "/" moves the focus to the search box (unless the reader is typing somewhere).
  var search = document.getElementById("q");
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || !search) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    search.focus();
    search.select();
  });
})();
