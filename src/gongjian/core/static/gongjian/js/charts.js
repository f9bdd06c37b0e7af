// Render every <div data-chart="ID"> with the ECharts option in <script id="ID" type="application/json">.
// Options are built on the server (gongjian.air.charts); this file only draws them.
(function () {
  function draw(root) {
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) return;
      var chart = echarts.init(el, null, { renderer: "svg" });
      var option = JSON.parse(source.textContent);
      option.animation = false;  // static charts print and screenshot as they are
      chart.setOption(option);
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();

// Sortable tables: click a header of <table class="sortable"> to sort by that column.
document.addEventListener("click", function (e) {
  var th = e.target.closest("table.sortable th");
  if (!th) return;
  var table = th.closest("table"), index = Array.prototype.indexOf.call(th.parentNode.children, th);
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var ascending = th.dataset.sort !== "asc";
  rows.sort(function (a, b) {
    var x = a.cells[index].dataset.value || a.cells[index].textContent.trim();
    var y = b.cells[index].dataset.value || b.cells[index].textContent.trim();
    var nx = parseFloat(x), ny = parseFloat(y);
    var cmp = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "zh");
    return ascending ? cmp : -cmp;
  });
  rows.forEach(function (r) { body.appendChild(r); });
  table.querySelectorAll("th").forEach(function (h) { delete h.dataset.sort; });
  th.dataset.sort = ascending ? "asc" : "desc";
});
