/* Polls an export's status and updates the progress bar; the page works without it (refresh link). */
(function () {
  "use strict";
  var box = document.querySelector("[data-export-poll]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-export-poll");
  function tick() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      document.getElementById("export-percent").textContent = data.progress;
      document.getElementById("export-progress").value = data.progress;
      document.getElementById("export-state").textContent = data.status;
      if (data.download || data.status === "failed" || data.status === "done") {
        window.location.reload();
        return;
      }
      window.setTimeout(tick, 1000);
    }).catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 800);
})();
