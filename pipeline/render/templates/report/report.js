/* The report's only script: sortable tables, search and filters over rows already in the
   page, and the highlight of the passage a link points to. No network, no data files:
   it works from file:// as from any static server. */
"use strict";
(function () {
  var NUMBER = /^-?\d+(\.\d+)?$/;

  function sortValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim() : value;
  }

  function compare(a, b) {
    if (NUMBER.test(a) && NUMBER.test(b)) return parseFloat(a) - parseFloat(b);
    return a.localeCompare(b, undefined, {sensitivity: "base", numeric: true});
  }

  // A click on a header sorts by its column: numbers largest first, words A to Z; a second
  // click reverses. Ties keep the page's order, so a sort is the same every time.
  function sortTable(table, th) {
    var index = th.cellIndex;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.every(function (r) { return NUMBER.test(sortValue(r, index)); });
    var current = th.getAttribute("aria-sort");
    var ascending = current ? current === "descending" : !numeric;
    rows.sort(function (x, y) {
      var order = compare(sortValue(x, index), sortValue(y, index));
      if (!ascending) order = -order;
      return order || (+x.getAttribute("data-index")) - (+y.getAttribute("data-index"));
    });
    Array.prototype.forEach.call(th.parentNode.cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function setupSort(table) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) {
      row.setAttribute("data-index", i);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var button = th.querySelector("button");
      if (button) button.addEventListener("click", function () { sortTable(table, th); });
    });
  }

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Search (accents and case ignored) and select filters over the rows of one table; a
  // row's data-<key> holds its values, several separated by "|".
  function setupFilter(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return normalise(r.textContent); });
    var search = form.querySelector("[data-search]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));
    var output = form.querySelector("output");
    var noun = output ? output.textContent.replace(/^[\d\s]+of[\d\s]+/, "") : "";
    function apply() {
      var words = search ? normalise(search.value).trim() : "";
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = !words || texts[i].indexOf(words) !== -1;
        selects.forEach(function (select) {
          if (!ok || !select.value) return;
          var values = (row.getAttribute("data-" + select.getAttribute("data-key")) || "");
          ok = values.split("|").indexOf(select.value) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (output) output.textContent = shown + " of " + rows.length + " " + noun;
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  // Wrap characters [start, end) of the element's text (UTF-16 offsets) in <mark>s.
  function markRange(element, start, end) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var offset = 0;
    nodes.forEach(function (node) {
      var from = offset, to = offset + node.data.length;
      offset = to;
      var a = Math.max(start, from), b = Math.min(end, to);
      if (a >= b) return;
      var middle = node.splitText(a - from);
      middle.splitText(b - a);
      var mark = document.createElement("mark");
      mark.className = "exact";
      middle.parentNode.replaceChild(mark, middle);
      mark.appendChild(middle);
    });
  }

  // The passage a link points to is highlighted (CSS :target does it too) and centred.
  function highlight() {
    Array.prototype.forEach.call(document.querySelectorAll(".hl"), function (el) {
      el.classList.remove("hl");
    });
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) return;
    target.classList.add("hl");
    var mark = target.getAttribute("data-mark");
    if (mark && !target.querySelector("mark.exact")) {
      var bounds = mark.split("-");
      markRange(target, +bounds[0], +bounds[1]);
    }
    target.scrollIntoView({block: "center"});
  }

  // The browser scrolls to the fragment itself once the page has loaded: centre it again.
  function recentre() {
    var target = document.querySelector(".hl");
    if (target) target.scrollIntoView({block: "center"});
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), setupSort);
  Array.prototype.forEach.call(document.querySelectorAll("form.filters"), setupFilter);
  window.addEventListener("hashchange", highlight);
  window.addEventListener("load", recentre);
  highlight();
  document.documentElement.setAttribute("data-script", "ready");   // tests see it ran
})();
