// Patrol measures charts (ECharts, vendored). The figures are in the page, computed for this
// user (data-chart on #measures-charts); labels come translated as data- attributes.
(function () {
  "use strict";
  var holder = document.getElementById("measures-charts");
  if (!holder || !holder.dataset.chart || !window.echarts || !window.BastionCharts) { return; }
  var data = JSON.parse(holder.dataset.chart);
  var d = holder.dataset;
  var pct = function (v) { return v === null || v === undefined ? null : Math.round(v * 1000) / 10; };
  var chart = window.BastionCharts.chart;
  var periods = data.periods || [];
  var labels = periods.map(function (p) { return p.label; });
  chart("chart-ratios", {
    xAxis: { type: "category", data: labels },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { type: "line", name: d.labelCheckpoint, connectNulls: true, data: periods.map(function (p) { return pct(p.checkpoint); }) },
      { type: "line", name: d.labelSegment, connectNulls: true, data: periods.map(function (p) { return pct(p.segment); }) },
      { type: "line", name: d.labelCompletion, connectNulls: true, data: periods.map(function (p) { return pct(p.completion); }) }
    ]
  });
  chart("chart-effort", {
    xAxis: { type: "category", data: labels },
    yAxis: [{ type: "value", name: d.labelHours }, { type: "value", name: d.labelKm }],
    series: [
      { type: "bar", name: d.labelHours, data: periods.map(function (p) { return p.hours; }) },
      { type: "bar", name: d.labelKm, yAxisIndex: 1, data: periods.map(function (p) { return p.km; }) }
    ]
  });
  var segments = data.segments || [];
  chart("chart-segments", {
    xAxis: { type: "category", data: segments.map(function (s) { return s.label; }) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", name: d.labelSegment, data: segments.map(function (s) { return pct(s.coverage); }) }]
  });
  var results = data.results || [];
  chart("chart-results", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", name: d.labelCount, radius: ["35%", "65%"],
      data: results.map(function (r) { return { name: r.label, value: r.count }; }) }]
  });
  document.body.dataset.chartsReady = "true";
})();
