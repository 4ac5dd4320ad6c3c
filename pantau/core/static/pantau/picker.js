// Pantau: searchable, grouped pickers (issue 15). Progressive enhancement: without JavaScript each select[data-picker]
// stays a plain <select> with its optgroups. With it, Tom Select (from the django-tomselect package on PyPI, served
// by Pantau from its static files; window.TomSelect) turns it into a search box: type to filter, arrows to move,
// Enter to choose, Backspace to drop the last chosen unit of a multi-picker. No inline script (CSP: script-src 'self').
(function () {
  "use strict";
  if (typeof window.TomSelect !== "function") { return; }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]"), function (select) {
    var empty = select.getAttribute("data-empty") || "";
    var plugins = select.multiple ? ["remove_button"] : [];
    var picker = new window.TomSelect(select, {
      plugins: plugins,
      maxOptions: null,
      allowEmptyOption: true,
      hidePlaceholder: false,
      placeholder: select.getAttribute("data-placeholder") || "",
      searchField: ["text"],
      lockOptgroupOrder: true,
      closeAfterSelect: !select.multiple,
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = empty;
          return div;
        }
      }
    });
    if (select.multiple) {  // a chosen unit clears the search, ready for the next one
      picker.on("item_add", function () { picker.setTextboxValue(""); picker.refreshOptions(false); });
    }
  });
})();
