// Port-call statistics charts (ECharts, vendored). The figures are in the page, computed for
// this user (data-stats on #stats-charts); labels come translated with them or as attributes.
(function () {
  "use strict";
  var holder = document.getElementById("stats-charts");
  if (!holder || !holder.dataset.stats || !window.echarts || !window.BastionCharts) { return; }
  var data = JSON.parse(holder.dataset.stats);
  var labels = {};
  data.measures.forEach(function (m) { labels[m.key] = m.label; });
  var lastYear = function (key) { return holder.dataset.lastYear.replace("{measure}", labels[key]); };
  var colours = { "in": "#0b5cab", "inLast": "#9cc3ea", "out": "#e67700", "outLast": "#f5c38a" };
  var values = function (rows, key, which) {
    return rows.map(function (row) { return row.cells[key][which]; });
  };
  var chart = window.BastionCharts.chart;
  var bar = function (name, rows, key, which, colour) {
    return { type: "bar", name: name, data: values(rows, key, which), itemStyle: { color: colour } };
  };
  var clearedChart = function (id, inKey, outKey) {
    var rows = data.by_period || [];
    chart(id, {
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        bar(labels[inKey], rows, inKey, "value", colours["in"]),
        bar(lastYear(inKey), rows, inKey, "last_year", colours.inLast),
        bar(labels[outKey], rows, outKey, "value", colours.out),
        bar(lastYear(outKey), rows, outKey, "last_year", colours.outLast)
      ]
    });
  };
  clearedChart("chart-vessels", "vessels_in", "vessels_out");
  clearedChart("chart-persons", "persons_in", "persons_out");

  var terminals = data.by_terminal || [];
  chart("chart-clearance", {
    xAxis: { type: "category", data: terminals.map(function (r) { return r.label; }) },
    yAxis: { type: "value" },
    series: [
      bar(holder.dataset.thisRange, terminals, "clearance_mean", "value", colours["in"]),
      bar(holder.dataset.sameRangeLastYear, terminals, "clearance_mean", "last_year", colours.inLast)
    ]
  });

  var periods = data.by_period || [];
  chart("chart-tide", {
    xAxis: { type: "category", data: periods.map(function (r) { return r.label; }) },
    yAxis: { type: "value" },
    series: [
      { type: "line", name: holder.dataset.thisRange, connectNulls: true,
        data: values(periods, "tide_wait_mean", "value"), itemStyle: { color: colours.out } },
      { type: "line", name: holder.dataset.sameRangeLastYear, connectNulls: true,
        lineStyle: { type: "dashed" },
        data: values(periods, "tide_wait_mean", "last_year"), itemStyle: { color: colours.outLast } }
    ]
  });
  document.body.dataset.chartsReady = "true";
})();
