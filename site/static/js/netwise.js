/* NetWise progressive enhancement: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Language and other selects marked data-autosubmit submit on change.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Forms marked data-once disable their submit buttons after the first submit.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
  // Phone menu: one button folds the navigation and tools away (CSS shows them on wide screens).
  document.querySelectorAll("[data-menu-toggle]").forEach(function (toggle) {
    var header = toggle.closest("[data-site-header]");
    function setOpen(open) {
      header.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () { setOpen(!header.classList.contains("is-open")); });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("is-open")) { setOpen(false); toggle.focus(); }
    });
  });
  // A wide table scrolls inside its .table-wrap: while it does, the box takes the keyboard
  // focus (arrow keys scroll it) and is a named region, as WCAG 2.1.1 asks.
  function labelFor(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var el = wrap.previousElementSibling;
    while (el && !/^H[1-6]$/.test(el.tagName)) { el = el.previousElementSibling; }
    if (!el && wrap.parentElement) { el = wrap.parentElement.querySelector("h1, h2, h3"); }
    return el ? el.textContent.trim() : "";
  }
  function markScrollers() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var label = labelFor(wrap);
        wrap.setAttribute("tabindex", "0");
        if (label) { wrap.setAttribute("role", "region"); wrap.setAttribute("aria-label", label); }
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  markScrollers();
  var resizeTimer;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollers, 150);
  });
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
})();
