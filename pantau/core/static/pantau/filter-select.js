// Pantau: a search box above long pickers (issue 10). Progressive enhancement: without JavaScript the <select> works
// as before (type-ahead). Each select[data-filter] gets an <input type="search"> labelled with the attribute's text
// (translated on the server); typing hides the options whose label lacks any of the typed words. The chosen options
// stay visible. No inline script, no third-party code (CSP: script-src 'self').
(function () {
  "use strict";
  function enhance(select) {
    var label = select.getAttribute("data-filter") || "";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "select-filter";
    input.setAttribute("aria-label", label);
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("autocomplete", "off");
    input.placeholder = label;
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (option) {
        var text = option.text.toLocaleLowerCase();
        option.hidden = !(option.selected || option.value === "" || words.every(function (word) {
          return text.indexOf(word) !== -1;
        }));
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), enhance);
})();
