// Timed quiz: a countdown kept in view, spoken at five minutes and one minute, and the answers
// submitted when the time is up (the server accepts them for a short grace after the limit).
// Counted from the seconds the server gave when the page loaded, not the device's clock.
// Without JavaScript the page says when the limit is, and the server grades what was saved.
(function () {
  "use strict";
  var countdown = document.querySelector(".quiz-countdown[data-seconds-left]");
  var form = document.querySelector("form.quiz-form");
  if (!countdown || !form) { return; }
  var alertRegion = document.querySelector(".quiz-countdown-alert");
  var submit = form.querySelector('button[name="action"][value="submit"]');
  var endsAt = Date.now() + Math.max(0, parseInt(countdown.getAttribute("data-seconds-left"), 10) || 0) * 1000;
  var spoken = {};
  var shown = "";
  var ticker = null;

  function text(name) { return countdown.getAttribute("data-" + name + "-text") || ""; }

  function show(value, speak) {
    if (value !== shown) { countdown.textContent = value; shown = value; }
    if (speak && alertRegion && !spoken[speak]) { spoken[speak] = true; alertRegion.textContent = value; }
  }

  function tick() {
    var left = Math.ceil((endsAt - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(ticker);
      show(text("up"), "up");
      // As if the learner pressed Submit: autosave.js stops a second submit.
      form.setAttribute("data-time-up", "");  // no "submit with blank answers?" question now
      if (submit) { submit.click(); } else { form.submit(); }
      return;
    }
    if (left <= 60) { show(text("last-minute"), "last"); return; }
    var minutes = Math.ceil(left / 60);
    show(text("minutes").replace("__N__", String(minutes)), minutes === 5 ? "five" : "");
  }

  countdown.hidden = false;
  tick();
  ticker = setInterval(tick, 1000);
})();
