// The index's filters and sort: progressive enhancement of a table that is complete without it.
// The filters are kept in the page's address (?q=…&stage=…&party=…&document=…), so that a
// filtered view can be shared; opening such an address applies them.
(function () {
  "use strict";
  var table = document.getElementById("register");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var count = document.getElementById("filter-count");
  var open = { define: true, refine: true, opine: true };
  // Each select filter: the address's parameter, its control (absent when the register holds no
  // value for it) and the row's values it matches.
  var selects = [
    { name: "stage", control: document.getElementById("filter-stage"), values: function (row) {
      var stage = row.getAttribute("data-stage");
      return open[stage] ? [stage, "open"] : [stage];
    } },
    { name: "party", control: document.getElementById("filter-party"), values: listed("parties") },
    { name: "document", control: document.getElementById("filter-document"), values: listed("documents") }
  ].filter(function (select) { return select.control; });

  function listed(column) {
    return function (row) {
      return Array.prototype.map.call(row.querySelectorAll("td." + column + " li"),
        function (item) { return item.textContent; });
    };
  }

  function filter() {
    var words = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var matches = (!words || row.textContent.toLowerCase().indexOf(words) !== -1) &&
        selects.every(function (select) {
          return !select.control.value || select.values(row).indexOf(select.control.value) !== -1;
        });
      row.hidden = !matches;
      if (matches) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " modifications shown";
  }

  function remember() {
    var params = new URLSearchParams();
    if (text.value.trim()) { params.set("q", text.value.trim()); }
    selects.forEach(function (select) {
      if (select.control.value) { params.set(select.name, select.control.value); }
    });
    var query = params.toString();
    try {
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    } catch (e) { /* an address the browser will not change: the filters still apply */ }
  }

  function recall() {
    var params = new URLSearchParams(location.search);
    text.value = params.get("q") || "";
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      var known = Array.prototype.some.call(select.control.options, function (o) { return o.value === wanted; });
      select.control.value = known ? wanted : "";
    });
  }

  function changed() {
    filter();
    remember();
  }

  function key(row, column) {
    if (column === "id") { return row.getAttribute("data-id"); }
    if (column === "stage") { return row.getAttribute("data-stage-rank") + row.getAttribute("data-id"); }
    if (column === "next") { return row.getAttribute("data-next") + row.getAttribute("data-id"); }
    var index = { title: 1, status: 3, release: 4 }[column];
    return row.cells[index].textContent.trim().toLowerCase();
  }

  function sortBy(header) {
    var column = header.getAttribute("data-sort");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = key(a, column), y = key(b, column);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
    if (!header.hasAttribute("data-sort")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = header.textContent;
    button.addEventListener("click", function () { sortBy(header); });
    header.textContent = "";
    header.appendChild(button);
  });
  text.addEventListener("input", changed);
  selects.forEach(function (select) { select.control.addEventListener("change", changed); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  recall();
  filter();
}());
