// Pantau (issue 15): on a phone, long breakdowns start folded (details[data-fold-phone]) so the figures and the
// overdue actions come first; one tap opens them. Without JavaScript, or on a wider screen, they stay open.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 640px)").matches) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("details[data-fold-phone]"), function (details) {
    details.open = false;
  });
})();
