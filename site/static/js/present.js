/* Present mode: the keys a presentation clicker sends. → / Space / Page Down go to the next step,
   ← / Page Up to the previous one (the page's own Next/Previous links, so nothing changes without
   JavaScript); F toggles full screen. */
(function () {
  "use strict";
  var hint = document.querySelector(".present__keys");
  if (hint) { hint.hidden = false; }

  function follow(rel) {
    var link = document.querySelector(".present__nav a[rel='" + rel + "']");
    if (link) { window.location.href = link.href; }
  }

  function toggleFullscreen() {
    var root = document.documentElement;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    switch (event.key) {
      case "ArrowRight":
      case "PageDown":
      case " ":
        event.preventDefault();
        follow("next");
        break;
      case "ArrowLeft":
      case "PageUp":
        event.preventDefault();
        follow("prev");
        break;
      case "f":
      case "F":
        event.preventDefault();
        toggleFullscreen();
        break;
      default:
        break;
    }
  });
}());
