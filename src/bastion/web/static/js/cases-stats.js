// Case statistics charts (ECharts, vendored): cases and persons by outcome, smuggling and
// cross-border cases per year, median time to close by kind. The figures are in the page
// (data-stats on #stats-charts), computed for this user; labels come translated.
(function () {
  "use strict";
  var holder = document.getElementById("stats-charts");
  if (!holder || !holder.dataset.stats || !window.echarts || !window.BastionCharts) { return; }
  var data = JSON.parse(holder.dataset.stats);
  var d = holder.dataset;
  var chart = window.BastionCharts.chart;
  chart("chart-outcomes", {
    xAxis: { type: "category", data: data.by_outcome.map(function (r) { return r.label; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", name: d.labelCases, data: data.by_outcome.map(function (r) { return r.cases; }) },
      { type: "bar", name: d.labelPersons, data: data.by_outcome.map(function (r) { return r.persons; }) }
    ]
  });
  chart("chart-years", {
    xAxis: { type: "category", data: data.by_year.map(function (r) { return String(r.year); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", name: d.labelSmuggling, data: data.by_year.map(function (r) { return r.smuggling; }) },
      { type: "bar", name: d.labelCross, data: data.by_year.map(function (r) { return r.cross_border; }) }
    ]
  });
  chart("chart-close", {
    xAxis: { type: "category", data: data.time_to_close.map(function (r) { return r.kind_label; }) },
    yAxis: { type: "value" },
    series: [{ type: "bar", name: d.labelHours,
               data: data.time_to_close.map(function (r) { return r.median_hours; }) }]
  });
})();
