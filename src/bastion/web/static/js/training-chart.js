// Training, drills and meetings: events per month by kind (ECharts, vendored). The counts are
// in the page (data-chart on #training-chart), computed for this user.
(function () {
  "use strict";
  var holder = document.getElementById("training-chart");
  if (!holder || !holder.dataset.chart || !window.BastionCharts) { return; }
  var data = JSON.parse(holder.dataset.chart);
  window.BastionCharts.chart("training-chart", {
    xAxis: { type: "category", data: data.months, name: holder.dataset.monthLabel },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) {
      return { type: "bar", stack: "events", name: s.label, data: s.data };
    })
  });
  holder.dataset.ready = "true";
})();
