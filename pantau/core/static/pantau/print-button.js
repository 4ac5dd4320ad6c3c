// Pantau: a button[data-print] opens the browser's print dialog (no inline script; CSP script-src 'self').
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
