// Insight charts (Chart.js served locally from vendor/chartjs). Data come from json_script blocks in the page:
// the region view's histograms (#insight-region-data) and each package panel's year-over-year series.
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function bars(canvas, series, horizontal) {
    var color = canvas.getAttribute("data-color") || "#0d6efd";
    return new Chart(canvas, {
      type: "bar",
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: color }] },
      options: {
        responsive: true, animation: false, indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return c.parsed[horizontal ? "x" : "y"] + " 个单位"; } } } },
        scales: horizontal ? { x: { beginAtZero: true, ticks: { precision: 0 } } }
                           : { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  function history(canvas, data) {
    return new Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: "全年预算数（万元）", data: data.budgets, backgroundColor: "rgba(108,117,125,.35)", yAxisID: "money", order: 3 },
          { type: "line", label: "总分", data: data.totals, borderColor: "#0d6efd", backgroundColor: "#0d6efd", yAxisID: "points", order: 1, spanGaps: true, clip: false },
          { type: "line", label: "执行率（%）", data: data.rates, borderColor: "#198754", backgroundColor: "#198754", yAxisID: "points", order: 2, spanGaps: true, clip: false }
        ]
      },
      options: {
        responsive: true, animation: false, aspectRatio: 2.6,
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { afterTitle: function (items) { var g = data.grades[items[0].dataIndex]; return g ? "等级：" + g : ""; } } }
        },
        scales: {
          points: { position: "left", suggestedMin: 60, max: 100, title: { display: true, text: "分 / %" } },
          money: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "万元" } }
        }
      }
    });
  }

  function draw() {
    if (typeof Chart === "undefined") { return; }
    var region = readJson("insight-region-data");
    document.querySelectorAll("canvas[data-insight-chart]").forEach(function (canvas) {
      if (canvas.getAttribute("data-drawn")) { return; }   // the panel may be included (and this file loaded) twice
      var kind = canvas.getAttribute("data-insight-chart");
      if (kind === "history") {
        var series = readJson(canvas.getAttribute("data-source"));
        if (series) { history(canvas, series); }
      } else if (region) {
        bars(canvas, region[canvas.getAttribute("data-series")], kind === "hbars");
      }
      canvas.setAttribute("data-drawn", "1");
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("htmx:afterSettle", draw);
}());
