// Quiz autosave: posts the form to the autosave URL when an answer changes.
// Without JavaScript the "Save answers" and "Submit answers" buttons still work.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".quiz-autosave-status");
  var timer = null;
  var submitting = false;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    timer = null;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) { say(status.getAttribute("data-saved-text") || "Saved."); return; }
      if (response.status === 409) {
        // The time limit has passed: the server graded what was saved by then; show the result.
        return response.json().then(function (body) {
          say(body.error || "");
          if (body.review) { window.location.assign(body.review); }
        });
      }
      say((status.getAttribute("data-error-text") || "Not saved.") + " (" + response.status + ")");
    }).catch(function () {
      say(status.getAttribute("data-offline-text") || "Offline.");
    });
  }

  form.addEventListener("change", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 400);
  });
  // Typed answers (short answer, numerical) save after a pause in typing, not only on blur.
  form.addEventListener("input", function (event) {
    if (!event.target || event.target.type !== "text") { return; }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1200);
  });
  // One submit per click: a second click while the first is on its way does nothing
  // (the server returns the same result anyway).
  // A question with nothing chosen or typed (selects always hold a value, so they count as answered).
  function unanswered() {
    var count = 0;
    form.querySelectorAll("li.quiz-question").forEach(function (item) {
      var given = item.querySelector("input:checked, select") ||
        Array.prototype.some.call(item.querySelectorAll('input[type="text"], textarea'), function (box) {
          return box.value.trim() !== "";
        });
      if (!given) { count += 1; }
    });
    return count;
  }

  form.addEventListener("submit", function (event) {
    if (submitting) { event.preventDefault(); return; }
    var pressed = event.submitter;
    var handingIn = pressed && pressed.value === "submit" && !form.hasAttribute("data-time-up");
    var left = handingIn ? unanswered() : 0;
    var ask = form.getAttribute("data-unanswered-text");
    if (left && ask && !window.confirm(ask.replace("__N__", String(left)))) {
      event.preventDefault();  // back to the questions; nothing was sent
      return;
    }
    submitting = true;
    if (timer) { clearTimeout(timer); timer = null; }
  });
})();
