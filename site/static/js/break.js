/* Healthy use: a gentle break dialog after a stretch of continuous use (students only).
   The server decides when (GET /help/break/status/); without JavaScript the same nudge
   appears as a banner on the next page. "Not now" always works: no streaks, no guilt. */
(function () {
  "use strict";
  if (document.body.getAttribute("data-role") !== "student" || !window.fetch || window.nwBreakLoaded) { return; }
  window.nwBreakLoaded = true;  // base.html and a page may both include this file
  var STATUS_URL = "/help/break/status/";
  var MAX_DELAY = 2147483647;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function show(data) {
    if (document.querySelector(".break-dialog")) { return; }
    var dialog = el("dialog", { "class": "break-dialog", "aria-labelledby": "break-dialog-title" });
    dialog.appendChild(el("h2", { id: "break-dialog-title" }, data.title));
    dialog.appendChild(el("p", {}, data.text));
    dialog.appendChild(el("p", { "class": "break-dialog__tip" }, data.tip));
    var row = el("div", { "class": "button-row" });
    var go = el("a", { "class": "button", href: data.break_url + "?next=" + encodeURIComponent(location.pathname + location.search) }, data.break_label);
    var later = el("button", { type: "button", "class": "button button--secondary" }, data.dismiss_label);
    later.addEventListener("click", function () { dialog.close(); });
    row.appendChild(go);
    row.appendChild(later);
    dialog.appendChild(row);
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
    later.focus();
  }

  fetch(STATUS_URL, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : { enabled: false }; })
    .then(function (data) {
      // Due already: the server shows a banner on this page load instead of a dialog.
      if (!data.enabled || data.seconds_left <= 0) { return; }
      window.setTimeout(function () {
        // Ask again: a break taken in another tab restarts the stretch.
        fetch(STATUS_URL, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { enabled: false }; })
          .then(function (fresh) { if (fresh.enabled && fresh.seconds_left <= 5) { show(fresh); } });
      }, Math.min(data.seconds_left * 1000 + 1000, MAX_DELAY));
    })
    .catch(function () { /* offline: nothing to do */ });
})();
