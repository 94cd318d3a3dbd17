// Comments and the account menu. Every page works without this file: forms post and links navigate.
// With it: the account menu is filled in on cached pages, and posting, replying, voting, deleting and
// re-ordering happen in place. No inline scripts or styles (the CSP forbids them).
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !document.querySelector) return;

  function csrfToken(scope) {
    var input = (scope || document).querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function post(url, body, scope) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(scope) }
    }).then(function (r) {
      return r.json().then(
        function (data) { data.status = r.status; return data; },
        function () {
          var why = r.status === 403 ? "Your session changed: reload the page and try again." :
            "Something went wrong (" + r.status + "). Please try again.";
          return { ok: false, error: why, status: r.status };
        });
    }, function () {
      return { ok: false, error: "The network is unreachable. Please try again.", status: 0 };
    });
  }

  function fromHTML(html) {
    var t = document.createElement("template");
    t.innerHTML = (html || "").trim();
    return t.content.firstElementChild;
  }

  function setText(el, text) { if (el) el.textContent = text || ""; }

  // ------------------------------------------------------------ account menu
  var nav = document.getElementById("account-nav");
  if (nav) {
    var here = location.pathname + location.search;
    fetch("/accounts/state/?next=" + encodeURIComponent(here), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { nav.innerHTML = html; nav.setAttribute("data-state", "loaded"); } })
      .catch(function () {});
  }

  // ------------------------------------------------------------ posting and replying
  function updateCount(count) {
    if (typeof count !== "number") return;
    document.querySelectorAll("#comments-h .count").forEach(function (el) { el.textContent = String(count); });
  }

  function placeComment(form, data) {
    var li = fromHTML(data.html);
    if (!li) return;
    li.classList.add("comment-new");
    if (data.parent) {
      var parent = document.getElementById("c" + data.parent);
      if (parent) {
        var replies = parent.querySelector(":scope > ol.comment-replies");
        if (!replies) {
          replies = document.createElement("ol");
          replies.className = "comment-replies";
          parent.appendChild(replies);
        }
        replies.appendChild(li);
      }
    } else {
      var scope = form.closest(".comments-inner") || document;
      var list = scope.querySelector("[data-role=list]");
      if (list) list.insertBefore(li, list.firstChild);
      var empty = scope.querySelector("[data-role=empty]");
      if (empty) empty.remove();
    }
    li.scrollIntoView({ block: "nearest" });
  }

  function submitComment(form) {
    var button = form.querySelector("button[type=submit]");
    var error = form.querySelector("[data-role=error]");
    var status = form.querySelector("[data-role=status]");
    if (button.disabled) return;
    button.disabled = true;
    setText(error, "");
    setText(status, "Sending…");
    post(form.action, new FormData(form), form).then(function (data) {
      button.disabled = false;
      if (!data.ok) {
        setText(status, "");
        setText(error, data.error);
        return;
      }
      setText(status, data.message);
      if (data.html) placeComment(form, data);
      updateCount(data.count);
      var parentInput = form.querySelector("input[name=parent]");
      if (form.closest(".reply-slot")) {
        form.closest(".reply-slot").remove();
      } else {
        form.querySelector("textarea").value = "";
        if (parentInput && !form.closest(".permalink-form")) parentInput.value = parentInput.defaultValue;
      }
    });
  }

  function openReply(link) {
    var li = link.closest("li.comment");
    var scope = link.closest(".comments-inner, .comments") || document;
    var main = scope.querySelector("form[data-js=comment-form]");
    if (!li || !main) { location.href = link.href; return; }
    var open = li.querySelector(":scope > .reply-slot textarea");
    if (open) { open.focus(); return; }
    var id = link.getAttribute("data-parent");
    var form = main.cloneNode(true);
    form.querySelector("input[name=parent]").value = id;
    var area = form.querySelector("textarea");
    area.value = "";
    area.id = "reply-" + id + "-body";
    var label = form.querySelector("label[for$=-body]");
    if (label) { label.htmlFor = area.id; label.textContent = "Your reply"; }
    var hp = form.querySelector(".hp input");
    var hpLabel = form.querySelector(".hp label");
    if (hp && hpLabel) { hp.id = "reply-" + id + "-website"; hpLabel.htmlFor = hp.id; }
    setText(form.querySelector("[data-role=error]"), "");
    setText(form.querySelector("[data-role=status]"), "");
    form.querySelector("button[type=submit]").textContent = "Post reply";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link-button";
    cancel.setAttribute("data-js", "cancel-reply");
    cancel.textContent = "Cancel";
    form.appendChild(cancel);
    var slot = document.createElement("div");
    slot.className = "reply-slot";
    slot.appendChild(form);
    var box = li.querySelector(":scope > .comment-box");
    box.parentNode.insertBefore(slot, box.nextSibling);
    area.focus();
  }

  // ------------------------------------------------------------ votes and deletion
  function submitVote(form) {
    var footer = form.closest(".comment-actions");
    post(form.action, new FormData(form), form).then(function (data) {
      if (!data.ok) { window.alert(data.error); return; }
      setText(footer.querySelector("[data-role=score]"), String(data.score));
      footer.querySelectorAll("form[data-js=vote]").forEach(function (f) {
        var up = !!f.querySelector(".vote-up");
        var mine = up ? data.vote === 1 : data.vote === -1;
        f.querySelector("input[name=value]").value = mine ? "0" : (up ? "1" : "-1");
        f.querySelector("button").setAttribute("aria-pressed", mine ? "true" : "false");
      });
    });
  }

  function deleteComment(link) {
    if (!window.confirm("Delete your comment? Replies to it stay.")) return;
    var li = link.closest("li.comment");
    post(link.href, new FormData(), li).then(function (data) {
      if (!data.ok) { window.alert(data.error); return; }
      var replies = li.querySelector(":scope > ol.comment-replies");
      var fresh = fromHTML(data.html);
      if (fresh) {
        if (replies) fresh.appendChild(replies);
        li.replaceWith(fresh);
      } else if (replies) {
        li.classList.add("comment-deleted");
      } else {
        li.remove();
      }
      updateCount(data.count);
    });
  }

  // ------------------------------------------------------------ ordering inside an article page
  function reorder(link) {
    var box = link.closest("#comments-body");
    if (!box) { location.href = link.href; return; }
    fetch(link.href, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) box.innerHTML = html; });
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var kind = form.getAttribute && form.getAttribute("data-js");
    if (kind === "comment-form") { ev.preventDefault(); submitComment(form); }
    else if (kind === "vote") { ev.preventDefault(); submitVote(form); }
  });

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-js]");
    if (!el || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    var kind = el.getAttribute("data-js");
    if (kind === "reply") { ev.preventDefault(); openReply(el); }
    else if (kind === "delete") { ev.preventDefault(); deleteComment(el); }
    else if (kind === "order") { ev.preventDefault(); reorder(el); }
    else if (kind === "cancel-reply") { ev.preventDefault(); el.closest(".reply-slot").remove(); }
  });

  // A permalink like /a/1/slug/#c42: once the comments arrive, bring that comment into view.
  document.addEventListener("cupure:comments-loaded", function () {
    var m = location.hash.match(/^#c(\d+)$/);
    var target = m && document.getElementById("c" + m[1]);
    if (target) { target.classList.add("comment-target"); target.scrollIntoView(); }
  });
})();
