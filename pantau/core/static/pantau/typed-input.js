/*
 * Pantau: shows, next to each typed input (money, decimal, percent, date), the value as Pantau will read it
 * ("Rp 450.000", "70,50", "31 Agustus 2024") while the user types.
 *
 * An aid only: the server reads the text again with pantau.core.typed_input and refuses what it cannot read, naming
 * the reason. This script mirrors its main conventions (Indonesian notation first: the dot groups thousands, the
 * comma is the decimal mark; English notation when the page is in English) and shows nothing when a text is
 * ambiguous or unreadable, leaving the explanation to the server. Inputs carry data-typed="money|decimal|percent|date"
 * and data-places (see pantau/core/fields.py); the label "Read as" comes from the page (data-read-label on <body>).
 * Served by Pantau itself (no CDN) and loaded as a file (the Content-Security-Policy forbids inline scripts).
 */
(function () {
  "use strict";

  var MONTHS = {
    id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"]
  };
  var MONTH_NAMES = {};
  [
    "januari january jan", "februari february feb peb", "maret march mar", "april apr", "mei may",
    "juni june jun", "juli july jul", "agustus august agu agt ags agus aug", "september sep sept",
    "oktober october okt oct", "november nov nop", "desember december des dec"
  ].forEach(function (names, index) {
    names.split(" ").forEach(function (name) { MONTH_NAMES[name] = index + 1; });
  });

  function notation() {
    return (document.documentElement.lang || "id").toLowerCase().slice(0, 2) === "en" ? "en" : "id";
  }

  function prepared(text) {
    return text.replace(/[\u00a0\u202f\u2009\u2007]/g, " ").replace(/ +/g, " ").trim();
  }

  function grouped(digits, separator) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  /* {whole: "1500000", fraction: "5" or null} of digits and separators read in a notation, or null. */
  function parse(body, lang) {
    var group = lang === "id" ? "." : ",", mark = lang === "id" ? "," : ".";
    var parts = body.split(/([., ])/), runs = [], separators = [], fraction = null, i;
    for (i = 0; i < parts.length; i += 1) { (i % 2 ? separators : runs).push(parts[i]); }
    if (separators.length && separators[separators.length - 1] === mark) {
      fraction = runs.pop();
      separators.pop();
    }
    if (!separators.length) { return { whole: runs[0], fraction: fraction }; }
    for (i = 0; i < separators.length; i += 1) {
      if (separators[i] !== separators[0] || (separators[0] !== group && separators[0] !== " ")) { return null; }
    }
    if (runs[0].length < 1 || runs[0].length > 3 || runs[0].charAt(0) === "0") { return null; }
    for (i = 1; i < runs.length; i += 1) { if (runs[i].length !== 3) { return null; } }
    return { whole: runs.join(""), fraction: fraction };
  }

  function decimalsOf(fraction) { return fraction ? fraction.replace(/0+$/, "").length : 0; }

  function readMoney(text, lang) {
    var body = prepared(text).replace(/^(rp\.?|idr) ?/i, "").replace(/,-$/, "");
    if (!/^[0-9]+([., ][0-9]+)*$/.test(body)) { return null; }
    var id = parse(body, "id"), en = parse(body, "en");
    var idAmount = id && (id.fraction === null || id.fraction === "00") ? id.whole : null;
    var enAmount = en && decimalsOf(en.fraction) === 0 ? en.whole : null;
    if (lang === "id") { return idAmount; }
    if (idAmount !== null && enAmount !== null && Number(idAmount) !== Number(enAmount)) { return null; }
    return enAmount !== null ? enAmount : idAmount;
  }

  function readDecimal(text, lang, places) {
    var body = prepared(text).replace(/^[-\u2212] ?/, ""), negative = body !== prepared(text);
    if (!/^[0-9]+([., ][0-9]+)*$/.test(body)) { return null; }
    var readings = [], id = parse(body, "id"), en = parse(body, "en");
    if (lang === "id") {
      if (id) { readings.push(id); }
      if (/^[0-9]+\.[0-9]+$/.test(body) && en) { readings.push(en); }
    } else {
      if (en) { readings.push(en); }
      if (id) { readings.push(id); }
    }
    var fitting = readings.filter(function (r) { return decimalsOf(r.fraction) <= places; });
    if (!fitting.length) { return null; }
    var values = fitting.map(function (r) { return Number(r.whole + "." + (r.fraction || "0")); });
    if (values.length > 1 && values[0] !== values[1]) { return null; }
    return { whole: fitting[0].whole.replace(/^0+(?=\d)/, ""), fraction: fitting[0].fraction || "", negative: negative };
  }

  function showDecimal(reading, lang, places) {
    var fraction = (reading.fraction + "0000000000").slice(0, places);
    var text = grouped(reading.whole, lang === "id" ? "." : ",");
    if (places > 0) { text += (lang === "id" ? "," : ".") + fraction; }
    return (reading.negative ? "-" : "") + text;
  }

  function calendarDate(year, month, day) {
    var date = new Date(Date.UTC(year, month - 1, day));
    if (year < 1000 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return null;
    }
    return { year: year, month: month, day: day };
  }

  function readDate(text) {
    var t = prepared(text), m;
    if ((m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/.exec(t))) { return calendarDate(+m[1], +m[2], +m[3]); }
    if ((m = /^([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})$/.exec(t))) { return calendarDate(+m[4], +m[3], +m[1]); }
    if ((m = /^([0-9]{1,2})[ /-]([A-Za-z]+)\.?[ /-]([0-9]{4})$/.exec(t)) && MONTH_NAMES[m[2].toLowerCase()]) {
      return calendarDate(+m[3], MONTH_NAMES[m[2].toLowerCase()], +m[1]);
    }
    if ((m = /^([A-Za-z]+)\.? ([0-9]{1,2}),? ([0-9]{4})$/.exec(t)) && MONTH_NAMES[m[1].toLowerCase()]) {
      return calendarDate(+m[3], MONTH_NAMES[m[1].toLowerCase()], +m[2]);
    }
    return null;
  }

  /* The value as Pantau will read it, as text, or "" when the script cannot tell. */
  function reading(input) {
    var kind = input.getAttribute("data-typed"), lang = notation(), text = input.value;
    var places = parseInt(input.getAttribute("data-places") || "2", 10), value;
    if (!prepared(text)) { return ""; }
    if (kind === "money") {
      value = readMoney(text, lang);
      if (value === null) { return ""; }
      return (lang === "id" ? "Rp " : "IDR ") + grouped(value.replace(/^0+(?=\d)/, ""), lang === "id" ? "." : ",");
    }
    if (kind === "decimal" || kind === "percent") {
      var typed = kind === "percent" ? text.replace(/ ?%\s*$/, "") : text;
      value = readDecimal(typed, lang, places);
      return value === null ? "" : showDecimal(value, lang, places) + (kind === "percent" ? " %" : "");
    }
    if (kind === "date") {
      value = readDate(text);
      return value === null ? "" : value.day + " " + MONTHS[lang][value.month - 1] + " " + value.year;
    }
    return "";
  }

  function attach(input) {
    var output = document.createElement("output");
    output.className = "read-as";
    output.setAttribute("aria-live", "polite");
    output.id = (input.id || input.name) + "-read-as";
    if (input.id) { output.setAttribute("for", input.id); }
    input.insertAdjacentElement("afterend", output);
    var label = document.body.getAttribute("data-read-label") || "";
    function update() {
      var shown = reading(input);
      output.textContent = shown ? label + " " + shown : "";
    }
    input.addEventListener("input", update);
    update();
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-typed]");
    for (var i = 0; i < inputs.length; i += 1) { attach(inputs[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
