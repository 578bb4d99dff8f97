// The index's filter and sort: progressive enhancement of a table that is complete without it.
(function () {
  "use strict";
  var table = document.getElementById("register");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var stage = document.getElementById("filter-stage");
  var count = document.getElementById("filter-count");
  var open = { define: true, refine: true, opine: true };

  function filter() {
    var words = text.value.trim().toLowerCase();
    var wanted = stage.value;
    var shown = 0;
    rows.forEach(function (row) {
      var matches = (!words || row.textContent.toLowerCase().indexOf(words) !== -1) &&
        (!wanted || row.getAttribute("data-stage") === wanted || (wanted === "open" && open[row.getAttribute("data-stage")]));
      row.hidden = !matches;
      if (matches) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " modifications shown";
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
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = header.textContent;
    button.addEventListener("click", function () { sortBy(header); });
    header.textContent = "";
    header.appendChild(button);
  });
  text.addEventListener("input", filter);
  stage.addEventListener("change", filter);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  filter();
}());
