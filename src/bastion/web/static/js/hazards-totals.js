// The hazard totals page: repairs by month and category as stacked bars (charts.js), from
// the page's JSON (data-chart).
(function () {
  "use strict";
  var start = function () {
    var el = document.getElementById("totals-chart");
    if (!el) { return; }
    var data = JSON.parse(el.dataset.chart || "{}");
    if (!data.series || !data.series.length) {
      el.textContent = el.dataset.empty || "";
      el.dataset.ready = "empty";
      return;
    }
    window.BastionCharts.chart("totals-chart", {
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "repairs", data: s.data };
      })
    });
    el.dataset.ready = "1";
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
