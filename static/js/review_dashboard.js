// Dashboard charts (Chart.js served locally from vendor/chartjs). Data comes from the JSON block in the page.
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || typeof Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var common = { responsive: true, animation: false, aspectRatio: 2, plugins: { legend: { display: false } } };
    function chart(id, type, series, color, extra) {
      var canvas = document.getElementById(id);
      if (!canvas) { return; }
      new Chart(canvas, {
        type: type,
        data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: color, borderColor: color, fill: false, tension: 0.1 }] },
        options: Object.assign({}, common, extra || {})
      });
    }
    chart("chart-grades", "bar", data.grades, ["#198754", "#0d6efd", "#ffc107", "#dc3545"],
          { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
    chart("chart-rates", "bar", data.rates, "#0d6efd", { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
    chart("chart-page-rates", "bar", data.page_rates, "#6f42c1",
          { indexAxis: "y", aspectRatio: Math.max(0.5, 2.5 - data.page_rates.labels.length * 0.06), scales: { x: { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } } } });
    chart("chart-progress", "line", data.progress, "#20c997", { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
