// Dashboard charts (ECharts, vendored). Data from /api/v1/dashboard, computed for this user.
(function () {
  "use strict";
  var tlpColours = { "clear": "#9aa5b1", "green": "#2f9e44", "amber": "#f08c00", "amber+strict": "#c96b00", "red": "#e03131" };
  fetch("/api/v1/dashboard", { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var tlpEl = document.getElementById("chart-tlp");
      if (tlpEl && window.echarts) {
        var labels = JSON.parse(tlpEl.dataset.labels || "{}");
        var pie = window.echarts.init(tlpEl);
        pie.setOption({
          tooltip: { trigger: "item" },
          series: [{ type: "pie", radius: ["40%", "70%"],
            data: Object.keys(data.notices_by_tlp).map(function (key) {
              return { name: labels[key] || key, value: data.notices_by_tlp[key], itemStyle: { color: tlpColours[key] } };
            }) }]
        });
      }
      var daysEl = document.getElementById("chart-days");
      if (daysEl && window.echarts) {
        var bar = window.echarts.init(daysEl);
        bar.setOption({
          tooltip: { trigger: "axis" },
          xAxis: { type: "category", data: data.notices_per_day.dates.map(function (d) { return d.slice(5); }) },
          yAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", name: daysEl.dataset.seriesName, data: data.notices_per_day.counts, itemStyle: { color: "#0b5cab" } }]
        });
      }
      document.body.dataset.chartsReady = "true";
    });
})();
